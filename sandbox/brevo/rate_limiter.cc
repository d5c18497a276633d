#include "sandbox/brevo/rate_limiter.h"

#include <algorithm>

namespace tajo::sandbox::brevo {
namespace {

constexpr int64_t kHourMicros = 3'600'000'000;

void SetHeaders(http::Headers& h, int64_t limit, int64_t remaining, int64_t reset_s) {
  h.Set("x-sib-ratelimit-limit", std::to_string(limit));
  h.Set("x-sib-ratelimit-remaining", std::to_string(std::max<int64_t>(0, remaining)));
  h.Set("x-sib-ratelimit-reset", std::to_string(std::max<int64_t>(0, reset_s)));
}

}  // namespace

const char* BucketName(Bucket b) {
  switch (b) {
    case Bucket::kContacts: return "contacts";
    case Bucket::kEvents: return "events";
    case Bucket::kOther: return "other";
  }
  return "other";
}

BrevoRateLimiter::BrevoRateLimiter(Clock& clock, PlanLimits plan) : clock_(clock), plan_(std::move(plan)) {}

PlanLimits BrevoRateLimiter::plan() const {
  std::lock_guard lock(mu_);
  return plan_;
}

void BrevoRateLimiter::SetPlan(const PlanLimits& plan) {
  std::lock_guard lock(mu_);
  plan_ = plan;
}

void BrevoRateLimiter::Reset() {
  std::lock_guard lock(mu_);
  per_second_.Reset();
  per_hour_.Reset();
}

RateCheck BrevoRateLimiter::Check(Bucket bucket, bool enforce) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMicros();
  int64_t per_second = 0, per_hour = 0;
  switch (bucket) {
    case Bucket::kContacts:
      per_second = plan_.contacts_per_second;
      per_hour = plan_.contacts_per_hour;
      break;
    case Bucket::kEvents:
      per_second = plan_.events_per_second;
      per_hour = plan_.events_per_hour;
      break;
    case Bucket::kOther:
      per_hour = plan_.other_per_hour;
      break;
  }
  const std::string key = BucketName(bucket);
  const int64_t hour_reset_s = ((now / kHourMicros + 1) * kHourMicros - now + 999'999) / 1'000'000;
  WindowDecision second{true, 0, INT64_MAX, 0};
  if (per_second > 0) second = per_second_.Peek(key, per_second, now);
  WindowDecision hour = per_hour_.Peek(key, per_hour, now);
  RateCheck check;
  const bool second_full = per_second > 0 && second.remaining <= 0;
  const bool hour_full = hour.remaining <= 0;
  if (second_full || hour_full) {
    // Report the window that refuses (the hour wins: it frees later).
    if (hour_full) {
      check.window = "hour";
      check.retry_after_ms = hour_reset_s * 1000;
      SetHeaders(check.headers, per_hour, 0, hour_reset_s);
    } else {
      check.window = "second";
      check.retry_after_ms = std::max<int64_t>(1, second.retry_after_micros / 1000);
      SetHeaders(check.headers, per_second, 0, (second.retry_after_micros + 999'999) / 1'000'000);
    }
    check.allowed = !enforce;
    return check;
  }
  if (per_second > 0) second = per_second_.TryAcquire(key, per_second, now);
  hour = per_hour_.TryAcquire(key, per_hour, now);
  if (per_second > 0 && second.remaining < hour.remaining) {
    check.window = "second";
    SetHeaders(check.headers, per_second, second.remaining, 1);
  } else {
    check.window = "hour";
    SetHeaders(check.headers, per_hour, hour.remaining, hour_reset_s);
  }
  return check;
}

}  // namespace tajo::sandbox::brevo
