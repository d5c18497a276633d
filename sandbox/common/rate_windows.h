// Server-side rate-limit windows for the sandboxes (the side that says 429, not the client side
// that avoids it; that one is http/rate_budget.h).
//
//   RollingWindowLimiter  "at most N calls in any rolling window of W", per key, exact: it keeps
//                         the timestamps of the admitted calls (at most N per key), so use it for
//                         small N (HubSpot 100-250 per 10 s, search 5 per s, Brevo 10 per s).
//   FixedWindowQuota      "at most N calls per calendar window" (a day from midnight, an hour),
//                         per key, one counter per key: for daily / hourly quotas.
//
// Rejected calls are not counted, so a client that keeps calling recovers when the window moves.
// Keys are opaque strings (a token, an account id). Both classes are thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace tajo::sandbox {

struct WindowDecision {
  bool allowed = true;
  int64_t limit = 0;
  int64_t remaining = 0;          // after this call (when allowed) or now (when not)
  int64_t retry_after_micros = 0; // when rejected: time until one more call fits
};

class RollingWindowLimiter {
 public:
  // REQUIRES: window_micros > 0.
  explicit RollingWindowLimiter(int64_t window_micros) : window_(window_micros) {}
  RollingWindowLimiter(const RollingWindowLimiter&) = delete;
  RollingWindowLimiter& operator=(const RollingWindowLimiter&) = delete;

  // Admits and counts one call for `key` at `now` when fewer than `limit` calls were admitted
  // in (now - window, now]; otherwise rejects it without counting. limit <= 0 rejects always.
  WindowDecision TryAcquire(const std::string& key, int64_t limit, int64_t now);
  // Like TryAcquire without counting: what a call now would see (remaining before the call).
  WindowDecision Peek(const std::string& key, int64_t limit, int64_t now);
  // Calls admitted in the window ending at `now`.
  int64_t Count(const std::string& key, int64_t now);
  int64_t window_micros() const { return window_; }
  void Reset();

 private:
  void Prune(std::deque<int64_t>& calls, int64_t now) const;
  const int64_t window_;
  std::mutex mu_;
  std::map<std::string, std::deque<int64_t>> calls_;
};

class FixedWindowQuota {
 public:
  // Windows are [k * window + offset, (k+1) * window + offset) in clock microseconds, e.g.
  // window = one day and offset = -utc_offset for "midnight in the account's time zone".
  // REQUIRES: window_micros > 0.
  explicit FixedWindowQuota(int64_t window_micros, int64_t offset_micros = 0)
      : window_(window_micros), offset_(offset_micros) {}
  FixedWindowQuota(const FixedWindowQuota&) = delete;
  FixedWindowQuota& operator=(const FixedWindowQuota&) = delete;

  WindowDecision TryAcquire(const std::string& key, int64_t limit, int64_t now);
  WindowDecision Peek(const std::string& key, int64_t limit, int64_t now);
  // Calls counted in the window that contains `now`.
  int64_t Count(const std::string& key, int64_t now);
  void Reset();

 private:
  int64_t WindowOf(int64_t now) const;
  const int64_t window_, offset_;
  std::mutex mu_;
  struct Counter {
    int64_t window = 0;
    int64_t count = 0;
  };
  std::map<std::string, Counter> counters_;
};

}  // namespace tajo::sandbox
