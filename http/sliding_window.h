// SlidingWindow: the call log behind one RateLimit of a RateBudget ("at most max_calls calls in
// any rolling window of window_micros").
//
// Calls are counted in slots of `granularity` microseconds, oldest first. A slot stays in the
// window while its last instant is inside it, so the count is exact when granularity is 1 and
// otherwise never lower than the truth (conservative). The granularity is 1 for limits up to
// kExactMaxCalls and window / kMaxSlots above that, which bounds memory to about kMaxSlots
// entries whatever the limit (a daily quota of 1,000,000 is 4097 entries, not 1,000,000).
//
// Not thread-safe: RateBudget guards it with its mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>

namespace tajo::http {

class SlidingWindow {
 public:
  static constexpr int64_t kExactMaxCalls = 4096;
  static constexpr int64_t kMaxSlots = 4096;

  // REQUIRES: max_calls >= 1, window_micros >= 1.
  SlidingWindow(int64_t max_calls, int64_t window_micros);

  int64_t max_calls() const { return max_calls_; }
  int64_t window_micros() const { return window_micros_; }
  int64_t granularity_micros() const { return granularity_; }
  std::size_t entries() const { return slots_.size(); }

  // Calls counted in the window ending at `now`.
  int64_t Count(int64_t now);
  // Microseconds until one more call fits (0 when it fits at `now`).
  int64_t WaitMicros(int64_t now);
  // Records `n` calls made at `at` (which may be earlier than calls already recorded).
  void Add(int64_t at, int64_t n = 1);
  // Adopts a new limit. When it calls for coarser slots, existing counts move to the slot that
  // holds their last instant (never earlier, so still conservative). REQUIRES: max_calls >= 1.
  void SetMaxCalls(int64_t max_calls);

 private:
  static int64_t GranularityFor(int64_t max_calls, int64_t window_micros);
  int64_t SlotOf(int64_t t) const;
  int64_t LastInstant(int64_t slot) const { return (slot + 1) * granularity_ - 1; }
  void Prune(int64_t now);

  int64_t max_calls_;
  const int64_t window_micros_;
  int64_t granularity_;
  std::deque<std::pair<int64_t, int64_t>> slots_;  // (slot index, calls), ascending slot
  int64_t total_ = 0;
};

}  // namespace tajo::http
