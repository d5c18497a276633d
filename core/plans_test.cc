#include "core/plans.h"

#include <gtest/gtest.h>

namespace tajo {
namespace {

TEST(PlansTest, HubSpotDefaults) {
  // per_10s: the product document's "Rate Limit" column; daily: hubspot-api.md §9.1.
  EXPECT_EQ(DefaultHubSpotRateLimits(HubSpotPlan::kFree), (HubSpotRateLimits{100, 250'000, 5}));
  EXPECT_EQ(DefaultHubSpotRateLimits(HubSpotPlan::kStarter), (HubSpotRateLimits{100, 250'000, 5}));
  EXPECT_EQ(DefaultHubSpotRateLimits(HubSpotPlan::kProfessional), (HubSpotRateLimits{150, 625'000, 5}));
  EXPECT_EQ(DefaultHubSpotRateLimits(HubSpotPlan::kEnterprise), (HubSpotRateLimits{200, 1'000'000, 5}));
  EXPECT_EQ(DefaultHubSpotRateLimits(HubSpotPlan::kApiAddon), (HubSpotRateLimits{200, 2'000'000, 5}));
}

TEST(PlansTest, BrevoDefaults) {
  EXPECT_EQ(DefaultBrevoRateLimits(BrevoPlan::kStandard), (BrevoRateLimits{10, 36'000, 10, 100}));
  EXPECT_EQ(DefaultBrevoRateLimits(BrevoPlan::kAdvanced), (BrevoRateLimits{20, 72'000, 20, 200}));
}

TEST(PlansTest, NamesRoundTrip) {
  ASSERT_EQ(HubSpotPlanNames().size(), 5u);
  for (std::string_view name : HubSpotPlanNames()) {
    std::optional<HubSpotPlan> p = HubSpotPlanFromName(name);
    ASSERT_TRUE(p.has_value()) << name;
    EXPECT_EQ(HubSpotPlanName(*p), name);
  }
  ASSERT_EQ(BrevoPlanNames().size(), 2u);
  for (std::string_view name : BrevoPlanNames()) {
    std::optional<BrevoPlan> p = BrevoPlanFromName(name);
    ASSERT_TRUE(p.has_value()) << name;
    EXPECT_EQ(BrevoPlanName(*p), name);
  }
  EXPECT_EQ(HubSpotPlanName(HubSpotPlan::kApiAddon), "api_addon");
  EXPECT_FALSE(HubSpotPlanFromName("Professional").has_value());
  EXPECT_FALSE(HubSpotPlanFromName("").has_value());
  EXPECT_FALSE(BrevoPlanFromName("enterprise").has_value());
}

}  // namespace
}  // namespace tajo
