// Rate plans: what each HubSpot and Brevo plan allows, as plain numbers.
//
// The config loader picks a plan's defaults (connectors.hubspot.plan, brevo.plan), applies the
// per-number overrides from `rate_limits:`, and hands the result to the HTTP layer, which turns
// each number into a rate bucket. Live `X-HubSpot-RateLimit-*` / `x-sib-ratelimit-*` headers may
// later correct these figures; they are the starting budget, deliberately on the safe side.
//
// Sources: the product document's "Rate Limits" table (HubSpot per-10-second figures, below the
// real burst), reference/hubspot-api.md §9.1 (daily quotas, search 5/s) and reference/brevo-api.md
// §8 (contacts, events and "all other endpoints" buckets for the general and advanced tiers).
//
// Plain values and pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tajo {

enum class HubSpotPlan { kFree, kStarter, kProfessional, kEnterprise, kApiAddon };
enum class BrevoPlan { kStandard, kAdvanced };

// HubSpot budgets for one private app / account.
struct HubSpotRateLimits {
  int64_t per_10s = 0;            // requests per rolling 10-second window (all non-search calls)
  int64_t daily = 0;              // requests per day (shared by the account's apps)
  int64_t search_per_second = 0;  // CRM search requests per second

  bool operator==(const HubSpotRateLimits&) const = default;
};

// Brevo budgets for one account. Contacts calls are limited both per second and per hour;
// "other" is the small hourly bucket shared by every endpoint without its own limit
// (/companies, /crm/*, /webhooks, /processes, /account, ...).
struct BrevoRateLimits {
  int64_t contacts_per_second = 0;  // all /v3/contacts/* calls
  int64_t contacts_per_hour = 0;
  int64_t events_per_second = 0;    // POST /v3/events
  int64_t other_per_hour = 0;       // every endpoint without a bucket of its own

  bool operator==(const BrevoRateLimits&) const = default;
};

// Plan names as written in tajo.yaml: "free", "starter", "professional", "enterprise",
// "api_addon" / "standard", "advanced". The spans list them in that order.
std::span<const std::string_view> HubSpotPlanNames();
std::span<const std::string_view> BrevoPlanNames();
std::string_view HubSpotPlanName(HubSpotPlan plan);
std::string_view BrevoPlanName(BrevoPlan plan);

// The plan called `name` (exact, lower case), or nullopt when there is none.
std::optional<HubSpotPlan> HubSpotPlanFromName(std::string_view name);
std::optional<BrevoPlan> BrevoPlanFromName(std::string_view name);

// The budgets a plan starts with.
HubSpotRateLimits DefaultHubSpotRateLimits(HubSpotPlan plan);
BrevoRateLimits DefaultBrevoRateLimits(BrevoPlan plan);

}  // namespace tajo
