// RateBudget: named buckets of API-call limits ("100 calls per rolling 10 s and 250,000 per
// day"), shared by every caller of one connection, so that a call waits for its budget instead
// of drawing a 429 (DESIGN.md §4).
//
// A bucket is a set of limits "max_calls per rolling window"; a call is allowed when every limit
// of every bucket it draws from allows it, and is then recorded in all of them at once.
//
// Exactness. Each limit keeps a log of the calls inside its window:
//   - max_calls <= 4096: one entry per distinct microsecond (exact: never more than max_calls
//     calls in any half-open interval [t, t + window), and no call waits longer than needed);
//   - larger limits (a daily quota of 1,000,000): calls are counted in 4096 slots across the
//     window, and a slot leaves the window only when its LAST instant has. That is conservative
//     (the limit is still never exceeded) at the price of waiting at most window/4096 too long
//     (21 s for a day). Memory is at most ~4097 entries per limit whatever max_calls is.
// A rolling day is stricter than HubSpot's calendar day (reset at midnight in the account's time
// zone, which the connector cannot know), so it can never overdraw it.
//
// Corrections from the server (UpdateFromHeaders). Servers also count calls we did not make
// (another app, another process) and may grant a different plan than configured:
//   - a reported limit (X-HubSpot-RateLimit-Max / -Daily, x-sib-ratelimit-limit) that differs
//     from ours is adopted; a HubSpot interval that matches none of our windows adds a limit;
//   - a reported remaining count that is LOWER than ours (used = limit - remaining is more than
//     we recorded) adds the difference as calls made now, so they leave the window one window
//     later (HubSpot: the rolling interval; Brevo: after x-sib-ratelimit-reset seconds). A
//     higher remaining is ignored: we never loosen on the word of one response, since calls
//     of ours still in flight are not in its count yet.
//   - malformed values are ignored (http/rate_limit_headers.h).
// Brevo's header does not say which of a bucket's limits it describes: the one with the same
// limit, else the shortest window at least as long as `reset`, else the closest limit.
//
// Thread-safe: any number of threads may Acquire at once. Waiting is done outside the lock with
// Clock::SleepForMicros (compute the wait, sleep, check again), so a ManualClock simulates a
// rate-limited run in no real time.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "http/message.h"

namespace tajo::http {

// "max_calls per rolling window". Write {100, 10s} with std::chrono literals.
struct RateLimit {
  int64_t max_calls = 0;              // REQUIRES: 1 .. 1,000,000,000
  std::chrono::milliseconds window{0};  // REQUIRES: 1 ms .. 31 days
};

// One limit of a bucket as it stands now (after any correction from the server).
struct RateLimitState {
  int64_t max_calls = 0;
  std::chrono::milliseconds window{0};
  int64_t used = 0;  // calls counted in the window now (recorded plus reported by the server)
};

struct BucketStats {
  int64_t calls = 0;        // calls acquired
  int64_t waited_calls = 0; // of which had to wait
  int64_t wait_micros = 0;  // total clock time spent waiting (simulated time on a ManualClock)
  int64_t corrections = 0;  // server headers that changed a limit or tightened the count
  int64_t refusals = 0;     // acquisitions given up because the wait exceeded their max_wait
};

// A granted call: when it was recorded and how long it waited for that.
struct Grant {
  int64_t at_micros = 0;
  int64_t waited_micros = 0;
};

class RateBudget {
 public:
  static constexpr int64_t kWaitForever = -1;

  // `clock` must outlive the budget.
  explicit RateBudget(Clock& clock);
  ~RateBudget();
  RateBudget(const RateBudget&) = delete;
  RateBudget& operator=(const RateBudget&) = delete;

  // Adds a bucket, e.g. AddBucket("hubspot", {{100, 10s}, {250'000, 24h}}).
  // Fails with kInvalidArgument (naming the bucket and the limit) for an empty name, no limits
  // or a limit out of range, and kAlreadyExists when the name is taken.
  Status AddBucket(std::string name, std::vector<RateLimit> limits);
  bool HasBucket(std::string_view name) const;

  // Blocks until a call is allowed in `bucket` (every limit has room and no block is in force),
  // records it and returns when. With max_wait_micros >= 0, gives up without recording and
  // returns kResourceExhausted ("... next call allowed in 5h12m") as soon as the total wait
  // would exceed it. kInvalidArgument for an unknown bucket.
  Result<Grant> Acquire(std::string_view bucket, int64_t max_wait_micros = kWaitForever);
  // The same for a call that draws from several buckets at once (duplicates count once); the
  // call is recorded in all of them at the same instant. An empty list is granted at once.
  Result<Grant> AcquireAll(const std::vector<std::string>& buckets, int64_t max_wait_micros = kWaitForever);

  // How long a call to all of `buckets` would wait now (0 = at once), without recording.
  Result<int64_t> TimeUntilAvailable(const std::vector<std::string>& buckets) const;

  // Corrects `bucket` from a response's rate-limit headers (see the top of this file). Returns
  // true when something changed. An unknown bucket or headers without rate-limit fields are
  // ignored (false).
  bool UpdateFromHeaders(std::string_view bucket, const Headers& headers);

  // No call is allowed in `bucket` before `until_micros` (e.g. a 429 that says "retry after
  // 10 s" stops every thread, not only the one that got it). A block never shortens an
  // existing one. Unknown buckets are ignored.
  void BlockUntil(std::string_view bucket, int64_t until_micros);

  // The limits of `bucket` now; empty for an unknown bucket.
  std::vector<RateLimitState> Limits(std::string_view bucket) const;
  BucketStats Stats(std::string_view bucket) const;
  std::map<std::string, BucketStats> AllStats() const;

 private:
  struct Bucket;
  // REQUIRES: mu_ held.
  int64_t WaitLocked(const std::vector<Bucket*>& buckets, int64_t now) const;
  Result<std::vector<Bucket*>> ResolveLocked(const std::vector<std::string>& names) const;

  Clock& clock_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Bucket>, std::less<>> buckets_;  // guarded by mu_
};

}  // namespace tajo::http
