#include "http/rate_limit_headers.h"

#include <gtest/gtest.h>

namespace tajo::http {
namespace {

Headers Make(std::vector<std::pair<std::string, std::string>> fields) {
  Headers h;
  for (auto& [k, v] : fields) h.Add(k, v);
  return h;
}

TEST(RateLimitHeadersTest, ReadsHubSpotIntervalAndDaily) {
  auto reports = ParseRateLimitHeaders(Make({{"X-HubSpot-RateLimit-Max", "100"},
                                             {"X-HubSpot-RateLimit-Remaining", "97"},
                                             {"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"},
                                             {"X-HubSpot-RateLimit-Daily", "250000"},
                                             {"X-HubSpot-RateLimit-Daily-Remaining", "249000"},
                                             {"X-HubSpot-RateLimit-Secondly", "10"},
                                             {"X-HubSpot-RateLimit-Secondly-Remaining", "0"}}));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].source, RateLimitReport::Source::kHubSpotInterval);
  EXPECT_EQ(reports[0].limit, 100);
  EXPECT_EQ(reports[0].remaining, 97);
  EXPECT_EQ(reports[0].window_ms, 10000);
  EXPECT_EQ(reports[1].source, RateLimitReport::Source::kHubSpotDaily);
  EXPECT_EQ(reports[1].limit, 250000);
  EXPECT_EQ(reports[1].remaining, 249000);
  EXPECT_EQ(reports[1].window_ms, kDayMillis);
}

TEST(RateLimitHeadersTest, OAuthResponsesHaveNoDailyReport) {
  auto reports = ParseRateLimitHeaders(Make({{"x-hubspot-ratelimit-max", "110"},
                                             {"x-hubspot-ratelimit-remaining", "109"},
                                             {"x-hubspot-ratelimit-interval-milliseconds", "10000"}}));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].source, RateLimitReport::Source::kHubSpotInterval);
}

TEST(RateLimitHeadersTest, DeprecatedSecondlyHeadersAloneAreIgnored) {
  EXPECT_TRUE(ParseRateLimitHeaders(Make({{"X-HubSpot-RateLimit-Secondly", "10"},
                                          {"X-HubSpot-RateLimit-Secondly-Remaining", "0"}}))
                  .empty());
  EXPECT_TRUE(ParseRateLimitHeaders(Make({{"Content-Type", "application/json"}})).empty());
}

TEST(RateLimitHeadersTest, ReadsBrevoWithDecimalReset) {
  auto reports = ParseRateLimitHeaders(Make({{"x-sib-ratelimit-limit", "10"},
                                             {"x-sib-ratelimit-remaining", "3"},
                                             {"x-sib-ratelimit-reset", "0.25"}}));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].source, RateLimitReport::Source::kBrevo);
  EXPECT_EQ(reports[0].limit, 10);
  EXPECT_EQ(reports[0].remaining, 3);
  EXPECT_EQ(reports[0].reset_ms, 250);
  EXPECT_FALSE(reports[0].window_ms.has_value());
}

TEST(RateLimitHeadersTest, GarbageValuesAreDropped) {
  for (std::string bad : {"abc", "-1", "", " ", "1e3", "12abc", "0x10", "99999999999999999999999999",
                          "100000000000", "+5", "3.5"}) {
    SCOPED_TRACE("value '" + bad + "'");
    auto reports = ParseRateLimitHeaders(Make({{"X-HubSpot-RateLimit-Max", bad},
                                               {"X-HubSpot-RateLimit-Remaining", bad},
                                               {"X-HubSpot-RateLimit-Interval-Milliseconds", bad},
                                               {"x-sib-ratelimit-limit", bad},
                                               {"x-sib-ratelimit-remaining", bad},
                                               {"x-sib-ratelimit-reset", bad}}));
    EXPECT_TRUE(reports.empty());
  }
}

TEST(RateLimitHeadersTest, ZeroLimitAndRemainingAboveLimitAreDropped) {
  auto reports = ParseRateLimitHeaders(Make({{"x-sib-ratelimit-limit", "0"}}));
  EXPECT_TRUE(reports.empty());
  reports = ParseRateLimitHeaders(Make({{"x-sib-ratelimit-limit", "10"}, {"x-sib-ratelimit-remaining", "11"}}));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].limit, 10);
  EXPECT_FALSE(reports[0].remaining.has_value());
}

TEST(RateLimitHeadersTest, ParsesCountsStrictly) {
  EXPECT_EQ(ParseHeaderCount(" 42 ", 100), 42);
  EXPECT_EQ(ParseHeaderCount("0", 100), 0);
  EXPECT_FALSE(ParseHeaderCount("101", 100));
  EXPECT_FALSE(ParseHeaderCount("4 2", 100));
  EXPECT_FALSE(ParseHeaderCount("-0", 100));
}

TEST(RateLimitHeadersTest, ParsesSeconds) {
  EXPECT_EQ(ParseHeaderSecondsAsMillis("2", 100), 2000);
  EXPECT_EQ(ParseHeaderSecondsAsMillis("0", 100), 0);
  EXPECT_EQ(ParseHeaderSecondsAsMillis("1.0001", 100), 1001);  // rounded up: never wait too little
  EXPECT_FALSE(ParseHeaderSecondsAsMillis("3.", 100));
  EXPECT_FALSE(ParseHeaderSecondsAsMillis(".5", 100));
  EXPECT_FALSE(ParseHeaderSecondsAsMillis("1 .5", 100));
  EXPECT_FALSE(ParseHeaderSecondsAsMillis("1.5.5", 100));
  EXPECT_FALSE(ParseHeaderSecondsAsMillis("101", 100));
  EXPECT_FALSE(ParseHeaderSecondsAsMillis("nan", 100));
}

}  // namespace
}  // namespace tajo::http
