// BrevoRateLimiter: Brevo's server-side rate limits by bucket and plan (reference §8) and the
// x-sib-ratelimit-* headers that report them.
//
//   bucket     standard plan            advanced plan
//   contacts   10/s and 36,000/h        20/s and 72,000/h    every /v3/contacts/* path
//   events     10/s and 36,000/h        20/s and 72,000/h    /v3/events
//   other      100/h                    200/h                everything else (/processes, /webhooks,
//                                                            /companies, /crm/*, /account)
// When both windows apply both are enforced; a rejected call counts in neither. The per-second
// window is rolling, the hourly one is a clock hour. Limits are per account (all keys share them;
// the reference says "your account plan").
//
// Headers (UNCONFIRMED which window they describe when two apply): the window with the fewest
// calls left — x-sib-ratelimit-limit (its limit), -remaining (after this call), -reset (seconds
// until it has room again: 1 for the per-second window, the rest of the hour for the hourly one).
//
// Time comes from the clock given (the sandbox's --time-scale clock). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "http/message.h"
#include "sandbox/brevo/options.h"
#include "sandbox/common/rate_windows.h"

namespace tajo::sandbox::brevo {

enum class Bucket { kContacts, kEvents, kOther };
const char* BucketName(Bucket b);  // "contacts", "events", "other"

struct RateCheck {
  bool allowed = true;
  http::Headers headers;  // x-sib-ratelimit-limit / -remaining / -reset
  int64_t retry_after_ms = 0;
  std::string window;  // "second" or "hour": the window that decided
};

class BrevoRateLimiter {
 public:
  BrevoRateLimiter(Clock& clock, PlanLimits plan);
  BrevoRateLimiter(const BrevoRateLimiter&) = delete;
  BrevoRateLimiter& operator=(const BrevoRateLimiter&) = delete;

  // Counts one call in `bucket` when both windows have room. With enforce=false the call is
  // always allowed (and counted when it fits), so the headers still tell the truth.
  RateCheck Check(Bucket bucket, bool enforce);
  PlanLimits plan() const;
  void SetPlan(const PlanLimits& plan);
  void Reset();

 private:
  Clock& clock_;
  mutable std::mutex mu_;
  PlanLimits plan_;
  RollingWindowLimiter per_second_{1'000'000};
  FixedWindowQuota per_hour_{3'600'000'000};
};

}  // namespace tajo::sandbox::brevo
