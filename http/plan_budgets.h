// The rate buckets of each service, built from the plan numbers in the configuration
// (core/plans.h). One place names the buckets, so the API clients and the benchmarks agree on
// which bucket an endpoint draws from.
//
// The 1-second and 10-second windows are 100 ms and 200 ms longer than the services' (a call is
// counted when sent, the server counts it when it arrives): a sustained run is paced 2% (10 s)
// and 10% (1 s) below the documented rates, and draws no 429.
//
//   hubspot          every non-search HubSpot call: per_10s per rolling 10 s, daily per day
//   hubspot-search   POST /crm/v3/objects/{type}/search: search_per_second per second (search is
//                    outside the 10-second window, reference §9.1, so it draws from this bucket only)
//   brevo-contacts   /v3/contacts/*: contacts_per_second per second and contacts_per_hour per hour
//   brevo-events     POST /v3/events: events_per_second per second
//   brevo-other      every other Brevo endpoint: other_per_hour per hour
//
// Pure functions over a RateBudget; thread-safety is the RateBudget's.
#pragma once

#include <string_view>

#include "core/plans.h"
#include "core/status.h"
#include "http/rate_budget.h"

namespace tajo::http {

inline constexpr std::string_view kHubSpotBucket = "hubspot";
inline constexpr std::string_view kHubSpotSearchBucket = "hubspot-search";
inline constexpr std::string_view kBrevoContactsBucket = "brevo-contacts";
inline constexpr std::string_view kBrevoEventsBucket = "brevo-events";
inline constexpr std::string_view kBrevoOtherBucket = "brevo-other";

// Adds the HubSpot buckets. Fails (kInvalidArgument) when a number is not positive, or
// kAlreadyExists when they were added before.
Status AddHubSpotBuckets(RateBudget& budget, const HubSpotRateLimits& limits);

// Adds the Brevo buckets. Same failures.
Status AddBrevoBuckets(RateBudget& budget, const BrevoRateLimits& limits);

}  // namespace tajo::http
