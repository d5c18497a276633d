#include <ostream>

#include "cli/commands.h"
#include "core/config.h"

namespace tajo::cli {

int ConfigureLogging(const GlobalOptions& global, std::ostream& err) {
  auto format = ParseLogFormat(global.log_format);
  if (!format.ok()) {
    err << "error: --log-format: " << format.status().message() << "\n";
    return 2;
  }
  Log().SetFormat(*format);
  if (!global.log_level.empty()) {
    auto level = ParseLogLevel(global.log_level);
    if (!level.ok()) {
      err << "error: --log-level: " << level.status().message() << "\n";
      return 2;
    }
    Log().SetLevel(*level);
  }
  return 0;
}

std::optional<Config> LoadConfigForCommand(const GlobalOptions& global, std::ostream& err) {
  auto path = ResolveConfigPath(global.config_path);
  if (!path.ok()) {
    err << "error: " << path.status().message() << "\n";
    return std::nullopt;
  }
  auto config = LoadConfigFile(*path);
  if (!config.ok()) {
    err << "error: " << *path << " is not valid:\n" << config.status().message() << "\n";
    return std::nullopt;
  }
  // The configuration's level (log_level, raised by debug: true) unless --log-level said otherwise.
  if (global.log_level.empty()) Log().SetLevel(config->connectors.hubspot.EffectiveLogLevel());
  return std::move(*config);
}

int RunConfigCheck(const GlobalOptions& global, std::ostream& out, std::ostream& err) {
  auto path = ResolveConfigPath(global.config_path);
  if (!path.ok()) {
    err << "error: " << path.status().message() << "\n";
    return 1;
  }
  auto config = LoadConfigFile(*path);
  if (!config.ok()) {
    err << "error: " << *path << " is not valid:\n" << config.status().message() << "\n";
    return 1;
  }
  out << "# " << *path << ": valid\n";
  out << DescribeEffectiveConfig(*config);
  return 0;
}

int RunVersion(std::ostream& out) {
  out << "tajo " << TAJO_VERSION << "\n";
  return 0;
}

}  // namespace tajo::cli
