// RetryPolicy: whether and when to try an outbound call again.
//
// Retried (each at most until max_attempts attempts in all):
//   429              always (the request was rejected, nothing was done), except HubSpot's DAILY
//                    policy (waiting until midnight is not a retry). Wait: Retry-After if sent;
//                    else HubSpot TEN_SECONDLY_ROLLING: the rolling interval (10 s unless
//                    X-HubSpot-RateLimit-Interval-Milliseconds says otherwise); HubSpot search's
//                    "secondly limit": 1 s; Brevo: x-sib-ratelimit-reset; else backoff.
//   423 Locked       always (HubSpot: a record lock during heavy upserts; nothing was done).
//                    Wait at least 2 s.
//   477              always, only with Retry-After (HubSpot: migration in progress).
//   500 502 503 504  idempotent calls only: the server may have done the work.
//   521 523 524      idempotent calls only (origin unreachable / timed out behind the CDN).
//   kUnavailable, kDeadlineExceeded transport errors: idempotent calls; a non-idempotent call
//                    only when the request provably never left (RequestNotSent()).
// Never retried: other statuses (2xx-4xx, 501, 522, 525, 526, ...) and other transport errors.
//
// The wait is exponential backoff with FULL jitter, uniform in [0, min(cap, base * 2^n)] for
// the n-th retry (n from 0), unless the server said how long (Retry-After, as delta-seconds or
// an HTTP-date, always takes precedence). A server-requested wait longer than
// max_server_wait_micros (HubSpot's 477 can ask for 24 h) is not slept through: no retry.
//
// Thread-safe: the random generator is behind a mutex. Seed it for reproducible tests.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace tajo::http {

struct RetryOptions {
  int max_attempts = 5;                            // attempts in all, the first included; >= 1
  int64_t base_delay_micros = 500'000;             // backoff of the first retry (upper bound)
  int64_t max_delay_micros = 30'000'000;           // backoff cap
  int64_t max_server_wait_micros = 15 * 60'000'000LL;  // longest Retry-After/reset we honour
  int64_t locked_min_wait_micros = 2'000'000;      // HubSpot 423: the lock lasts 2 s
  uint64_t seed = 0;                               // 0: seeded from std::random_device
};

struct RetryDecision {
  bool retry = false;
  int64_t delay_micros = 0;
  // >0 when the server said the whole rate bucket is closed for this long (a 429 with
  // Retry-After, a rolling-window 429, a Brevo reset): other callers should wait too.
  int64_t block_bucket_micros = 0;
  bool rate_limited = false;  // the outcome was a 429
  std::string reason;         // for logs: "429 TEN_SECONDLY_ROLLING, waiting 10s"; no secrets
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {});
  RetryPolicy(const RetryPolicy&) = delete;
  RetryPolicy& operator=(const RetryPolicy&) = delete;

  const RetryOptions& options() const { return options_; }

  // Decides after attempt number `attempt` (1 = the first) of a call allowed `max_attempts`
  // attempts in all produced `outcome`. `now_micros` resolves an HTTP-date Retry-After.
  RetryDecision Decide(int attempt, int max_attempts, bool idempotent,
                       const Result<HttpResponse>& outcome, int64_t now_micros);

  // Full-jitter backoff for retry number `retry_index` (0 = the first retry): uniform in
  // [0, min(max_delay, base_delay * 2^retry_index)].
  int64_t Backoff(int retry_index);

 private:
  const RetryOptions options_;
  std::mutex mu_;
  std::mt19937_64 rng_;  // guarded by mu_
};

// True for methods that may be repeated without changing the outcome: GET, HEAD, OPTIONS, PUT,
// DELETE (and TRACE). POST and PATCH are not, unless the caller knows better.
bool IsIdempotentMethod(std::string_view method);

// Parses a Retry-After value: delta-seconds ("120") or an HTTP-date (IMF-fixdate
// "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 or asctime form). Returns the wait from `now_micros`
// in microseconds (0 for a date in the past), or nullopt when absent or malformed.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_micros);

// Parses an HTTP-date into Unix microseconds; nullopt when malformed.
std::optional<int64_t> ParseHttpDate(std::string_view value);

}  // namespace tajo::http
