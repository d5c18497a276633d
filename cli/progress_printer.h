// ProgressPrinter: how a sync shows its progress. On a terminal, one line redrawn in place —
//   [#########-----------]  45% 45,000/100,000 contacts | 470 calls (9.9/s) | ETA 55s
// — elsewhere (a pipe, a log file, CI) a plain line at most every `plain_interval_micros`.
//
// Thread-compatible: the sync calls it from one thread.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "core/clock.h"
#include "sync/sync_types.h"

namespace tajo::cli {

class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream& out, bool terminal, Clock& clock, int64_t plain_interval_micros = 5'000'000);

  void Update(const sync::SyncProgress& p);
  // Ends the redrawn line (terminal) so that what follows starts on a fresh line.
  void Finish();

  // The bar line without control characters (exposed for tests).
  static std::string Line(const sync::SyncProgress& p, int64_t elapsed_micros);

 private:
  std::ostream& out_;
  bool terminal_;
  Clock& clock_;
  int64_t interval_;
  int64_t start_;
  int64_t last_print_ = -1;
  std::string last_phase_;
  bool drawn_ = false;
};

// "1h02m", "3m05s", "42s".
std::string FormatSeconds(int64_t seconds);

}  // namespace tajo::cli
