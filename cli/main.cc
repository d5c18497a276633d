// tajo: the HubSpot <-> Brevo connector. Parses the command line and hands over to cli/commands.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/serve_commands.h"

int main(int argc, char** argv) {
  using namespace tajo::cli;
  GlobalOptions global;

  CLI::App app{
      "tajo: keeps a HubSpot CRM portal and a Brevo account in sync.\n"
      "Configuration: --config FILE, else $TAJO_CONFIG, else ./tajo.yaml (see examples/tajo.yaml).",
      "tajo"};
  app.set_version_flag("--version", std::string("tajo ") + TAJO_VERSION);
  app.add_option("--config", global.config_path, "Configuration file (default: $TAJO_CONFIG, then ./tajo.yaml)")
      ->option_text("FILE");
  app.add_option("--log-level", global.log_level, "error|warn|info|debug|verbose (overrides the config)")
      ->option_text("LEVEL");
  app.add_option("--log-format", global.log_format, "text (default) or json lines")->option_text("FORMAT");

  auto* config = app.add_subcommand("config", "Work with the configuration file");
  config->require_subcommand(1);
  auto* check = config->add_subcommand(
      "check", "Validate the configuration and print it with defaults filled in and secrets masked");
  // Accept --config after the subcommand too: `tajo config check --config FILE`.
  check->add_option("--config", global.config_path, "Configuration file")->option_text("FILE");

  // `tajo connectors <command>`: one subcommand per action on a connector.
  auto* connectors = app.add_subcommand("connectors", "Work with the HubSpot and Brevo connections");
  connectors->require_subcommand(1);
  std::string connector_test_name;
  auto* connectors_test = connectors->add_subcommand(
      "test", "Check the connection, read access and webhooks of a connector with real API calls");
  connectors_test->add_option("connector", connector_test_name, "hubspot or brevo")->required()->option_text("NAME");
  connectors_test->add_option("--config", global.config_path, "Configuration file")->option_text("FILE");

  // `tajo connectors webhooks register <connector>`.
  auto* connectors_webhooks = connectors->add_subcommand("webhooks", "Manage the webhooks HubSpot and Brevo send");
  connectors_webhooks->require_subcommand(1);
  std::string webhooks_connector;
  auto* webhooks_register = connectors_webhooks->add_subcommand(
      "register", "Register the HubSpot and Brevo webhooks of a connection (or print the settings to enter)");
  webhooks_register->add_option("connector", webhooks_connector, "hubspot")->required()->option_text("NAME");
  webhooks_register->add_option("--config", global.config_path, "Configuration file")->option_text("FILE");

  SyncCommandOptions sync_options;
  auto* connectors_sync = connectors->add_subcommand(
      "sync", "Sync HubSpot contacts into Brevo: full the first time, incremental after (or --type)");
  connectors_sync->add_option("connector", sync_options.connector, "hubspot")->required()->option_text("NAME");
  connectors_sync->add_option("--type", sync_options.type, "full | incremental (default: full the first time, then "
                                                           "incremental)")->option_text("TYPE");
  connectors_sync->add_option("--resources", sync_options.resources, "comma-separated; this version: contacts")
      ->option_text("LIST");
  connectors_sync->add_option("--direction", sync_options.direction, "this version: hubspot_to_brevo")
      ->option_text("DIRECTION");
  connectors_sync->add_option("--since", sync_options.since,
                              "only records modified since DATE (YYYY-MM-DD or ISO-8601)")->option_text("DATE");
  connectors_sync->add_flag("--dry-run", sync_options.dry_run, "write nothing; print what would change");
  connectors_sync->add_option("--progress", sync_options.progress,
                              "auto (a bar on a terminal, lines otherwise) | bar | plain | none")->option_text("MODE");
  connectors_sync->add_option("--batch-size", sync_options.batch_size,
                              "contacts written to Brevo and checkpointed together (default 20000)")
      ->option_text("N")->check(CLI::Range(1, 100000));
  connectors_sync->add_option("--config", global.config_path, "Configuration file")->option_text("FILE");

  std::string status_connector;
  bool status_json = false;
  auto* connectors_status = connectors->add_subcommand(
      "status", "Show the connection, the last sync, counts and recent per-record errors (from the store)");
  connectors_status->add_option("connector", status_connector, "hubspot")->required()->option_text("NAME");
  connectors_status->add_flag("--json", status_json, "print the status document as JSON");
  connectors_status->add_option("--config", global.config_path, "Configuration file")->option_text("FILE");

  auto* serve = app.add_subcommand(
      "serve", "Run the webhook endpoints, the worker, the scheduled sync and the control API until SIGTERM/SIGINT");
  serve->add_option("--config", global.config_path, "Configuration file")->option_text("FILE");

  // `tajo dlq list|show|replay|drop [ID|--all]`.
  DlqCommandOptions dlq_options;
  auto* dlq = app.add_subcommand("dlq", "The webhook events that failed too often (the dead-letter queue)");
  dlq->require_subcommand(1);
  struct DlqAction {
    const char* name;
    const char* help;
  };
  for (const DlqAction& a : {DlqAction{"list", "List the dead letters"},
                             DlqAction{"show", "Show one dead letter with its event"},
                             DlqAction{"replay", "Put dead letters back in the inbox (once the cause is fixed)"},
                             DlqAction{"drop", "Delete dead letters"}}) {
    auto* sub = dlq->add_subcommand(a.name, a.help);
    sub->callback([&dlq_options, name = std::string(a.name)] { dlq_options.action = name; });
    if (std::string(a.name) != "list") sub->add_option("id", dlq_options.id, "the dead letter's id")->option_text("ID");
    if (std::string(a.name) == "replay" || std::string(a.name) == "drop") {
      sub->add_flag("--all", dlq_options.all, "every dead letter");
    }
    if (std::string(a.name) == "list" || std::string(a.name) == "show") {
      sub->add_flag("--json", dlq_options.json, "print JSON");
    }
    if (std::string(a.name) == "list") {
      sub->add_option("--limit", dlq_options.limit, "at most N (default 100)")->option_text("N")->check(
          CLI::Range(1, 10000));
    }
    sub->add_option("--config", global.config_path, "Configuration file")->option_text("FILE");
  }

  auto* version = app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);  // prints help or the usage error; 0 for --help, non-zero otherwise
  }

  if (int rc = ConfigureLogging(global, std::cerr); rc != 0) return rc;
  if (*check) return RunConfigCheck(global, std::cout, std::cerr);
  if (*connectors_test) return RunConnectorsTest(global, connector_test_name, std::cout, std::cerr);
  if (*webhooks_register) return RunConnectorsWebhooksRegister(global, webhooks_connector, std::cout, std::cerr);
  if (*connectors_sync) return RunConnectorsSync(global, sync_options, std::cout, std::cerr);
  if (*connectors_status) return RunConnectorsStatus(global, status_connector, status_json, std::cout, std::cerr);
  if (*serve) return RunServe(global, std::cout, std::cerr);
  if (*dlq) return RunDlq(global, dlq_options, std::cout, std::cerr);
  if (*version) return RunVersion(std::cout);
  std::cerr << "error: a command is required\n\n" << app.help();
  return 2;
}
