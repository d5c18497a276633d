#include "http/plan_budgets.h"

#include <gtest/gtest.h>

namespace tajo::http {
namespace {

using namespace std::chrono_literals;

TEST(PlanBudgetsTest, HubSpotPlanBecomesWindowDailyAndSearchBuckets) {
  ManualClock clock;
  RateBudget budget(clock);
  ASSERT_TRUE(AddHubSpotBuckets(budget, DefaultHubSpotRateLimits(HubSpotPlan::kProfessional)).ok());
  auto limits = budget.Limits(kHubSpotBucket);
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[0].max_calls, 150);
  EXPECT_EQ(limits[0].window, 10200ms);  // 10 s and a margin for arrival after sending
  EXPECT_EQ(limits[1].max_calls, 625'000);
  EXPECT_EQ(limits[1].window, 24h);
  auto search = budget.Limits(kHubSpotSearchBucket);
  ASSERT_EQ(search.size(), 1u);
  EXPECT_EQ(search[0].max_calls, 5);
  EXPECT_EQ(search[0].window, 1100ms);
  // Added twice is refused rather than silently doubling the budget.
  EXPECT_EQ(AddHubSpotBuckets(budget, DefaultHubSpotRateLimits(HubSpotPlan::kFree)).code(),
            StatusCode::kAlreadyExists);
}

TEST(PlanBudgetsTest, BrevoPlanBecomesContactsEventsAndOtherBuckets) {
  ManualClock clock;
  RateBudget budget(clock);
  ASSERT_TRUE(AddBrevoBuckets(budget, DefaultBrevoRateLimits(BrevoPlan::kAdvanced)).ok());
  auto contacts = budget.Limits(kBrevoContactsBucket);
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0].max_calls, 20);
  EXPECT_EQ(contacts[1].max_calls, 72'000);
  EXPECT_EQ(contacts[1].window, 1h);
  EXPECT_EQ(budget.Limits(kBrevoEventsBucket).at(0).max_calls, 20);
  EXPECT_EQ(budget.Limits(kBrevoOtherBucket).at(0).max_calls, 200);
}

TEST(PlanBudgetsTest, NonPositiveNumbersAreRefused) {
  ManualClock clock;
  RateBudget budget(clock);
  HubSpotRateLimits bad = DefaultHubSpotRateLimits(HubSpotPlan::kFree);
  bad.per_10s = 0;
  EXPECT_EQ(AddHubSpotBuckets(budget, bad).code(), StatusCode::kInvalidArgument);
}

// The free plan's budget paces a long run just under its rate: 1,000 calls take 91.8 simulated
// seconds (the first 100 at once, then 100 per 10.2 s), never less.
TEST(PlanBudgetsTest, FreePlanPacesCallsAtTheDocumentedRate) {
  ManualClock clock;
  RateBudget budget(clock);
  ASSERT_TRUE(AddHubSpotBuckets(budget, DefaultHubSpotRateLimits(HubSpotPlan::kFree)).ok());
  int64_t start = clock.NowMicros();
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(budget.Acquire(kHubSpotBucket).ok());
  int64_t elapsed = clock.NowMicros() - start;
  EXPECT_GE(elapsed, 91'800'000);
  EXPECT_LE(elapsed, 91'800'000 + 1000);
}

}  // namespace
}  // namespace tajo::http
