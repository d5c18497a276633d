// Rate limits (per bucket and plan, simulated time) and the admin API.
#include <gtest/gtest.h>

#include "sandbox/brevo/api_test_util.h"

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;
using testing::BrevoApiTest;
using testing::Reply;

class RateLimitTest : public BrevoApiTest {};

TEST_F(RateLimitTest, ContactsAllowTenPerSecondWithHeaders) {
  for (int i = 0; i < 10; ++i) {
    Reply r = RawCall("GET", "/v3/contacts", "");
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.headers.Get("x-sib-ratelimit-limit"), "10");
    EXPECT_EQ(r.headers.Get("x-sib-ratelimit-remaining"), std::to_string(9 - i));
    EXPECT_EQ(r.headers.Get("x-sib-ratelimit-reset"), "1");
  }
  Reply limited = RawCall("GET", "/v3/contacts", "");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, json({{"code", kRateLimitCode}, {"message", kRateLimitMessage}}));
  EXPECT_EQ(limited.headers.Get("x-sib-ratelimit-remaining"), "0");
  EXPECT_FALSE(limited.headers.Has("Retry-After"));
  // Events have their own bucket.
  EXPECT_EQ(RawCall("GET", "/v3/events", "").status, 200);
  clock_.Advance(1'000'000);
  EXPECT_EQ(RawCall("GET", "/v3/contacts", "").status, 200);
  EXPECT_EQ(Call("GET", "/_sandbox/stats").body["rateLimited"]["contacts"], 1);
}

TEST_F(RateLimitTest, OtherEndpointsAllowOneHundredAnHour) {
  // Start just after an hour boundary so the reset is predictable.
  clock_.Set((clock_.NowMicros() / 3'600'000'000 + 1) * 3'600'000'000 + 1'000'000);
  for (int i = 0; i < 100; ++i) {
    Reply r = RawCall("GET", "/v3/processes", "");
    ASSERT_EQ(r.status, 200) << i;
    if (i == 0) {
      EXPECT_EQ(r.headers.Get("x-sib-ratelimit-limit"), "100");
      EXPECT_EQ(r.headers.Get("x-sib-ratelimit-remaining"), "99");
      EXPECT_EQ(r.headers.Get("x-sib-ratelimit-reset"), "3599");
    }
  }
  Reply limited = RawCall("GET", "/v3/account", "");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers.Get("x-sib-ratelimit-limit"), "100");
  clock_.Advance(3'600'000'000);
  EXPECT_EQ(RawCall("GET", "/v3/account", "").status, 200);
}

TEST_F(RateLimitTest, AdvancedPlanAndSettings) {
  Reply s = Call("PUT", "/_sandbox/settings", {{"plan", "advanced"}, {"retryAfterOn429", true}});
  ASSERT_EQ(s.status, 200) << s.raw;
  EXPECT_EQ(s.body["limits"]["contactsPerSecond"], 20);
  EXPECT_EQ(s.body["limits"]["otherPerHour"], 200);
  clock_.Advance(2'000'000);
  for (int i = 0; i < 20; ++i) ASSERT_EQ(RawCall("GET", "/v3/contacts", "").status, 200) << i;
  Reply limited = RawCall("GET", "/v3/contacts", "");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers.Get("Retry-After"), "1");
  ASSERT_EQ(Call("PUT", "/_sandbox/settings", {{"enforceRateLimits", false}}).status, 200);
  EXPECT_EQ(RawCall("GET", "/v3/contacts", "").status, 200);
  EXPECT_EQ(Call("PUT", "/_sandbox/settings", {{"plan", "platinum"}}).status, 400);
  EXPECT_EQ(Call("PUT", "/_sandbox/settings", {{"importQueuedMs", -1}}).status, 400);
  EXPECT_EQ(Call("GET", "/_sandbox/settings").body["plan"], "advanced");
}

TEST_F(RateLimitTest, InjectedFaultsUseBrevoBodies) {
  ASSERT_EQ(Call("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 1.0}}}}).status, 200);
  Reply r = Call("GET", "/v3/contacts");
  EXPECT_GE(r.status, 500);
  EXPECT_TRUE(r.body.contains("code"));
  ASSERT_EQ(Call("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 0.0}, {"rateLimitRate", 1.0}}}}).status, 200);
  r = Call("GET", "/v3/contacts");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.body["code"], kRateLimitCode);
  // Resets and truncation are the server's to carry out: the response says which.
  ASSERT_EQ(Call("PUT", "/_sandbox/settings", {{"faults", {{"rateLimitRate", 0.0}, {"resetRate", 1.0}}}}).status, 200);
  r = Call("GET", "/v3/contacts");
  EXPECT_EQ(r.fault, http::ConnectionFault::kReset);
  EXPECT_FALSE(r.headers.Has("X-Tajo-Fault"));
  ASSERT_EQ(Call("PUT", "/_sandbox/settings", {{"faults", {{"resetRate", 0.0}, {"truncateRate", 1.0}}}}).status, 200);
  r = Call("GET", "/v3/contacts");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.fault, http::ConnectionFault::kTruncateBody);
  ASSERT_EQ(Call("PUT", "/_sandbox/settings", {{"faults", {{"truncateRate", 0.0}}}}).status, 200);
  EXPECT_EQ(Call("GET", "/v3/contacts").fault, http::ConnectionFault::kNone);
}

class AdminTest : public BrevoApiTest {};

TEST_F(AdminTest, MutateActsAsMarketerAndRecipient) {
  ASSERT_EQ(Call("POST", "/v3/contacts/folders", {{"name", "F"}}).status, 201);
  ASSERT_EQ(Call("POST", "/v3/contacts/lists", {{"name", "L"}, {"folderId", 1}}).status, 201);
  CreateContact({{"email", "r@example.com"}});
  Reply m = Call("POST", "/_sandbox/mutate",
                 {{"actions",
                   {{{"op", "update"}, {"email", "r@example.com"}, {"attributes", {{"FIRSTNAME", "Rita"}}}},
                    {{"op", "addToList"}, {"email", "r@example.com"}, {"listId", 1}},
                    {{"op", "open"}, {"email", "r@example.com"}, {"campaignId", 3}},
                    {{"op", "click"}, {"email", "r@example.com"}, {"campaignId", 3}, {"url", "https://shop.example/"}},
                    {{"op", "unsubscribe"}, {"email", "r@example.com"}},
                    {{"op", "update"}, {"email", "ghost@example.com"}, {"attributes", {{"FIRSTNAME", "G"}}}}}}});
  ASSERT_EQ(m.status, 200) << m.raw;
  EXPECT_EQ(m.body["results"].size(), 6u);
  EXPECT_EQ(m.body["results"][5]["status"], 404);
  json c = Call("GET", "/v3/contacts/r%40example.com").body;
  EXPECT_EQ(c["attributes"]["FIRSTNAME"], "Rita");
  EXPECT_EQ(c["listIds"], json::array({1}));
  EXPECT_EQ(c["emailBlacklisted"], true);
  EXPECT_EQ(c["statistics"]["opened"][0]["campaignId"], 3);
  EXPECT_EQ(c["statistics"]["unsubscriptions"]["userUnsubscription"].size(), 1u);
  EXPECT_EQ(Call("POST", "/_sandbox/mutate", {{"actions", {{{"op", "teleport"}, {"id", 1}}}}}).status, 400);
  EXPECT_EQ(Call("POST", "/_sandbox/mutate", {{"actions", {{{"op", "open"}, {"id", 1}, {"campaignId", "seven"}}}}}).status, 400);
  Reply random = Call("POST", "/_sandbox/mutate", {{"random", {{"count", 1}, {"seed", 5}}}});
  EXPECT_EQ(random.body["results"].size(), 1u);

  Reply stats = Call("GET", "/_sandbox/stats");
  EXPECT_EQ(stats.body["account"]["contacts"], 1);
  EXPECT_GT(stats.body["requests"]["total"].get<int64_t>(), 0);
  EXPECT_GT(stats.body["memoryBytes"].get<int64_t>(), 0);
  Reply reset = Call("POST", "/_sandbox/reset");
  EXPECT_EQ(reset.status, 200);
  EXPECT_EQ(Call("GET", "/_sandbox/stats").body["account"]["contacts"], 0);
  EXPECT_EQ(Call("POST", "/_sandbox/seed", {{"contacts", -1}}).status, 400);
  Reply seeded = Call("POST", "/_sandbox/seed", {{"spec", "contacts=50,lists=2"}, {"seedNumber", 3}});
  ASSERT_EQ(seeded.status, 200) << seeded.raw;
  EXPECT_EQ(seeded.body["created"]["contacts"], 50);
  EXPECT_EQ(Call("GET", "/v3/contacts?limit=1").body["count"], 50);
  EXPECT_EQ(Call("GET", "/v3/contacts/lists").body["count"], 2);
}

}  // namespace
}  // namespace tajo::sandbox::brevo
