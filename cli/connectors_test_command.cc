// `tajo connectors test hubspot|brevo`: loads the configuration, builds the clients the engine
// uses, runs the connection checks of sync/connection_check.h and prints one line per check.
#include <optional>
#include <ostream>

#include "cli/commands.h"
#include "core/config.h"
#include "sync/connection_check.h"
#include "sync/connector_clients.h"

namespace tajo::cli {

int RunConnectorsTest(const GlobalOptions& global, const std::string& connector, std::ostream& out,
                      std::ostream& err) {
  if (connector != "hubspot" && connector != "brevo") {
    err << "error: unknown connector \"" << connector << "\": expected one of hubspot, brevo\n";
    return 2;
  }
  auto config = LoadConfigForCommand(global, err);
  if (!config) return 1;
  if (connector == "hubspot" && config->connectors.hubspot.access_token.empty()) {
    err << "error: " << config->source
        << ": connectors.hubspot.access_token is empty: set it to the private app token (HubSpot Settings > "
           "Integrations > Private Apps)\n";
    return 1;
  }
  if (connector == "brevo" && !HasBrevoKey(*config, err)) return 1;
  auto clients = InteractiveClients(*config, err);
  if (!clients) return 1;
  const auto checks = connector == "hubspot" ? sync::CheckHubSpot(clients->hubspot(), *config)
                                             : sync::CheckBrevo(clients->brevo(), *config);
  out << sync::FormatChecks(checks);
  return sync::AllPassed(checks) ? 0 : 1;
}

std::unique_ptr<sync::ConnectorClients> InteractiveClients(const Config& config, std::ostream& err) {
  sync::ConnectorClientsOptions options;
  options.max_attempts = 2;
  options.base_delay_micros = 200'000;
  auto clients = sync::ConnectorClients::Create(config, options);
  if (!clients.ok()) {
    err << "error: " << clients.status().message() << "\n";
    return nullptr;
  }
  return std::move(*clients);
}

bool HasBrevoKey(const Config& config, std::ostream& err) {
  if (!config.brevo.api_key.empty()) return true;
  err << "error: " << config.source << ": brevo.api_key is empty: set it to an API key (Brevo > SMTP & API > API keys)\n";
  return false;
}

}  // namespace tajo::cli
