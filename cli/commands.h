// The tajo command line: one function per command, wired to CLI11 in main.cc.
//
// Each command returns the process exit status: 0 on success, 1 when the work failed (e.g. an
// invalid configuration), 2 for a usage error. Commands write their results to `out` and their
// diagnostics to `err`, so tests can run them in-process.
#pragma once

#include <iosfwd>
#include <string>

#include "core/log.h"

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

// `tajo version`
int RunVersion(std::ostream& out);

}  // namespace tajo::cli
