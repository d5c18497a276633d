// Authentication, scopes and rate limits.
#include "sandbox/hubspot/test_util.h"

namespace tajo::sandbox::hubspot {
namespace {

using testing::Reply;
using testing::SandboxHarness;

TEST(AuthTest, MissingOrUnknownTokenIs401) {
  SandboxHarness h;
  Reply r = h.Call("GET", "/crm/v3/objects/contacts", nullptr, "");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json["category"], "INVALID_AUTHENTICATION");
  EXPECT_EQ(r.json["status"], "error");
  r = h.Call("GET", "/crm/v3/objects/contacts", nullptr, "pat-na1-wrong-token");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json["category"], "INVALID_AUTHENTICATION");
  EXPECT_EQ(r.body.find("pat-na1-wrong-token"), std::string::npos);  // never echoed
  EXPECT_FALSE(r.headers.Has("X-HubSpot-RateLimit-Max"));
  // Basic auth or a bare token is not Bearer.
  http::HttpRequest req;
  req.method = "GET";
  req.target = "/crm/v3/objects/contacts";
  req.headers.Set("Authorization", kDefaultToken);
  EXPECT_EQ(h.router.Handle(req).status, 401);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").status, 200);
  EXPECT_EQ(h.sandbox->stats().Count("GET /crm/v3/objects/{objectType}", 401), 3);
}

TEST(AuthTest, ScopesPerTokenAndMissingScopes403) {
  HubSpotSandboxOptions o;
  o.tokens = {{"pat-na1-reader-000000000000", {"crm.objects.contacts.read"}}, {"pat-na1-all-00000000000000", {}}};
  SandboxHarness h(o);
  const std::string reader = "pat-na1-reader-000000000000";
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts", nullptr, reader).status, 200);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/search", nlohmann::json::object(), reader).status, 200);
  Reply r = h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "x@y.co"}}}}, reader);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.json["category"], "MISSING_SCOPES");
  EXPECT_EQ(r.json["context"]["missingScopes"][0], "crm.objects.contacts.write");
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/deals", nullptr, reader).status, 403);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/tickets", nullptr, reader).status, 403);
  EXPECT_EQ(h.Call("GET", "/crm/v3/owners", nullptr, reader).status, 403);
  EXPECT_EQ(h.Call("GET", "/crm/v3/properties/contacts", nullptr, reader).status, 200);  // object read suffices
  EXPECT_EQ(h.Call("POST", "/crm/v3/properties/contacts", nlohmann::json::object(), reader).status, 403);
  // Engagements are readable with contacts read.
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/notes", nullptr, reader).status, 200);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "x@y.co"}}}}, "pat-na1-all-00000000000000").status, 201);
  // The default token is not accepted once tokens are configured.
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").status, 401);
}

TEST(RateLimitTest, BurstWindowHeadersAnd429Body) {
  HubSpotSandboxOptions o;
  o.plan = "free";
  SandboxHarness h(o);
  for (int i = 0; i < 100; ++i) {
    Reply r = h.Call("GET", "/crm/v3/objects/contacts");
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Max"), "100");
    EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Remaining"), std::to_string(99 - i));
    EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Interval-Milliseconds"), "10000");
    EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Daily"), "250000");
    EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Daily-Remaining"), std::to_string(250000 - 1 - i));
    EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Secondly"), "10");
    ASSERT_TRUE(r.headers.Has("X-HubSpot-RateLimit-Secondly-Remaining"));
    h.clock.Advance(50'000);  // 100 calls in 5 s
  }
  Reply r = h.Call("GET", "/crm/v3/objects/contacts");
  ASSERT_EQ(r.status, 429);
  EXPECT_EQ(r.json["status"], "error");
  EXPECT_EQ(r.json["message"], "You have reached your ten_secondly_rolling limit.");
  EXPECT_EQ(r.json["errorType"], "RATE_LIMIT");
  EXPECT_EQ(r.json["policyName"], "TEN_SECONDLY_ROLLING");
  EXPECT_TRUE(r.json.contains("correlationId"));
  EXPECT_TRUE(r.json.contains("requestId"));
  EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Remaining"), "0");
  EXPECT_FALSE(r.headers.Has("Retry-After"));
  // Errors also count and carry the headers (only successes were counted above).
  EXPECT_EQ(h.sandbox->stats().Counter("rate_limited.TEN_SECONDLY_ROLLING"), 1);
  h.clock.Advance(5'000'000);  // the first call leaves the window
  r = h.Call("GET", "/crm/v3/objects/contacts/123");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Remaining"), "0");
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").status, 429);  // that freed slot is used
  h.clock.Advance(50'000);                                             // the second call leaves
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").status, 200);
}

TEST(RateLimitTest, PlansAndTimeScale) {
  HubSpotSandboxOptions o;
  o.plan = "enterprise";
  o.time_scale = 10;  // a 10 s window passes in 1 s
  SandboxHarness h(o);
  Reply r = h.Call("GET", "/crm/v3/objects/contacts");
  EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Max"), "190");
  EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Daily"), "1000000");
  for (int i = 0; i < 189; ++i) ASSERT_EQ(h.Call("GET", "/crm/v3/objects/contacts").status, 200);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").status, 429);
  h.clock.Advance(1'000'001);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").status, 200);
  // The plan can change at run time.
  r = h.Call("PUT", "/_sandbox/settings", {{"plan", "api_addon"}, {"retryAfterOn429", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").headers.Get("X-HubSpot-RateLimit-Max"), "250");
  EXPECT_EQ(h.Call("PUT", "/_sandbox/settings", {{"plan", "platinum"}}).status, 400);
}

TEST(RateLimitTest, DailyQuotaAndOAuthHeaders) {
  ManualClock clock(86'400'000'000LL * 20'000 + 3'600'000'000LL);  // 01:00 UTC
  HubSpotRateLimiter limiter(clock, PlanLimits{"tiny", 1000, 3}, 5);
  TokenInfo app;
  app.token = "pat-na1-x";
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.CheckApi(app, true).allowed);
  RateCheck rc = limiter.CheckApi(app, true);
  EXPECT_FALSE(rc.allowed);
  EXPECT_EQ(rc.policy, "DAILY");
  EXPECT_EQ(rc.message, "You have reached your daily limit.");
  EXPECT_EQ(rc.headers.Get("X-HubSpot-RateLimit-Daily-Remaining"), "0");
  // Another private app shares the account's daily quota.
  TokenInfo other;
  other.token = "pat-na1-y";
  EXPECT_FALSE(limiter.CheckApi(other, true).allowed);
  clock.Advance(23LL * 3'600'000'000LL);  // past midnight UTC
  EXPECT_TRUE(limiter.CheckApi(app, true).allowed);
  // OAuth apps: 110 per 10 s, no daily headers.
  TokenInfo oauth;
  oauth.kind = TokenInfo::Kind::kOAuth;
  oauth.token = "oauth-token";
  RateCheck o = limiter.CheckApi(oauth, true);
  EXPECT_TRUE(o.allowed);
  EXPECT_EQ(o.headers.Get("X-HubSpot-RateLimit-Max"), "110");
  EXPECT_FALSE(o.headers.Has("X-HubSpot-RateLimit-Daily"));
  // Not enforcing: counted, never rejected.
  for (int i = 0; i < 200; ++i) EXPECT_TRUE(limiter.CheckApi(oauth, false).allowed);
}

TEST(FaultTest, InjectedFaultsUseHubSpotBodiesAndAreCounted) {
  SandboxHarness h(testing::Unlimited());
  Reply r = h.Call("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 1.0}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = h.Call("GET", "/crm/v3/objects/contacts");
  EXPECT_GE(r.status, 500);
  EXPECT_EQ(r.json["status"], "error");
  h.Call("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 0.0}, {"rateLimitRate", 1.0}}}});
  r = h.Call("GET", "/crm/v3/objects/contacts");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json["policyName"], "TEN_SECONDLY_ROLLING");
  h.Call("PUT", "/_sandbox/settings", {{"faults", {{"rateLimitRate", 0.0}, {"timeoutRate", 1.0}, {"timeoutHoldMs", 1000}}}});
  int64_t before = h.clock.NowMicros();
  r = h.Call("GET", "/crm/v3/objects/contacts");
  EXPECT_EQ(r.status, 504);
  EXPECT_EQ(h.clock.NowMicros() - before, 1'000'000);  // held on the injected clock
  h.Call("PUT", "/_sandbox/settings", {{"faults", {{"timeoutRate", 0.0}}}, {"latencyMs", 250}});
  before = h.clock.NowMicros();
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").status, 200);
  EXPECT_EQ(h.clock.NowMicros() - before, 250'000);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").fault, http::ConnectionFault::kNone);
  // Resets and truncation are the server's to carry out: the response says which.
  h.Call("PUT", "/_sandbox/settings", {{"faults", {{"resetRate", 1.0}}}, {"latencyMs", 0}});
  r = h.Call("GET", "/crm/v3/objects/contacts");
  EXPECT_EQ(r.fault, http::ConnectionFault::kReset);
  EXPECT_FALSE(r.headers.Has("X-Tajo-Fault"));
  h.Call("PUT", "/_sandbox/settings", {{"faults", {{"resetRate", 0.0}, {"truncateRate", 1.0}}}});
  r = h.Call("GET", "/crm/v3/objects/contacts");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.fault, http::ConnectionFault::kTruncateBody);
  h.Call("PUT", "/_sandbox/settings", {{"faults", {{"truncateRate", 0.0}}}});
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").fault, http::ConnectionFault::kNone);
  EXPECT_EQ(h.sandbox->stats().Counter("fault.5xx"), 1);
  EXPECT_EQ(h.sandbox->stats().Counter("fault.timeout"), 1);
  EXPECT_EQ(h.sandbox->stats().Counter("fault.reset"), 1);
  EXPECT_EQ(h.sandbox->stats().Counter("fault.truncate"), 1);
  EXPECT_EQ(h.Call("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 7}}}}).status, 400);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
