// `tajo serve` and `tajo dlq ...`: the long-running service and its dead-letter queue. Same
// conventions as cli/commands.h (exit 0 success, 1 failure, 2 usage error; results on `out`,
// diagnostics on `err`).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "cli/commands.h"

namespace tajo::cli {

// `tajo serve`: runs the webhook endpoints, the worker, the scheduler and the control API until
// SIGTERM or SIGINT, then shuts down gracefully and exits 0. Prints "tajo serve: listening on
// http://HOST:PORT" on `out` once it accepts requests. Exit 1 when it cannot start (the message
// says why: configuration, store lease, address in use).
// REQUIRES: called from the main thread before any other thread exists (it blocks SIGTERM and
// SIGINT for every thread and waits for them itself).
int RunServe(const GlobalOptions& global, std::ostream& out, std::ostream& err);

struct DlqCommandOptions {
  std::string action{};       // list | show | replay | drop
  std::optional<int64_t> id{};
  bool all = false;         // --all (replay, drop)
  bool json = false;        // --json (list, show)
  int limit = 100;          // --limit (list)
};

// `tajo dlq list|show|replay|drop [ID|--all]`: the webhook events that failed max_attempts
// times. replay puts them back in the inbox (tajo serve applies them at its next poll); drop
// deletes them. Exit 1 when the id is not a dead letter, 2 for a usage error.
int RunDlq(const GlobalOptions& global, const DlqCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tajo::cli
