#include "http/plan_budgets.h"

#include <chrono>
#include <string>

namespace tajo::http {

using namespace std::chrono_literals;

namespace {
// Windows a little longer than the services': the budget counts a call when it is sent, the
// server when it arrives, and a large body (a 5 MB import) arrives later than a small one sent
// after it. Without this margin, sends spaced exactly one window apart drew 429s from Brevo's
// 10-a-second bucket.
constexpr std::chrono::milliseconds kOneSecond = 1s + 100ms;
constexpr std::chrono::milliseconds kTenSeconds = 10s + 200ms;
}  // namespace

Status AddHubSpotBuckets(RateBudget& budget, const HubSpotRateLimits& limits) {
  TAJO_RETURN_IF_ERROR(budget.AddBucket(std::string(kHubSpotBucket),
                                        {{limits.per_10s, kTenSeconds}, {limits.daily, 24h}}));
  return budget.AddBucket(std::string(kHubSpotSearchBucket), {{limits.search_per_second, kOneSecond}});
}

Status AddBrevoBuckets(RateBudget& budget, const BrevoRateLimits& limits) {
  TAJO_RETURN_IF_ERROR(budget.AddBucket(std::string(kBrevoContactsBucket),
                                        {{limits.contacts_per_second, kOneSecond}, {limits.contacts_per_hour, 1h}}));
  TAJO_RETURN_IF_ERROR(budget.AddBucket(std::string(kBrevoEventsBucket), {{limits.events_per_second, kOneSecond}}));
  return budget.AddBucket(std::string(kBrevoOtherBucket), {{limits.other_per_hour, 1h}});
}

}  // namespace tajo::http
