#include "hubspot/parse.h"

#include <gtest/gtest.h>

#include "hubspot/errors.h"

namespace tajo::hubspot {
namespace {

TEST(ParseTest, ObjectPageWithPagingAndAssociations) {
  auto page = ParseObjectPage("GET /x", R"({"results":[{"id":"1","properties":{"email":"a@b.c","phone":null},
      "createdAt":"2024-01-17T19:55:04.281Z","updatedAt":"2024-01-18T19:55:04.281Z","archived":false,
      "associations":{"companies":{"results":[{"id":"9","type":"contact_to_company"},{"id":"9","type":"contact_to_company_unlabeled"}]}}}],
      "paging":{"next":{"after":"2","link":"?after=2"}}})");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->results.size(), 1u);
  EXPECT_EQ(page->results[0].Get("email"), "a@b.c");
  EXPECT_FALSE(page->results[0].Get("phone").has_value());  // null is absent
  EXPECT_EQ(page->results[0].associations["companies"], std::vector<std::string>{"9"});
  EXPECT_EQ(page->after, "2");
  EXPECT_EQ(page->total, -1);
}

TEST(ParseTest, LastPageHasNoAfterAndSearchHasTotal) {
  auto page = ParseObjectPage("POST /s", R"({"total":3,"results":[]})");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->after, "");
  EXPECT_EQ(page->total, 3);
}

TEST(ParseTest, MalformedBodiesNameTheEndpointAndThePath) {
  struct Case {
    const char* body;
    const char* expect;
  } cases[] = {
      {"<html>bad gateway</html>", "not JSON"},
      {"", "not JSON"},
      {R"([1,2])", "body: expected an object"},
      {R"({"results":{}})", "results: expected an array"},
      {R"({"results":[{"properties":{}}]})", "results[0].id: missing"},
      {R"({"results":[{"id":{}}]})", "results[0].id: expected a string"},
      {R"({"results":[{"id":"1","properties":[]}]})", "results[0].properties: expected an object"},
      {R"({"results":[{"id":"1","properties":{"x":{"a":1}}}]})", "results[0].properties.x: expected a string"},
      {R"({"results":[{"id":"1","archived":"no"}]})", "results[0].archived: expected true or false"},
      {R"({"results":[],"paging":{"next":{}}})", "paging.next.after: missing"},
      {R"({"results":[],"total":"many"})", "total: expected an integer"},
      {R"({"results":[{"id":"1"},)", "not JSON"},
  };
  for (const auto& c : cases) {
    auto page = ParseObjectPage("GET /crm/v3/objects/contacts", c.body);
    ASSERT_FALSE(page.ok()) << c.body;
    EXPECT_EQ(page.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(page.status().message().find("GET /crm/v3/objects/contacts"), std::string::npos);
    EXPECT_NE(page.status().message().find(c.expect), std::string::npos) << page.status().message();
  }
}

TEST(ParseTest, NumericIdsAreAccepted) {
  auto o = ParseObject("GET /x", R"({"id":123,"properties":{"amount":1000.5,"flag":true}})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->id, "123");
  EXPECT_EQ(o->Get("amount"), "1000.5");
  EXPECT_EQ(o->Get("flag"), "true");
}

TEST(ErrorsTest, StatusesMapToCodesWithTheFix) {
  auto err = [](int status, const std::string& body) {
    http::HttpResponse r;
    r.status = status;
    r.body = body;
    return ErrorFromResponse("GET /crm/v3/objects/contacts", r);
  };
  Status s = err(401, R"({"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION","correlationId":"c-1"})");
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("regenerate the private app token"), std::string::npos);
  EXPECT_NE(s.message().find("c-1"), std::string::npos);
  s = err(401, R"({"message":"expired","category":"EXPIRED_AUTHENTICATION"})");
  EXPECT_NE(s.message().find("refresh the OAuth access token"), std::string::npos);
  s = err(403, R"({"message":"no","category":"MISSING_SCOPES","errors":[{"context":{"requiredGranularScopes":["crm.objects.deals.read"]}}]})");
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("crm.objects.deals.read"), std::string::npos);
  EXPECT_EQ(err(404, "{}").code(), StatusCode::kNotFound);
  EXPECT_EQ(err(409, R"({"message":"Contact already exists. Existing ID: 5"})").code(), StatusCode::kAlreadyExists);
  s = err(429, R"({"message":"You have reached your daily limit.","policyName":"DAILY"})");
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("daily quota"), std::string::npos);
  EXPECT_EQ(err(502, "<html>").code(), StatusCode::kUnavailable);
  s = err(400, "not json at all");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unexpected body: not json"), std::string::npos);
}

TEST(HubSpotParseTest, WebhookSettingsAndSubscriptions) {
  auto s = ParseWebhookSettings("GET /webhooks/v3/1/settings",
                                R"({"targetUrl":"https://h.example/webhooks/hubspot","throttling":
                                   {"maxConcurrentRequests":10,"period":"SECONDLY"},"createdAt":"x"})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->target_url, "https://h.example/webhooks/hubspot");
  EXPECT_EQ(s->max_concurrent_requests, 10);
  auto subs = ParseWebhookSubscriptions(
      "GET /webhooks/v3/1/subscriptions",
      R"({"results":[{"id":12,"eventType":"contact.propertyChange","propertyName":"email","active":true},
                     {"id":"13","eventType":"contact.creation","active":false}]})");
  ASSERT_TRUE(subs.ok()) << subs.status().ToString();
  ASSERT_EQ(subs->size(), 2u);
  EXPECT_EQ((*subs)[0].id, "12");
  EXPECT_EQ((*subs)[0].property_name, "email");
  EXPECT_TRUE((*subs)[0].active);
  EXPECT_EQ((*subs)[1].id, "13");
  EXPECT_FALSE((*subs)[1].active);
  auto bad = ParseWebhookSubscriptions("GET /webhooks/v3/1/subscriptions", R"({"results":[{"active":"yes"}]})");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("results[0]"), std::string::npos) << bad.status().message();
  EXPECT_EQ(ParseWebhookSettings("GET /webhooks/v3/1/settings", "[]").status().code(), StatusCode::kInvalidArgument);
}

TEST(HubSpotParseTest, OneWebhookSubscriptionNeedsItsId) {
  auto s = ParseWebhookSubscription("POST /webhooks/v3/1/subscriptions",
                                    R"({"id":"14","eventType":"deal.creation","active":true,"createdAt":"x"})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->id, "14");
  EXPECT_EQ(s->event_type, "deal.creation");
  EXPECT_TRUE(s->active);
  auto no_id = ParseWebhookSubscription("POST /webhooks/v3/1/subscriptions", R"({"eventType":"deal.creation"})");
  ASSERT_EQ(no_id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_id.status().message().find("POST /webhooks/v3/1/subscriptions: id"), std::string::npos)
      << no_id.status().message();
  auto bad = ParseWebhookSubscription("POST /webhooks/v3/1/subscriptions", R"({"id":15,"active":"yes"})");
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("active"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace tajo::hubspot
