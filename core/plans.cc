#include "core/plans.h"

#include <array>

namespace tajo {
namespace {

// Same order as the enums.
constexpr std::array<std::string_view, 5> kHubSpotPlanNames = {"free", "starter", "professional",
                                                               "enterprise", "api_addon"};
constexpr std::array<std::string_view, 2> kBrevoPlanNames = {"standard", "advanced"};

}  // namespace

std::span<const std::string_view> HubSpotPlanNames() { return kHubSpotPlanNames; }
std::span<const std::string_view> BrevoPlanNames() { return kBrevoPlanNames; }

std::string_view HubSpotPlanName(HubSpotPlan plan) {
  return kHubSpotPlanNames[static_cast<size_t>(plan)];
}

std::string_view BrevoPlanName(BrevoPlan plan) { return kBrevoPlanNames[static_cast<size_t>(plan)]; }

std::optional<HubSpotPlan> HubSpotPlanFromName(std::string_view name) {
  for (size_t i = 0; i < kHubSpotPlanNames.size(); ++i) {
    if (kHubSpotPlanNames[i] == name) return static_cast<HubSpotPlan>(i);
  }
  return std::nullopt;
}

std::optional<BrevoPlan> BrevoPlanFromName(std::string_view name) {
  for (size_t i = 0; i < kBrevoPlanNames.size(); ++i) {
    if (kBrevoPlanNames[i] == name) return static_cast<BrevoPlan>(i);
  }
  return std::nullopt;
}

HubSpotRateLimits DefaultHubSpotRateLimits(HubSpotPlan plan) {
  // per_10s: the product document's "Rate Limit" column, which stays under the real burst
  // (hubspot-api.md §9.1: 100 / 190 / 190 / 250). daily: hubspot-api.md §9.1, the add-on counted
  // once (+1,000,000 on top of Enterprise). Search: 5 requests/second on every plan.
  switch (plan) {
    case HubSpotPlan::kFree: return {.per_10s = 100, .daily = 250'000, .search_per_second = 5};
    case HubSpotPlan::kStarter: return {.per_10s = 100, .daily = 250'000, .search_per_second = 5};
    case HubSpotPlan::kProfessional: return {.per_10s = 150, .daily = 625'000, .search_per_second = 5};
    case HubSpotPlan::kEnterprise: return {.per_10s = 200, .daily = 1'000'000, .search_per_second = 5};
    case HubSpotPlan::kApiAddon: return {.per_10s = 200, .daily = 2'000'000, .search_per_second = 5};
  }
  return DefaultHubSpotRateLimits(HubSpotPlan::kFree);
}

BrevoRateLimits DefaultBrevoRateLimits(BrevoPlan plan) {
  // brevo-api.md §8: the general tier, and the advanced tier (Professional/Enterprise plans).
  switch (plan) {
    case BrevoPlan::kStandard:
      return {.contacts_per_second = 10, .contacts_per_hour = 36'000, .events_per_second = 10,
              .other_per_hour = 100};
    case BrevoPlan::kAdvanced:
      return {.contacts_per_second = 20, .contacts_per_hour = 72'000, .events_per_second = 20,
              .other_per_hour = 200};
  }
  return DefaultBrevoRateLimits(BrevoPlan::kStandard);
}

}  // namespace tajo
