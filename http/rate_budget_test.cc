#include "http/rate_budget.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tajo::http {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr int64_t kSecond = 1'000'000;

// The largest number of `times` (sorted) in any half-open interval [t, t + window).
int64_t MaxInAnyWindow(std::vector<int64_t> times, int64_t window) {
  std::sort(times.begin(), times.end());
  int64_t best = 0;
  size_t j = 0;
  for (size_t i = 0; i < times.size(); ++i) {
    while (j < times.size() && times[j] < times[i] + window) ++j;
    best = std::max<int64_t>(best, static_cast<int64_t>(j - i));
  }
  return best;
}

Headers Make(std::vector<std::pair<std::string, std::string>> fields) {
  Headers h;
  for (auto& [k, v] : fields) h.Add(k, v);
  return h;
}

class RateBudgetTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  RateBudget budget_{clock_};

  int64_t AcquireWait(const std::string& bucket) {
    auto g = budget_.Acquire(bucket);
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    return g.ok() ? g->waited_micros : -1;
  }
};

TEST_F(RateBudgetTest, TwoHundredFiftyCallsThroughAHundredPerTenSeconds) {
  ASSERT_TRUE(budget_.AddBucket("hubspot", {{100, 10s}, {250'000, 24h}}).ok());
  const int64_t start = clock_.NowMicros();
  std::vector<int64_t> times;
  for (int i = 0; i < 250; ++i) {
    auto g = budget_.Acquire("hubspot");
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    times.push_back(g->at_micros);
  }
  EXPECT_GE(clock_.NowMicros() - start, 20 * kSecond);
  EXPECT_LE(clock_.NowMicros() - start, 21 * kSecond);  // and no slower than the limit allows
  EXPECT_EQ(MaxInAnyWindow(times, 10 * kSecond), 100);
  auto stats = budget_.Stats("hubspot");
  EXPECT_EQ(stats.calls, 250);
  EXPECT_EQ(stats.waited_calls, 2);  // the 101st and the 201st
  EXPECT_EQ(stats.wait_micros, 20 * kSecond);
}

TEST_F(RateBudgetTest, SpreadCallsAlsoNeverExceedTheWindow) {
  ASSERT_TRUE(budget_.AddBucket("hubspot-search", {{5, 1s}}).ok());
  std::vector<int64_t> times;
  for (int i = 0; i < 60; ++i) {
    clock_.Advance(37'000 * (i % 7));  // irregular gaps between calls
    auto g = budget_.Acquire("hubspot-search");
    ASSERT_TRUE(g.ok());
    times.push_back(g->at_micros);
  }
  EXPECT_EQ(MaxInAnyWindow(times, kSecond), 5);
}

TEST_F(RateBudgetTest, EveryLimitOfABucketApplies) {
  ASSERT_TRUE(budget_.AddBucket("brevo-contacts", {{10, 1s}, {30, 1h}}).ok());
  std::vector<int64_t> times;
  for (int i = 0; i < 31; ++i) times.push_back(budget_.Acquire("brevo-contacts")->at_micros);
  EXPECT_EQ(MaxInAnyWindow(times, kSecond), 10);
  EXPECT_EQ(MaxInAnyWindow(times, 3600 * kSecond), 30);
  EXPECT_EQ(times.back() - times.front(), 3600 * kSecond);  // the 31st waited for the hour
}

TEST_F(RateBudgetTest, DailyLimit) {
  ASSERT_TRUE(budget_.AddBucket("daily", {{100, 10s}, {5000, 24h}}).ok());
  const int64_t start = clock_.NowMicros();
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(budget_.Acquire("daily").ok());
  EXPECT_EQ(clock_.NowMicros() - start, 490 * kSecond);
  auto g = budget_.Acquire("daily");
  ASSERT_TRUE(g.ok());
  // The 5001st call waits for the first to leave the rolling day: slotted (5000 > 4096), so up
  // to one slot (24h / 4096 = 21.1 s) late, never early.
  EXPECT_GE(g->at_micros - start, 86'400 * kSecond);
  EXPECT_LE(g->at_micros - start, 86'400 * kSecond + 22 * kSecond);
}

TEST_F(RateBudgetTest, RefusesAWaitLongerThanAllowed) {
  ASSERT_TRUE(budget_.AddBucket("daily", {{2, 24h}}).ok());
  ASSERT_TRUE(budget_.Acquire("daily", 0).ok());
  ASSERT_TRUE(budget_.Acquire("daily", 0).ok());
  const int64_t before = clock_.NowMicros();
  auto g = budget_.Acquire("daily", 60 * kSecond);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(g.status().message(), HasSubstr("'daily'"));
  EXPECT_THAT(g.status().message(), HasSubstr("24h"));
  EXPECT_EQ(clock_.NowMicros(), before);  // gave up without sleeping
  EXPECT_EQ(budget_.Stats("daily").refusals, 1);
  EXPECT_EQ(budget_.Stats("daily").calls, 2);
}

TEST_F(RateBudgetTest, RejectsBadBucketsWithClearErrors) {
  auto s = budget_.AddBucket("x", {});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("'x'"));
  s = budget_.AddBucket("hubspot", {{100, 10s}, {0, 24h}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("'hubspot' limit 2"));
  s = budget_.AddBucket("y", {{10, 0ms}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  s = budget_.AddBucket("z", {{10, 1s}, {20, 1000ms}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(budget_.AddBucket("", {{1, 1s}}).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(budget_.AddBucket("ok", {{1, 1s}}).ok());
  EXPECT_EQ(budget_.AddBucket("ok", {{1, 1s}}).code(), StatusCode::kAlreadyExists);

  auto g = budget_.Acquire("nope");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(g.status().message(), HasSubstr("'nope'"));
}

TEST_F(RateBudgetTest, AcquireAllRecordsInEveryBucketAtOnce) {
  ASSERT_TRUE(budget_.AddBucket("search", {{5, 1s}}).ok());
  ASSERT_TRUE(budget_.AddBucket("daily", {{7, 24h}}).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(budget_.AcquireAll({"search", "daily", "search"}).ok());
  EXPECT_EQ(budget_.Limits("daily")[0].used, 5);
  EXPECT_EQ(budget_.Limits("search")[0].used, 5);
  EXPECT_EQ(AcquireWait("search"), kSecond);
  EXPECT_EQ(*budget_.TimeUntilAvailable({"daily"}), 0);
  ASSERT_TRUE(budget_.Acquire("daily").ok());
  ASSERT_TRUE(budget_.Acquire("daily").ok());  // 7 of 7
  EXPECT_EQ(*budget_.TimeUntilAvailable({"search"}), 0);
  EXPECT_GT(*budget_.TimeUntilAvailable({"search", "daily"}), 3600 * kSecond);
  EXPECT_TRUE(budget_.AcquireAll({}).ok());
}

TEST_F(RateBudgetTest, HubSpotRemainingZeroMakesTheNextCallWaitForTheInterval) {
  ASSERT_TRUE(budget_.AddBucket("hubspot", {{100, 10s}, {250'000, 24h}}).ok());
  ASSERT_EQ(AcquireWait("hubspot"), 0);
  // Another app of the same portal used the window up.
  EXPECT_TRUE(budget_.UpdateFromHeaders("hubspot", Make({{"X-HubSpot-RateLimit-Max", "100"},
                                                         {"X-HubSpot-RateLimit-Remaining", "0"},
                                                         {"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"}})));
  EXPECT_EQ(budget_.Limits("hubspot")[0].used, 100);
  EXPECT_EQ(AcquireWait("hubspot"), 10 * kSecond);
  EXPECT_EQ(budget_.Stats("hubspot").corrections, 1);
}

TEST_F(RateBudgetTest, HigherRemainingNeverLoosensTheBudget) {
  ASSERT_TRUE(budget_.AddBucket("hubspot", {{3, 10s}}).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(budget_.Acquire("hubspot").ok());
  EXPECT_FALSE(budget_.UpdateFromHeaders("hubspot", Make({{"X-HubSpot-RateLimit-Max", "3"},
                                                          {"X-HubSpot-RateLimit-Remaining", "3"},
                                                          {"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"}})));
  EXPECT_EQ(AcquireWait("hubspot"), 10 * kSecond);
}

TEST_F(RateBudgetTest, HubSpotNewMaxIsAdopted) {
  ASSERT_TRUE(budget_.AddBucket("hubspot", {{100, 10s}, {250'000, 24h}}).ok());
  ASSERT_TRUE(budget_.Acquire("hubspot").ok());
  EXPECT_TRUE(budget_.UpdateFromHeaders("hubspot", Make({{"X-HubSpot-RateLimit-Max", "5"},
                                                         {"X-HubSpot-RateLimit-Remaining", "4"},
                                                         {"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"}})));
  EXPECT_EQ(budget_.Limits("hubspot")[0].max_calls, 5);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(AcquireWait("hubspot"), 0);
  EXPECT_EQ(AcquireWait("hubspot"), 10 * kSecond);

  // A bigger plan (190 per 10 s) is adopted too.
  EXPECT_TRUE(budget_.UpdateFromHeaders("hubspot", Make({{"X-HubSpot-RateLimit-Max", "190"},
                                                         {"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"}})));
  EXPECT_EQ(budget_.Limits("hubspot")[0].max_calls, 190);
}

TEST_F(RateBudgetTest, HubSpotUnknownIntervalAddsALimit) {
  ASSERT_TRUE(budget_.AddBucket("hubspot", {{100, 10s}}).ok());
  EXPECT_TRUE(budget_.UpdateFromHeaders("hubspot", Make({{"X-HubSpot-RateLimit-Max", "2"},
                                                         {"X-HubSpot-RateLimit-Remaining", "2"},
                                                         {"X-HubSpot-RateLimit-Interval-Milliseconds", "1000"}})));
  auto limits = budget_.Limits("hubspot");
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[1].max_calls, 2);
  EXPECT_EQ(limits[1].window, 1000ms);
  EXPECT_EQ(AcquireWait("hubspot"), 0);
  EXPECT_EQ(AcquireWait("hubspot"), 0);
  EXPECT_EQ(AcquireWait("hubspot"), kSecond);
}

TEST_F(RateBudgetTest, HubSpotDailyRemainingZeroWaitsADay) {
  ASSERT_TRUE(budget_.AddBucket("hubspot", {{100, 10s}, {250'000, 24h}}).ok());
  ASSERT_TRUE(budget_.Acquire("hubspot").ok());
  EXPECT_TRUE(budget_.UpdateFromHeaders("hubspot", Make({{"X-HubSpot-RateLimit-Daily", "250000"},
                                                         {"X-HubSpot-RateLimit-Daily-Remaining", "0"}})));
  EXPECT_EQ(budget_.Limits("hubspot")[1].used, 250'000);
  const int64_t wait = AcquireWait("hubspot");
  EXPECT_GE(wait, 86'400 * kSecond);
  EXPECT_LE(wait, 86'400 * kSecond + 22 * kSecond);
}

TEST_F(RateBudgetTest, BrevoResetIsHonoured) {
  ASSERT_TRUE(budget_.AddBucket("brevo-contacts", {{10, 1s}, {36'000, 1h}}).ok());
  ASSERT_TRUE(budget_.Acquire("brevo-contacts").ok());
  // The hourly window is spent and frees in 120 s, not in an hour.
  EXPECT_TRUE(budget_.UpdateFromHeaders("brevo-contacts", Make({{"x-sib-ratelimit-limit", "36000"},
                                                                {"x-sib-ratelimit-remaining", "0"},
                                                                {"x-sib-ratelimit-reset", "120"}})));
  const int64_t wait = AcquireWait("brevo-contacts");
  EXPECT_GE(wait, 120 * kSecond);
  EXPECT_LE(wait, 121 * kSecond);  // 36000 > 4096: slots of 0.88 s
}

TEST_F(RateBudgetTest, BrevoPerSecondReportIsMatchedByItsLimit) {
  ASSERT_TRUE(budget_.AddBucket("brevo-contacts", {{10, 1s}, {36'000, 1h}}).ok());
  EXPECT_TRUE(budget_.UpdateFromHeaders("brevo-contacts", Make({{"x-sib-ratelimit-limit", "10"},
                                                                {"x-sib-ratelimit-remaining", "0"},
                                                                {"x-sib-ratelimit-reset", "1"}})));
  EXPECT_EQ(AcquireWait("brevo-contacts"), kSecond);
  // An advanced plan (20 per second) is recognised by its reset and adopted.
  EXPECT_TRUE(budget_.UpdateFromHeaders("brevo-contacts", Make({{"x-sib-ratelimit-limit", "20"},
                                                                {"x-sib-ratelimit-remaining", "19"},
                                                                {"x-sib-ratelimit-reset", "1"}})));
  auto limits = budget_.Limits("brevo-contacts");
  EXPECT_EQ(limits[0].max_calls, 20);
  EXPECT_EQ(limits[1].max_calls, 36'000);
}

TEST_F(RateBudgetTest, BrevoNewLimitIsAdopted) {
  ASSERT_TRUE(budget_.AddBucket("brevo-other", {{100, 1h}}).ok());
  EXPECT_TRUE(budget_.UpdateFromHeaders("brevo-other", Make({{"x-sib-ratelimit-limit", "3"},
                                                             {"x-sib-ratelimit-remaining", "3"},
                                                             {"x-sib-ratelimit-reset", "3600"}})));
  EXPECT_EQ(budget_.Limits("brevo-other")[0].max_calls, 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(AcquireWait("brevo-other"), 0);
  EXPECT_EQ(AcquireWait("brevo-other"), 3600 * kSecond);
}

TEST_F(RateBudgetTest, BrevoResetBeyondEveryWindowBlocksTheBucket) {
  ASSERT_TRUE(budget_.AddBucket("brevo-events", {{10, 1s}}).ok());
  EXPECT_TRUE(budget_.UpdateFromHeaders("brevo-events", Make({{"x-sib-ratelimit-limit", "10"},
                                                              {"x-sib-ratelimit-remaining", "0"},
                                                              {"x-sib-ratelimit-reset", "30"}})));
  EXPECT_EQ(AcquireWait("brevo-events"), 30 * kSecond);
}

TEST_F(RateBudgetTest, GarbageHeadersAreIgnored) {
  ASSERT_TRUE(budget_.AddBucket("hubspot", {{100, 10s}, {250'000, 24h}}).ok());
  ASSERT_TRUE(budget_.AddBucket("brevo-contacts", {{10, 1s}, {36'000, 1h}}).ok());
  for (std::string bad : {"abc", "-5", "", "99999999999999999999999999999", "1e9", "NaN", "0x20", "\x01\xff"}) {
    SCOPED_TRACE("value '" + bad + "'");
    EXPECT_FALSE(budget_.UpdateFromHeaders("hubspot", Make({{"X-HubSpot-RateLimit-Max", bad},
                                                            {"X-HubSpot-RateLimit-Remaining", bad},
                                                            {"X-HubSpot-RateLimit-Interval-Milliseconds", bad},
                                                            {"X-HubSpot-RateLimit-Daily", bad},
                                                            {"X-HubSpot-RateLimit-Daily-Remaining", bad}})));
    EXPECT_FALSE(budget_.UpdateFromHeaders("brevo-contacts", Make({{"x-sib-ratelimit-limit", bad},
                                                                   {"x-sib-ratelimit-remaining", bad},
                                                                   {"x-sib-ratelimit-reset", bad}})));
  }
  // A huge interval is garbage too, and so is a zero limit.
  EXPECT_FALSE(budget_.UpdateFromHeaders("hubspot", Make({{"X-HubSpot-RateLimit-Max", "0"},
                                                          {"X-HubSpot-RateLimit-Interval-Milliseconds", "999999999999"}})));
  EXPECT_FALSE(budget_.UpdateFromHeaders("nope", Make({{"x-sib-ratelimit-limit", "10"}})));
  auto limits = budget_.Limits("hubspot");
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[0].max_calls, 100);
  EXPECT_EQ(limits[1].max_calls, 250'000);
  EXPECT_EQ(AcquireWait("hubspot"), 0);
  EXPECT_EQ(AcquireWait("brevo-contacts"), 0);
  EXPECT_EQ(budget_.Stats("hubspot").corrections, 0);
}

TEST_F(RateBudgetTest, BlockUntilStopsEveryCallerAndNeverShortens) {
  ASSERT_TRUE(budget_.AddBucket("hubspot", {{100, 10s}}).ok());
  budget_.BlockUntil("hubspot", clock_.NowMicros() + 5 * kSecond);
  budget_.BlockUntil("hubspot", clock_.NowMicros() + 1 * kSecond);
  budget_.BlockUntil("unknown", clock_.NowMicros() + 1 * kSecond);
  EXPECT_EQ(AcquireWait("hubspot"), 5 * kSecond);
  EXPECT_EQ(AcquireWait("hubspot"), 0);
}

TEST_F(RateBudgetTest, ConcurrentThreadsNeverExceedTheLimit) {
  ASSERT_TRUE(budget_.AddBucket("brevo-contacts", {{10, 1s}}).ok());
  std::mutex mu;
  std::vector<int64_t> times;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto g = budget_.Acquire("brevo-contacts");
        ASSERT_TRUE(g.ok());
        std::lock_guard<std::mutex> lock(mu);
        times.push_back(g->at_micros);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(times.size(), 400u);
  EXPECT_LE(MaxInAnyWindow(times, kSecond), 10);
  EXPECT_EQ(budget_.Stats("brevo-contacts").calls, 400);
}

TEST_F(RateBudgetTest, ConcurrentThreadsOnTheRealClockNeverExceedTheLimit) {
  // A short window on the real clock: the threads really block and race for each slot.
  RateBudget budget(SystemClock());
  ASSERT_TRUE(budget.AddBucket("b", {{5, 20ms}}).ok());
  std::mutex mu;
  std::vector<int64_t> times;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto g = budget.Acquire("b");
        ASSERT_TRUE(g.ok());
        std::lock_guard<std::mutex> lock(mu);
        times.push_back(g->at_micros);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(times.size(), 40u);
  EXPECT_LE(MaxInAnyWindow(times, 20'000), 5);
}

}  // namespace
}  // namespace tajo::http
