// Webhook management over HTTP and the delivery of marketing events: payloads, authentication
// and the retry policy, in simulated time.
#include <gtest/gtest.h>

#include "sandbox/brevo/api_test_util.h"

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;
using testing::BrevoApiTest;
using testing::Reply;

constexpr int64_t kMinute = 60'000'000;

class WebhooksTest : public BrevoApiTest {
 protected:
  int64_t Hook(const json& body) {
    Reply r = Call("POST", "/v3/webhooks", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.is_object() ? r.body.value("id", int64_t{0}) : 0;
  }
  std::vector<json> SentBodies() {
    std::vector<json> out;
    for (const auto& r : transport_.Requests()) out.push_back(json::parse(r.body));
    return out;
  }
};

TEST_F(WebhooksTest, ManagementCrudAndValidation) {
  int64_t id = Hook({{"url", "https://hooks.example/brevo"},
                     {"description", "sync"},
                     {"events", {"contactUpdated", "unsubscribed"}},
                     {"type", "marketing"},
                     {"auth", {{"type", "bearer"}, {"token", "s3cr3t-token"}}},
                     {"headers", {{{"key", "X-Secret"}, {"value", "abc"}}}}});
  EXPECT_EQ(id, 1);
  Hook({{"url", "https://hooks.example/transactional"}, {"events", {"delivered"}}});
  Reply listed = Call("GET", "/v3/webhooks");  // transactional by default
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body["webhooks"].size(), 1u);
  EXPECT_EQ(listed.body["webhooks"][0]["type"], "transactional");
  Reply marketing = Call("GET", "/v3/webhooks?type=marketing");
  ASSERT_EQ(marketing.body["webhooks"].size(), 1u);
  json got = Call("GET", "/v3/webhooks/1").body;
  EXPECT_EQ(got["events"], json::array({"contactUpdated", "unsubscribed"}));
  EXPECT_EQ(got["auth"]["type"], "bearer");
  for (const char* key : {"id", "url", "description", "events", "type", "createdAt", "modifiedAt"})
    EXPECT_TRUE(got.contains(key)) << key;

  EXPECT_EQ(Call("PUT", "/v3/webhooks/1", {{"events", {"listAddition"}}}).status, 204);
  EXPECT_EQ(Call("GET", "/v3/webhooks/1").body["events"], json::array({"listAddition"}));
  EXPECT_EQ(Call("PUT", "/v3/webhooks/1", {{"events", {"teleported"}}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/webhooks", {{"events", {"opened"}}}).body["code"], "missing_parameter");
  EXPECT_EQ(Call("POST", "/v3/webhooks", {{"url", "ftp://x"}, {"events", {"opened"}}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/webhooks", {{"url", "https://x.example"}, {"type", "marketing"}, {"events", {"uniqueOpened"}}}).status,
            400);  // a transactional event
  EXPECT_EQ(Call("POST", "/v3/webhooks", {{"url", "https://x.example"}, {"type", "inbound"}}).status, 400);  // needs a domain
  EXPECT_EQ(Call("GET", "/v3/webhooks?type=weird").status, 400);
  EXPECT_EQ(Call("DELETE", "/v3/webhooks/1").status, 204);
  EXPECT_EQ(Call("GET", "/v3/webhooks/1").status, 404);
  EXPECT_EQ(Call("DELETE", "/v3/webhooks/1").status, 404);
}

TEST_F(WebhooksTest, AtMostFortyWebhooks) {
  for (int i = 0; i < 39; ++i)  // directly: the "other" bucket allows only 100 calls an hour
    ASSERT_TRUE(sandbox_.webhooks().Create({{"url", "https://x.example/" + std::to_string(i)}, {"events", {"opened"}}}).ok());
  Hook({{"url", "https://x.example/40"}, {"events", {"opened"}}});
  Reply over = Call("POST", "/v3/webhooks", {{"url", "https://x.example/41"}, {"events", {"opened"}}});
  EXPECT_EQ(over.status, 400);
}

TEST_F(WebhooksTest, MarketingEventsAreDeliveredWithBrevoPayloads) {
  Hook({{"url", "https://sync:pa%3Ass@hooks.example/brevo?src=1"},
        {"type", "marketing"},
        {"events", {"contactUpdated", "listAddition", "contactDeleted", "unsubscribed", "hardBounce", "click"}},
        {"headers", {{{"key", "X-Tajo-Secret"}, {"value", "shh"}}}}});
  Hook({{"url", "https://other.example/"}, {"type", "marketing"}, {"events", {"opened"}}, {"auth", {{"type", "bearer"}, {"token", "tok-123456"}}}});
  ASSERT_EQ(Call("POST", "/v3/contacts/folders", {{"name", "F"}}).status, 201);
  ASSERT_EQ(Call("POST", "/v3/contacts/lists", {{"name", "L"}, {"folderId", 1}}).status, 201);
  CreateContact({{"email", "w@example.com"}, {"listIds", {1}}});  // list_addition
  ASSERT_EQ(Call("PUT", "/v3/contacts/1", {{"attributes", {{"FIRSTNAME", "Wen"}}}}).status, 204);  // contact_updated
  ASSERT_EQ(Call("POST", "/_sandbox/mutate",
                 {{"actions",
                   {{{"op", "click"}, {"email", "w@example.com"}, {"campaignId", 9}, {"campaignName", "Spring"}, {"url", "https://s.example/a"}},
                    {{"op", "open"}, {"email", "w@example.com"}, {"campaignId", 9}},
                    {{"op", "unsubscribe"}, {"email", "w@example.com"}, {"campaignId", 9}}}}})
                .status,
            200);
  ASSERT_EQ(Call("DELETE", "/v3/contacts/1").status, 204);  // contact_deleted
  EXPECT_TRUE(transport_.Requests().empty());  // nothing is sent before a pump
  sandbox_.Pump();
  auto sent = transport_.Requests();
  ASSERT_EQ(sent.size(), 6u);
  // Basic auth moves from the URL to the header; custom headers ride along.
  EXPECT_EQ(sent[0].url, "https://hooks.example/brevo?src=1");
  EXPECT_EQ(sent[0].headers.Get("Authorization"), "Basic c3luYzpwYTpzcw==");  // sync:pa:ss
  EXPECT_EQ(sent[0].headers.Get("X-Tajo-Secret"), "shh");
  EXPECT_EQ(sent[0].headers.Get("Content-Type"), "application/json");
  std::vector<json> bodies = SentBodies();
  json addition = bodies[0];
  EXPECT_EQ(addition["event"], "list_addition");
  EXPECT_EQ(addition["email"], "w@example.com");
  EXPECT_EQ(addition["list_id"], json::array({1}));
  EXPECT_EQ(addition["api_key_name"], kDefaultApiKeyName);
  EXPECT_EQ(addition["id"], 1);
  EXPECT_TRUE(addition["ts"].is_number_integer());
  EXPECT_EQ(addition["date"].get<std::string>().size(), 19u);  // YYYY-MM-DD HH:MM:SS
  json updated = bodies[1];
  EXPECT_EQ(updated["event"], "contact_updated");
  EXPECT_EQ(updated["content"], json::array({{{"FIRSTNAME", "Wen"}}}));
  json click = bodies[2];
  EXPECT_EQ(click["event"], "click");
  EXPECT_EQ(click["URL"], "https://s.example/a");
  EXPECT_EQ(click["camp_id"], 9);
  EXPECT_EQ(click["campaign name"], "Spring");
  for (const char* key : {"date_sent", "date_event", "ts_sent", "ts_event", "tag"}) EXPECT_TRUE(click.contains(key)) << key;
  json opened = bodies[3];  // the second webhook
  EXPECT_EQ(opened["event"], "opened");
  EXPECT_EQ(opened["id"], 2);
  EXPECT_EQ(sent[3].headers.Get("Authorization"), "Bearer tok-123456");
  EXPECT_EQ(bodies[4]["event"], "unsubscribed");
  EXPECT_EQ(bodies[4]["list_id"], json::array({1}));
  EXPECT_EQ(bodies[5]["event"], "contact_deleted");
  EXPECT_EQ(Call("GET", "/_sandbox/stats").body["webhooks"]["delivered"], 6);
}

TEST_F(WebhooksTest, RetriesTimeoutsAnd429ThenDropsOn5xx) {
  Hook({{"url", "https://hooks.example/"}, {"type", "marketing"}, {"events", {"contactUpdated"}}});
  CreateContact({{"email", "r@example.com"}});
  ASSERT_EQ(Call("PUT", "/v3/contacts/1", {{"attributes", {{"FIRSTNAME", "R"}}}}).status, 204);
  transport_.statuses = {429, 429};
  transport_.fail = false;
  sandbox_.Pump();
  EXPECT_EQ(transport_.Requests().size(), 1u);
  clock_.Advance(10 * kMinute - 1'000'000);
  sandbox_.Pump();
  EXPECT_EQ(transport_.Requests().size(), 1u);  // not before 10 minutes
  clock_.Advance(1'000'000);
  sandbox_.Pump();
  EXPECT_EQ(transport_.Requests().size(), 2u);
  clock_.Advance(60 * kMinute);  // then one hour
  transport_.statuses = {503};
  sandbox_.Pump();
  EXPECT_EQ(transport_.Requests().size(), 3u);
  clock_.Advance(600 * kMinute);
  sandbox_.Pump();
  EXPECT_EQ(transport_.Requests().size(), 3u);  // a 5xx drops the event
  WebhookStats s = sandbox_.webhooks().stats();
  EXPECT_EQ(s.retried, 2);
  EXPECT_EQ(s.dropped, 1);
  EXPECT_EQ(s.pending, 0);

  // Timeouts: four retries after 10 min, 1 h, 2 h, 8 h, then dropped.
  ASSERT_EQ(Call("PUT", "/v3/contacts/1", {{"attributes", {{"FIRSTNAME", "R2"}}}}).status, 204);
  transport_.fail = true;
  size_t before = transport_.Requests().size();
  sandbox_.Pump();
  for (int64_t delay : {10, 60, 120, 480}) {
    clock_.Advance(delay * kMinute);
    sandbox_.Pump();
  }
  clock_.Advance(24 * 60 * kMinute);
  sandbox_.Pump();
  EXPECT_EQ(transport_.Requests().size() - before, 5u);
  EXPECT_EQ(sandbox_.webhooks().stats().dropped, 2);

  // Another 4xx drops at once.
  transport_.fail = false;
  transport_.statuses = {404};
  ASSERT_EQ(Call("PUT", "/v3/contacts/1", {{"attributes", {{"FIRSTNAME", "R3"}}}}).status, 204);
  sandbox_.Pump();
  EXPECT_EQ(sandbox_.webhooks().stats().dropped, 3);
  EXPECT_EQ(sandbox_.webhooks().stats().pending, 0);
}

class ScaledWebhooksTest : public BrevoApiTest {
 protected:
  static BrevoSandboxOptions Scaled() {
    BrevoSandboxOptions o;
    o.time_scale = 60;
    return o;
  }
  ScaledWebhooksTest() : BrevoApiTest(Scaled()) {}
};

TEST_F(ScaledWebhooksTest, TimeScaleShrinksRetryDelays) {
  ASSERT_EQ(Call("POST", "/v3/webhooks", {{"url", "https://hooks.example/"}, {"type", "marketing"}, {"events", {"contactUpdated"}}, {"batched", true}}).status,
            201);
  CreateContact({{"email", "a@example.com"}});
  CreateContact({{"email", "b@example.com"}});
  ASSERT_EQ(Call("PUT", "/v3/contacts/1", {{"attributes", {{"FIRSTNAME", "A"}}}}).status, 204);
  ASSERT_EQ(Call("PUT", "/v3/contacts/2", {{"attributes", {{"FIRSTNAME", "B"}}}}).status, 204);
  transport_.statuses = {429};
  sandbox_.Pump();
  ASSERT_EQ(transport_.Requests().size(), 1u);
  json batch = json::parse(transport_.Requests()[0].body);
  ASSERT_TRUE(batch.is_array());  // a batched webhook gets the due events in one array
  EXPECT_EQ(batch.size(), 2u);
  clock_.Advance(10'100'000);  // ~10 real seconds = 10 sandbox minutes at --time-scale 60
  sandbox_.Pump();
  EXPECT_EQ(transport_.Requests().size(), 2u);
  EXPECT_EQ(sandbox_.webhooks().stats().delivered, 1);
}

TEST(WebhookDatesTest, CetAndLocalDates) {
  // 2024-07-01T12:00:00Z is 14:00 in Paris (CEST); 2024-01-15T12:00:00Z is 13:00 (CET).
  EXPECT_EQ(FormatCetDate(1'719'835'200'000), "2024-07-01 14:00:00");
  EXPECT_EQ(FormatCetDate(1'705'320'000'000), "2024-01-15 13:00:00");
  // DST starts at 01:00 UTC on the last Sunday of March (2024-03-31).
  EXPECT_EQ(FormatCetDate(1'711'846'799'000), "2024-03-31 01:59:59");
  EXPECT_EQ(FormatCetDate(1'711'846'800'000), "2024-03-31 03:00:00");
  EXPECT_EQ(FormatLocalDate(1'705'320'000'000, -300), "2024-01-15 07:00:00");
}

}  // namespace
}  // namespace tajo::sandbox::brevo
