// tajo: the HubSpot <-> Brevo connector. Parses the command line and hands over to cli/commands.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

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

  auto* version = app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);  // prints help or the usage error; 0 for --help, non-zero otherwise
  }

  if (int rc = ConfigureLogging(global, std::cerr); rc != 0) return rc;
  if (*check) return RunConfigCheck(global, std::cout, std::cerr);
  if (*version) return RunVersion(std::cout);
  std::cerr << "error: a command is required\n\n" << app.help();
  return 2;
}
