// `tajo connectors webhooks register hubspot`: loads the configuration, checks what registration
// needs before calling anything, builds the clients the engine uses and registers both sides of
// the HubSpot connection (the Brevo webhook serves it too) with sync/webhook_registration.h.
#include <ostream>

#include "cli/commands.h"
#include "core/config.h"
#include "core/redact.h"
#include "sync/connector_clients.h"
#include "sync/webhook_registration.h"

namespace tajo::cli {

int RunConnectorsWebhooksRegister(const GlobalOptions& global, const std::string& connector, std::ostream& out,
                                  std::ostream& err) {
  if (connector != "hubspot") {
    err << "error: unknown connector \"" << connector
        << "\": expected hubspot (its registration covers the Brevo webhook too)\n";
    return 2;
  }
  auto config = LoadConfigForCommand(global, err);
  if (!config) return 1;
  if (Status s = sync::CheckRegistrationConfig(*config); !s.ok()) {
    err << "error: " << s.message() << "\n";
    return 2;
  }
  // The loader registers it; a token shorter than its minimum or a config built otherwise must
  // not reach a log line either.
  RegisterSecret(config->server.webhooks.brevo_token);
  if (config->brevo.api_key.empty()) {
    err << "error: " << config->source
        << ": brevo.api_key is empty: set it to an API key (Brevo > SMTP & API > API keys)\n";
    return 1;
  }
  // Registration calls are few and a user waits for them: two attempts, short backoff.
  sync::ConnectorClientsOptions options;
  options.max_attempts = 2;
  options.base_delay_micros = 200'000;
  auto clients = sync::ConnectorClients::Create(*config, options);
  if (!clients.ok()) {
    err << "error: " << clients.status().message() << "\n";
    return 1;
  }
  sync::RegistrationReport report;
  sync::RegisterHubSpotWebhooks((*clients)->hubspot(), *config, report);
  sync::RegisterBrevoWebhook((*clients)->brevo(), *config, report);
  out << report.Format();
  return report.failed() ? 1 : 0;
}

}  // namespace tajo::cli
