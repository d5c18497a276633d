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
  if (!HasBrevoKey(*config, err)) return 1;
  auto clients = InteractiveClients(*config, err);
  if (!clients) return 1;
  sync::RegistrationReport report;
  sync::RegisterHubSpotWebhooks(clients->hubspot(), *config, report);
  sync::RegisterBrevoWebhook(clients->brevo(), *config, report);
  out << report.Format();
  return report.failed() ? 1 : 0;
}

}  // namespace tajo::cli
