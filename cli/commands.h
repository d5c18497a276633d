// The tajo command line: one function per command, wired to CLI11 in main.cc.
//
// Each command returns the process exit status: 0 on success, 1 when the work failed (e.g. an
// invalid configuration), 2 for a usage error. Commands write their results to `out` and their
// diagnostics to `err`, so tests can run them in-process.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/log.h"
#include "sync/connector_clients.h"

namespace tajo::cli {

// Options every command accepts.
struct GlobalOptions {
  std::string config_path;  // --config; "" = $TAJO_CONFIG, then ./tajo.yaml
  std::string log_level;    // --log-level; "" = the config's, else info
  std::string log_format = "text";  // --log-format text|json
};

// Applies --log-level / --log-format to the process logger. Returns 0, or 2 with a message on err.
int ConfigureLogging(const GlobalOptions& global, std::ostream& err);

// `tajo config check`: loads and validates the configuration, prints the effective configuration
// with secrets masked. Exit 0 when valid, 1 with every error listed when not.
int RunConfigCheck(const GlobalOptions& global, std::ostream& out, std::ostream& err);

// `tajo connectors test hubspot|brevo`: checks the connection, read access and webhook
// registration of one connector with real API calls (sync/connection_check.h) and prints one
// line per check: "✓ label", "✗ label: reason. Fix: ...", "- label: not checked because ...".
// Exit 0 when no check failed (not checked is not a failure), 1 when one did or the
// configuration is bad, 2 when `connector` is not hubspot or brevo.
int RunConnectorsTest(const GlobalOptions& global, const std::string& connector, std::ostream& out,
                      std::ostream& err);

// `tajo connectors webhooks register hubspot`: registers the webhooks the HubSpot connection
// needs (sync/webhook_registration.h) — HubSpot's target URL and subscriptions through the
// webhooks v3 API when connectors.hubspot.app_id is set (else, or when that API refuses the
// token, prints the exact settings to enter in HubSpot), and Brevo's marketing webhook with the
// bearer token server.webhooks.brevo_token — one line per action on `out`. Idempotent. Exit 0
// when everything was registered or printed, 1 when a call failed or the configuration is bad,
// 2 when `connector` is not hubspot or server.public_url / server.webhooks.brevo_token is missing
// (nothing is called then).
int RunConnectorsWebhooksRegister(const GlobalOptions& global, const std::string& connector, std::ostream& out,
                                  std::ostream& err);

// Options of `tajo connectors sync`.
struct SyncCommandOptions {
  std::string connector;                 // hubspot
  std::string type;                      // --type full|incremental; "" = full the first time, then incremental
  std::string resources = "contacts";    // --resources, comma-separated
  std::string direction;                 // --direction; "" = hubspot_to_brevo (noted when the config says otherwise)
  std::string since;                     // --since DATE
  bool dry_run = false;                  // --dry-run
  std::string progress = "auto";         // --progress auto|bar|plain|none
  int64_t batch_size = 20000;            // --batch-size: contacts written (and checkpointed) together
};

// `tajo connectors sync hubspot`: runs (or continues) a sync with a progress display on stderr and
// a summary on stdout. Exit 0 on success, 1 when the run failed (it continues next time) or the
// configuration is bad, 2 for a usage error.
int RunConnectorsSync(const GlobalOptions& global, const SyncCommandOptions& options, std::ostream& out,
                      std::ostream& err);

// `tajo connectors status hubspot [--json]`: the connection's status from the store.
int RunConnectorsStatus(const GlobalOptions& global, const std::string& connector, bool json, std::ostream& out,
                        std::ostream& err);

// Loads the configuration as every command does (--config, $TAJO_CONFIG, ./tajo.yaml). On failure
// writes why to `err` and returns nullopt.
std::optional<Config> LoadConfigForCommand(const GlobalOptions& global, std::ostream& err);

// The API clients of a command a person waits for (connection tests, webhook registration): two
// attempts, a short backoff — the engine's defaults retry for minutes, right for a sync, wrong
// for "is my token good?". On failure writes why on `err` and returns nullptr.
std::unique_ptr<sync::ConnectorClients> InteractiveClients(const Config& config, std::ostream& err);

// Whether brevo.api_key is set; when not, writes where to get one on `err`.
bool HasBrevoKey(const Config& config, std::ostream& err);

// `tajo version`
int RunVersion(std::ostream& out);

}  // namespace tajo::cli
