#include "http/plan_budgets.h"

#include <chrono>
#include <string>

namespace tajo::http {

using namespace std::chrono_literals;

Status AddHubSpotBuckets(RateBudget& budget, const HubSpotRateLimits& limits) {
  TAJO_RETURN_IF_ERROR(budget.AddBucket(std::string(kHubSpotBucket),
                                        {{limits.per_10s, 10s}, {limits.daily, 24h}}));
  return budget.AddBucket(std::string(kHubSpotSearchBucket), {{limits.search_per_second, 1s}});
}

Status AddBrevoBuckets(RateBudget& budget, const BrevoRateLimits& limits) {
  TAJO_RETURN_IF_ERROR(budget.AddBucket(std::string(kBrevoContactsBucket),
                                        {{limits.contacts_per_second, 1s}, {limits.contacts_per_hour, 1h}}));
  TAJO_RETURN_IF_ERROR(budget.AddBucket(std::string(kBrevoEventsBucket), {{limits.events_per_second, 1s}}));
  return budget.AddBucket(std::string(kBrevoOtherBucket), {{limits.other_per_hour, 1h}});
}

}  // namespace tajo::http
