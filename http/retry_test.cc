#include "http/retry.h"

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/client.h"

namespace tajo::http {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kSecond = 1'000'000;
// 2023-11-14T22:13:20Z
constexpr int64_t kNow = 1'700'000'000 * kSecond;

HttpResponse Response(int status, std::vector<std::pair<std::string, std::string>> headers = {},
                      std::string body = "") {
  HttpResponse r;
  r.status = status;
  for (auto& [k, v] : headers) r.headers.Add(k, v);
  r.body = std::move(body);
  return r;
}

class RetryPolicyTest : public ::testing::Test {
 protected:
  RetryPolicy policy_{RetryOptions{.seed = 7}};

  RetryDecision Decide(const Result<HttpResponse>& outcome, bool idempotent = true, int attempt = 1) {
    return policy_.Decide(attempt, 5, idempotent, outcome, kNow);
  }
};

TEST(RetryAfterTest, ParsesSecondsAndHttpDates) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), 120 * kSecond);
  EXPECT_EQ(ParseRetryAfter(" 0 ", kNow), 0);
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 22:13:50 GMT", kNow), 30 * kSecond);
  EXPECT_EQ(ParseRetryAfter("Tuesday, 14-Nov-23 22:14:20 GMT", kNow), 60 * kSecond);
  EXPECT_EQ(ParseRetryAfter("Tue Nov 14 22:13:21 2023", kNow), kSecond);
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 22:00:00 GMT", kNow), 0);  // in the past
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777 * kSecond);
}

TEST(RetryAfterTest, RejectsGarbage) {
  for (std::string bad : {"", "soon", "-5", "1.5", "12abc", "99999999999999999999",
                          "Tue, 14 Nov 2023 25:13:50 GMT", "Tue, 14 Foo 2023 22:13:50 GMT",
                          "Tue, 14 Nov 2023 22:13:50 GMT trailing", "Tue, 14 Nov 2023 22:13:50 PST"}) {
    SCOPED_TRACE("value '" + bad + "'");
    EXPECT_FALSE(ParseRetryAfter(bad, kNow).has_value());
  }
}

TEST(RetryIdempotencyTest, ByMethod) {
  for (auto m : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "get"}) EXPECT_TRUE(IsIdempotentMethod(m)) << m;
  for (auto m : {"POST", "PATCH", "CONNECT", ""}) EXPECT_FALSE(IsIdempotentMethod(m)) << m;
}

TEST(RetryBackoffTest, FullJitterStaysWithinTheExponentialCeiling) {
  RetryPolicy policy(RetryOptions{.base_delay_micros = 100'000, .max_delay_micros = 3'000'000, .seed = 42});
  for (int n = 0; n < 10; ++n) {
    const int64_t ceiling = std::min<int64_t>(3'000'000, int64_t{100'000} << n);
    std::set<int64_t> seen;
    int64_t highest = 0;
    for (int i = 0; i < 200; ++i) {
      const int64_t d = policy.Backoff(n);
      ASSERT_GE(d, 0);
      ASSERT_LE(d, ceiling);
      seen.insert(d);
      highest = std::max(highest, d);
    }
    EXPECT_GT(seen.size(), 150u) << "jitter is spread, not fixed";
    EXPECT_GT(highest, ceiling / 2) << "full jitter reaches the upper half of the range";
  }
  EXPECT_LE(policy.Backoff(60), 3'000'000);  // no overflow for a silly retry index
}

TEST(RetryBackoffTest, SameSeedSameDelays) {
  RetryPolicy a(RetryOptions{.seed = 99});
  RetryPolicy b(RetryOptions{.seed = 99});
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.Backoff(i % 5), b.Backoff(i % 5));
}

TEST_F(RetryPolicyTest, PlainTooManyRequestsBacksOff) {
  auto d = Decide(Response(429));
  EXPECT_TRUE(d.retry);
  EXPECT_TRUE(d.rate_limited);
  EXPECT_LE(d.delay_micros, 500'000);
  EXPECT_EQ(d.block_bucket_micros, 0);
}

TEST_F(RetryPolicyTest, RetryAfterTakesPrecedence) {
  auto d = Decide(Response(429, {{"Retry-After", "7"}},
                           R"({"status":"error","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"})"));
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay_micros, 7 * kSecond);
  EXPECT_EQ(d.block_bucket_micros, 7 * kSecond);

  d = Decide(Response(503, {{"Retry-After", "Tue, 14 Nov 2023 22:13:23 GMT"}}));
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay_micros, 3 * kSecond);
}

TEST_F(RetryPolicyTest, HubSpotTenSecondlyWaitsForTheWindow) {
  const std::string body =
      R"({"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"})";
  auto d = Decide(Response(429, {}, body));
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay_micros, 10 * kSecond);
  EXPECT_EQ(d.block_bucket_micros, 10 * kSecond);
  d = Decide(Response(429, {{"X-HubSpot-RateLimit-Interval-Milliseconds", "5000"}}, body));
  EXPECT_EQ(d.delay_micros, 5 * kSecond);
}

TEST_F(RetryPolicyTest, HubSpotDailyLimitIsNotRetried) {
  auto d = Decide(Response(429, {}, R"({"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"})"));
  EXPECT_FALSE(d.retry);
  EXPECT_TRUE(d.rate_limited);
  EXPECT_THAT(d.reason, HasSubstr("DAILY"));
}

TEST_F(RetryPolicyTest, HubSpotSearchSecondlyLimitWaitsASecond) {
  auto d = Decide(Response(429, {}, R"({"status":"error","message":"You have reached your secondly limit."})"));
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay_micros, kSecond);
}

TEST_F(RetryPolicyTest, BrevoResetIsTheWait) {
  auto d = Decide(Response(429, {{"x-sib-ratelimit-reset", "3"}}, R"({"code":"too_many_requests"})"));
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay_micros, 3 * kSecond);
}

TEST_F(RetryPolicyTest, MalformedBodiesAndHeadersFallBackToBackoff) {
  for (std::string body : {"", "not json", "[1,2]", R"({"policyName":42})", "{\"policyName\":"}) {
    auto d = Decide(Response(429, {{"Retry-After", "soon"}, {"x-sib-ratelimit-reset", "-1"}}, body));
    EXPECT_TRUE(d.retry) << body;
    EXPECT_LE(d.delay_micros, 500'000) << body;
  }
}

TEST_F(RetryPolicyTest, LockedWaitsAtLeastTwoSeconds) {
  auto d = Decide(Response(423), /*idempotent=*/false);
  EXPECT_TRUE(d.retry);
  EXPECT_GE(d.delay_micros, 2 * kSecond);
  d = Decide(Response(423, {{"Retry-After", "5"}}));
  EXPECT_EQ(d.delay_micros, 5 * kSecond);
  d = Decide(Response(423, {{"Retry-After", "0"}}));
  EXPECT_EQ(d.delay_micros, 2 * kSecond);
}

TEST_F(RetryPolicyTest, MigrationInProgressNeedsAReasonableRetryAfter) {
  auto d = Decide(Response(477, {{"Retry-After", "30"}}));
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay_micros, 30 * kSecond);
  EXPECT_FALSE(Decide(Response(477)).retry);
  d = Decide(Response(477, {{"Retry-After", "86400"}}));  // a day: give up, don't sleep through it
  EXPECT_FALSE(d.retry);
  EXPECT_THAT(d.reason, HasSubstr("more than"));
}

TEST_F(RetryPolicyTest, ServerErrorsOnlyForIdempotentCalls) {
  for (int status : {500, 502, 503, 504, 521, 523, 524}) {
    EXPECT_TRUE(Decide(Response(status)).retry) << status;
    EXPECT_FALSE(Decide(Response(status), /*idempotent=*/false).retry) << status;
  }
  for (int status : {200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 501, 505, 522, 525, 526}) {
    EXPECT_FALSE(Decide(Response(status)).retry) << status;
  }
}

TEST_F(RetryPolicyTest, TransportErrors) {
  EXPECT_TRUE(Decide(Status::Unavailable("connection reset")).retry);
  EXPECT_TRUE(Decide(Status::DeadlineExceeded("timed out")).retry);
  EXPECT_FALSE(Decide(Status::InvalidArgument("bad url")).retry);
  EXPECT_FALSE(Decide(Status::FailedPrecondition("TLS certificate verification failed")).retry);
  // Not idempotent: only when the request never left.
  EXPECT_FALSE(Decide(Status::Unavailable("connection reset"), false).retry);
  EXPECT_FALSE(Decide(Status::DeadlineExceeded("timed out"), false).retry);
  EXPECT_TRUE(Decide(NotSentError(StatusCode::kUnavailable, "connection refused"), false).retry);
  EXPECT_TRUE(Decide(NotSentError(StatusCode::kDeadlineExceeded, "connect timed out").WithContext("x"), false).retry);
}

TEST_F(RetryPolicyTest, StopsAtMaxAttempts) {
  auto d = policy_.Decide(5, 5, true, Response(503), kNow);
  EXPECT_FALSE(d.retry);
  EXPECT_THAT(d.reason, HasSubstr("no attempts left"));
  EXPECT_TRUE(policy_.Decide(4, 5, true, Response(503), kNow).retry);
  EXPECT_FALSE(policy_.Decide(1, 1, true, Response(429), kNow).retry);
}

}  // namespace
}  // namespace tajo::http
