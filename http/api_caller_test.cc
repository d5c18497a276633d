#include "http/api_caller.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/log.h"
#include "core/redact.h"

namespace tajo::http {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kSecond = 1'000'000;

HttpResponse Response(int status, std::vector<std::pair<std::string, std::string>> headers = {},
                      std::string body = "") {
  HttpResponse r;
  r.status = status;
  for (auto& [k, v] : headers) r.headers.Add(k, v);
  r.body = std::move(body);
  return r;
}

// A Transport that answers from a script (then a default) and records when each request came.
class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(Clock& clock) : clock_(clock) {}

  void Script(std::vector<Result<HttpResponse>> outcomes) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& o : outcomes) script_.push_back(std::move(o));
  }
  // Answers every request not covered by the script.
  void SetDefault(std::function<Result<HttpResponse>(const ClientRequest&)> f) {
    std::lock_guard<std::mutex> lock(mu_);
    default_ = std::move(f);
  }

  Result<HttpResponse> Send(const ClientRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    sent_at_.push_back(clock_.NowMicros());
    sent_.push_back(request);
    if (!script_.empty()) {
      auto r = std::move(script_.front());
      script_.pop_front();
      return r;
    }
    return default_ ? default_(request) : Result<HttpResponse>(Response(200));
  }

  std::vector<Result<HttpResponse>> SendAll(const std::vector<ClientRequest>& requests) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      batches_.push_back(requests.size());
    }
    return Transport::SendAll(requests);
  }

  std::vector<size_t> batches() const {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }
  std::vector<int64_t> sent_at() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_at_;
  }
  size_t sent() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_.size();
  }

 private:
  Clock& clock_;
  mutable std::mutex mu_;
  std::deque<Result<HttpResponse>> script_;
  std::function<Result<HttpResponse>(const ClientRequest&)> default_;
  std::vector<int64_t> sent_at_;
  std::vector<ClientRequest> sent_;
  std::vector<size_t> batches_;
};

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

ClientRequest Get(std::string url = "https://api.hubapi.com/crm/v3/objects/contacts?limit=100") {
  ClientRequest r;
  r.url = std::move(url);
  return r;
}

ClientRequest Post(std::string url = "https://api.brevo.com/v3/contacts") {
  ClientRequest r;
  r.method = "POST";
  r.url = std::move(url);
  r.body = R"({"email":"a@example.com"})";
  return r;
}

class ApiCallerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(budget_.AddBucket("hubspot", {{100, 10s}, {250'000, 24h}}).ok());
    ASSERT_TRUE(budget_.AddBucket("brevo-contacts", {{10, 1s}, {36'000, 1h}}).ok());
  }

  ManualClock clock_;
  FakeTransport transport_{clock_};
  RateBudget budget_{clock_};
  RetryPolicy retry_{RetryOptions{.seed = 42}};
  ApiCaller caller_{transport_, budget_, retry_, clock_};
  const CallOptions hubspot_{.buckets = {"hubspot"}};
};

TEST_F(ApiCallerTest, TwoTooManyRequestsThenOkIsOneSuccessAfterTwoBackoffs) {
  transport_.Script({Response(429), Response(429), Response(200, {}, "ok")});
  const int64_t start = clock_.NowMicros();
  auto r = caller_.Call(Get(), hubspot_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(transport_.sent(), 3u);

  // The two waits are exactly the policy's first two full-jitter backoffs.
  RetryPolicy same_seed(RetryOptions{.seed = 42});
  const int64_t first = same_seed.Backoff(0);
  const int64_t second = same_seed.Backoff(1);
  EXPECT_LE(first, 500'000);
  EXPECT_LE(second, 1'000'000);
  auto sent_at = transport_.sent_at();
  EXPECT_EQ(sent_at[1] - sent_at[0], first);
  EXPECT_EQ(sent_at[2] - sent_at[1], second);
  EXPECT_EQ(clock_.NowMicros() - start, first + second);

  auto s = caller_.Stats("hubspot");
  EXPECT_EQ(s.calls, 1);
  EXPECT_EQ(s.attempts, 3);
  EXPECT_EQ(s.retries, 2);
  EXPECT_EQ(s.rate_limited, 2);
  EXPECT_EQ(s.failed, 0);
  EXPECT_EQ(s.backoff_micros, first + second);
  EXPECT_EQ(budget_.Stats("hubspot").calls, 3);  // the budget is drawn before EACH attempt
}

TEST_F(ApiCallerTest, TwoHundredFiftyCallsKeepToTheBudget) {
  const int64_t start = clock_.NowMicros();
  for (int i = 0; i < 250; ++i) ASSERT_TRUE(caller_.Call(Get(), hubspot_).ok());
  EXPECT_GE(clock_.NowMicros() - start, 20 * kSecond);
  EXPECT_EQ(MaxInAnyWindow(transport_.sent_at(), 10 * kSecond), 100);
  EXPECT_EQ(caller_.Stats("hubspot").calls, 250);
  EXPECT_EQ(caller_.Stats("hubspot").rate_limited, 0);
}

TEST_F(ApiCallerTest, RetryAfterIsHonoured) {
  transport_.Script({Response(503, {{"Retry-After", "3"}}), Response(200)});
  auto r = caller_.Call(Get(), hubspot_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  auto sent_at = transport_.sent_at();
  ASSERT_EQ(sent_at.size(), 2u);
  EXPECT_EQ(sent_at[1] - sent_at[0], 3 * kSecond);
  EXPECT_EQ(caller_.Stats("hubspot").server_errors, 1);
}

TEST_F(ApiCallerTest, TenSecondlyTooManyRequestsClosesTheBucketForEveryone) {
  transport_.Script({Response(429, {}, R"({"status":"error","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"})")});
  const int64_t start = clock_.NowMicros();
  ASSERT_TRUE(caller_.Call(Get(), hubspot_).ok());
  auto sent_at = transport_.sent_at();
  ASSERT_EQ(sent_at.size(), 2u);
  EXPECT_EQ(sent_at[1] - start, 10 * kSecond);
  // The block was recorded in the budget: it stood until the retry.
  EXPECT_EQ(*budget_.TimeUntilAvailable({"hubspot"}), 0);
}

TEST_F(ApiCallerTest, StopsAtMaxAttemptsAndReturnsTheLastResponse) {
  transport_.SetDefault([](const ClientRequest&) { return Response(500); });
  auto r = caller_.Call(Get(), hubspot_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(transport_.sent(), 5u);
  EXPECT_EQ(caller_.Stats("hubspot").failed, 1);

  CallOptions two = hubspot_;
  two.max_attempts = 2;
  ASSERT_TRUE(caller_.Call(Get(), two).ok());
  EXPECT_EQ(transport_.sent(), 7u);
}

TEST_F(ApiCallerTest, TransportErrorAfterMaxAttemptsSaysSo) {
  transport_.SetDefault([](const ClientRequest&) { return Status::Unavailable("connection reset by peer"); });
  auto r = caller_.Call(Get(), hubspot_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("after 5 attempts"));
  EXPECT_THAT(r.status().message(), HasSubstr("GET https://api.hubapi.com/crm/v3/objects/contacts"));
  EXPECT_EQ(caller_.Stats("hubspot").transport_errors, 5);
}

TEST_F(ApiCallerTest, NonIdempotentPostIsNotRetriedAfterItMayHaveBeenSent) {
  transport_.SetDefault([](const ClientRequest&) { return Response(201); });
  // Anything not scripted would be a 201: a retry would turn these failures into successes.
  transport_.Script({Status::Unavailable("connection reset after the request was written")});
  auto r = caller_.Call(Post(), {.buckets = {"brevo-contacts"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(transport_.sent(), 1u);

  transport_.Script({Status::DeadlineExceeded("timed out waiting for the response")});
  r = caller_.Call(Post(), {.buckets = {"brevo-contacts"}});
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(transport_.sent(), 2u);

  transport_.Script({Response(500)});
  r = caller_.Call(Post(), {.buckets = {"brevo-contacts"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(transport_.sent(), 3u);
}

TEST_F(ApiCallerTest, NonIdempotentPostIsRetriedWhenNothingWasDone) {
  transport_.Script({Response(429), Response(201)});
  auto r = caller_.Call(Post(), {.buckets = {"brevo-contacts"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(transport_.sent(), 2u);

  transport_.Script({NotSentError(StatusCode::kUnavailable, "connection refused"), Response(201)});
  r = caller_.Call(Post(), {.buckets = {"brevo-contacts"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(transport_.sent(), 4u);
}

TEST_F(ApiCallerTest, PostMarkedIdempotentIsRetried) {
  transport_.Script({Status::Unavailable("connection reset"), Response(502), Response(200)});
  auto r = caller_.Call(Post(), {.buckets = {"hubspot"}, .idempotent = true});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(transport_.sent(), 3u);
  // And a PUT is idempotent by default.
  ClientRequest put = Post();
  put.method = "PUT";
  transport_.Script({Status::Unavailable("connection reset"), Response(204)});
  ASSERT_TRUE(caller_.Call(put, {.buckets = {"brevo-contacts"}}).ok());
  EXPECT_EQ(transport_.sent(), 5u);
}

TEST_F(ApiCallerTest, ResponseHeadersCorrectTheBudget) {
  transport_.Script({Response(200, {{"X-HubSpot-RateLimit-Max", "100"},
                                    {"X-HubSpot-RateLimit-Remaining", "0"},
                                    {"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"}})});
  ASSERT_TRUE(caller_.Call(Get(), hubspot_).ok());
  ASSERT_TRUE(caller_.Call(Get(), hubspot_).ok());
  auto sent_at = transport_.sent_at();
  EXPECT_EQ(sent_at[1] - sent_at[0], 10 * kSecond);  // waited instead of drawing a 429
  EXPECT_EQ(caller_.Stats("hubspot").rate_limited, 0);
  EXPECT_EQ(budget_.Stats("hubspot").corrections, 1);
}

TEST_F(ApiCallerTest, BrevoResetHeaderDelaysTheNextCall) {
  transport_.Script({Response(200, {{"x-sib-ratelimit-limit", "10"},
                                    {"x-sib-ratelimit-remaining", "0"},
                                    {"x-sib-ratelimit-reset", "1"}})});
  const CallOptions brevo{.buckets = {"brevo-contacts"}};
  ASSERT_TRUE(caller_.Call(Get("https://api.brevo.com/v3/contacts"), brevo).ok());
  ASSERT_TRUE(caller_.Call(Get("https://api.brevo.com/v3/contacts"), brevo).ok());
  auto sent_at = transport_.sent_at();
  EXPECT_EQ(sent_at[1] - sent_at[0], kSecond);
}

TEST_F(ApiCallerTest, DailyLimitIsNotRetried) {
  transport_.Script({Response(429, {}, R"({"status":"error","policyName":"DAILY"})")});
  auto r = caller_.Call(Get(), hubspot_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(transport_.sent(), 1u);
  EXPECT_EQ(caller_.Stats("hubspot").failed, 1);
  EXPECT_EQ(caller_.Stats("hubspot").rate_limited, 1);
}

TEST_F(ApiCallerTest, ASpentBudgetFailsFastWhenTheWaitIsCapped) {
  ASSERT_TRUE(budget_.AddBucket("tiny", {{1, 24h}}).ok());
  CallOptions options{.buckets = {"tiny"}, .max_budget_wait_micros = 60 * kSecond};
  ASSERT_TRUE(caller_.Call(Get(), options).ok());
  auto r = caller_.Call(Get(), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(r.status().message(), HasSubstr("'tiny'"));
  EXPECT_EQ(transport_.sent(), 1u);
  EXPECT_EQ(caller_.Stats("tiny").calls, 2);
  EXPECT_EQ(caller_.Stats("tiny").failed, 1);
}

TEST_F(ApiCallerTest, UnknownBucketIsRejectedBeforeSending) {
  auto r = caller_.Call(Get(), {.buckets = {"hubspot", "nope"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("'nope'"));
  EXPECT_EQ(transport_.sent(), 0u);
  EXPECT_EQ(caller_.Call(Get(), {.max_attempts = -1}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ApiCallerTest, UnbudgetedCallsAreCountedUnderTheEmptyName) {
  ASSERT_TRUE(caller_.Call(Get("https://api.hubapi.com/oauth/v1/token"), {}).ok());
  EXPECT_EQ(caller_.Stats("").calls, 1);
  EXPECT_EQ(caller_.AllStats().count("hubspot"), 0u);
}

TEST_F(ApiCallerTest, NeverLogsOrReturnsASecret) {
  const std::string token = "pat-na1-11111111-2222-3333-4444-555555555555";
  const std::string key = "q9Zk2LmX7pTr4VbN";
  std::vector<std::string> lines;
  std::mutex mu;
  Log().SetLevel(LogLevel::kVerbose);
  Log().SetSink([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(line);
  });

  ClientRequest request = Get("https://api.hubapi.com/crm/v3/objects/contacts?hapikey=" + key);
  request.headers.Set("Authorization", "Bearer " + token);
  // A careless transport that echoes the URL and the header into its error.
  transport_.SetDefault([&](const ClientRequest& r) {
    return Status::Unavailable("reset talking to " + r.url + " with Authorization: " + *r.headers.Get("Authorization"));
  });
  auto r = caller_.Call(request, hubspot_);

  Log().SetSink(nullptr);
  Log().SetLevel(LogLevel::kInfo);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), Not(HasSubstr(token)));
  EXPECT_THAT(r.status().message(), Not(HasSubstr(key)));
  EXPECT_THAT(r.status().message(), HasSubstr("[REDACTED]"));
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) {
    EXPECT_THAT(line, Not(HasSubstr(token)));
    EXPECT_THAT(line, Not(HasSubstr(key)));
  }
}

TEST_F(ApiCallerTest, ConcurrentCallersShareOneBudget) {
  ASSERT_TRUE(budget_.AddBucket("events", {{10, 1s}}).ok());
  transport_.SetDefault([n = 0](const ClientRequest&) mutable {
    return ++n % 7 == 0 ? Response(503) : Response(200);  // some retries in the mix
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = caller_.Call(Get(), {.buckets = {"events"}});
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r->status, 200);
      }
    });
  }
  for (auto& t : threads) t.join();
  auto s = caller_.Stats("events");
  EXPECT_EQ(s.calls, 100);
  EXPECT_EQ(s.attempts, static_cast<int64_t>(transport_.sent()));
  EXPECT_EQ(s.attempts - s.retries, 100);
  EXPECT_EQ(budget_.Stats("events").calls, s.attempts);
}

TEST_F(ApiCallerTest, CallAllRetriesOnlyWhatFailed) {
  transport_.SetDefault([seen = std::set<std::string>()](const ClientRequest& r) mutable {
    // The second request fails once with a 503.
    if (r.url.ends_with("/2") && seen.insert(r.url).second) return Response(503);
    return Response(200, {}, r.url);
  });
  std::vector<ClientRequest> requests;
  for (int i = 0; i < 5; ++i) requests.push_back(Get("https://api.hubapi.com/x/" + std::to_string(i)));
  auto results = caller_.CallAll(requests, hubspot_);
  ASSERT_EQ(results.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(results[i].ok()) << i;
    EXPECT_EQ(results[i]->status, 200);
    EXPECT_EQ(results[i]->body, requests[i].url);
  }
  EXPECT_EQ(transport_.sent(), 6u);  // 5 + one retry
  EXPECT_EQ(transport_.batches(), (std::vector<size_t>{5, 1}));
  auto s = caller_.Stats("hubspot");
  EXPECT_EQ(s.calls, 5);
  EXPECT_EQ(s.attempts, 6);
  EXPECT_EQ(s.retries, 1);
}

TEST_F(ApiCallerTest, CallAllSendsWhatTheBudgetAdmitsTogether) {
  std::vector<ClientRequest> requests;
  for (int i = 0; i < 25; ++i) requests.push_back(Get("https://api.brevo.com/v3/contacts/" + std::to_string(i)));
  auto results = caller_.CallAll(requests, {.buckets = {"brevo-contacts"}});
  for (auto& r : results) ASSERT_TRUE(r.ok());
  EXPECT_EQ(transport_.batches(), (std::vector<size_t>{10, 10, 5}));
  EXPECT_EQ(MaxInAnyWindow(transport_.sent_at(), kSecond), 10);
}

TEST_F(ApiCallerTest, CallAllBacksOffPerRequest) {
  // Request 0 is rate limited with Retry-After: 2; request 1 succeeds at once.
  transport_.SetDefault([seen = std::set<std::string>()](const ClientRequest& r) mutable {
    if (r.url.ends_with("/0") && seen.insert(r.url).second) return Response(429, {{"Retry-After", "2"}});
    return Response(200);
  });
  const int64_t start = clock_.NowMicros();
  auto results = caller_.CallAll({Get("https://api.hubapi.com/x/0"), Get("https://api.hubapi.com/x/1")}, hubspot_);
  ASSERT_TRUE(results[0].ok());
  ASSERT_TRUE(results[1].ok());
  EXPECT_EQ(results[0]->status, 200);
  auto sent_at = transport_.sent_at();
  ASSERT_EQ(sent_at.size(), 3u);
  EXPECT_EQ(sent_at[2] - start, 2 * kSecond);
  EXPECT_EQ(caller_.Stats("hubspot").rate_limited, 1);
}

TEST_F(ApiCallerTest, CallAllRejectsUnknownBucketsPerRequest) {
  auto results = caller_.CallAll({Get(), Get()}, {.buckets = {"nope"}});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(results[1].status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(transport_.sent(), 0u);
}

}  // namespace
}  // namespace tajo::http
