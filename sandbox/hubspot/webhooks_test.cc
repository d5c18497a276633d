// Webhooks: signatures (the published vectors), the management API, event payloads, batching,
// concurrency and retries.
#include <set>

#include "sandbox/hubspot/test_util.h"
#include "sandbox/hubspot/webhook_signature.h"

namespace tajo::sandbox::hubspot {
namespace {

using testing::Reply;
using testing::SandboxHarness;
using testing::Unlimited;

const char* kSecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const char* kUri = "https://www.example.com/webhook_uri";

TEST(WebhookSignatureTest, PublishedVectors) {
  EXPECT_EQ(SignatureV1(kSecret,
                        R"([{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}])"),
            "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de");
  EXPECT_EQ(SignatureV2(kSecret, "GET", kUri, ""), "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e");
  EXPECT_EQ(SignatureV2(kSecret, "POST", kUri, R"({"example_field":"example_value"})"),
            "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900");
  EXPECT_EQ(SignatureV1(kSecret, "{'example_field':'example_value'}"),
            "69fc6631a867edd4f9e9e627fc5c1148e3fbdd8b21837b6d2b8901c1fa57f750");
  EXPECT_EQ(SignatureV3(kSecret, "POST", kUri, "{'example_field':'example_value'}", "1693657560000"),
            "K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=");
  EXPECT_EQ(SignatureV3(kSecret, "POST", kUri, "{'example_field':'example_value'}", "1700000300000"),
            "RnbPH7+UMKVkbV32P8bz450N4M56aPmcru1+D3kSDtw=");
  EXPECT_EQ(SignatureV3(kSecret, "POST", kUri, R"({"example_field":"example_value"})", "1700000000000"),
            "rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=");
}

class WebhookTest : public ::testing::Test {
 protected:
  WebhookTest() : h(Unlimited()) {}
  void Configure(int max_concurrent = 10) {
    Reply r = h.Call("PUT", base + "/settings",
                     {{"targetUrl", "https://hooks.example.com/hubspot"},
                      {"throttling", {{"maxConcurrentRequests", max_concurrent}, {"period", "SECONDLY"}}}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  std::string Subscribe(const std::string& type, const std::string& property = "") {
    nlohmann::json body = {{"eventType", type}, {"active", true}};
    if (!property.empty()) body["propertyName"] = property;
    Reply r = h.Call("POST", base + "/subscriptions", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.value("id", "");
  }
  std::vector<http::ClientRequest> Sent() {
    std::lock_guard lock(h.webhook_state->mu);
    return h.webhook_state->requests;
  }
  std::vector<nlohmann::json> Events() {
    std::vector<nlohmann::json> out;
    for (const auto& r : Sent())
      for (const auto& e : nlohmann::json::parse(r.body)) out.push_back(e);
    return out;
  }

  SandboxHarness h;
  const std::string base = "/webhooks/v3/" + std::to_string(kDefaultAppId);
};

TEST_F(WebhookTest, ManagementApi) {
  EXPECT_EQ(h.Call("GET", base + "/settings").status, 404);
  Reply r = h.Call("PUT", base + "/settings", {{"targetUrl", "https://x.example"}, {"throttling", {{"maxConcurrentRequests", 5}}}});
  EXPECT_EQ(r.status, 400);  // must be greater than five
  Configure();
  r = h.Call("GET", base + "/settings");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["targetUrl"], "https://hooks.example.com/hubspot");
  EXPECT_EQ(r.json["throttling"]["maxConcurrentRequests"], 10);
  EXPECT_EQ(h.Call("GET", "/webhooks/v3/999/settings").status, 404);
  EXPECT_EQ(h.Call("POST", base + "/subscriptions", {{"eventType", "contact.explode"}}).status, 400);
  EXPECT_EQ(h.Call("POST", base + "/subscriptions", {{"eventType", "contact.propertyChange"}}).status, 400);
  r = h.Call("POST", base + "/subscriptions", {{"eventType", "contact.propertyChange"}, {"propertyName", "email"}});
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.json["active"], false);  // new subscriptions start paused
  std::string id = r.json["id"];
  r = h.Call("PATCH", base + "/subscriptions/" + id, {{"active", true}});
  EXPECT_EQ(r.json["active"], true);
  r = h.Call("POST", base + "/subscriptions/batch/update", {{"inputs", {{{"id", std::stoi(id)}, {"active", false}}, {{"id", 999}, {"active", true}}}}});
  EXPECT_EQ(r.status, 207);
  EXPECT_EQ(r.json["results"][0]["active"], false);
  EXPECT_EQ(h.Call("GET", base + "/subscriptions").json["results"].size(), 1u);
  EXPECT_EQ(h.Call("DELETE", base + "/subscriptions/" + id).status, 204);
  EXPECT_EQ(h.Call("GET", base + "/subscriptions/" + id).status, 404);
  // At most 1,000 subscriptions.
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(h.Call("POST", base + "/subscriptions", {{"eventType", "contact.propertyChange"}, {"propertyName", "p" + std::to_string(i)}}).status, 201);
  r = h.Call("POST", base + "/subscriptions", {{"eventType", "deal.creation"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json["message"], "Couldn't create another subscription. You've reached the maximum number allowed per application (1000).");
  EXPECT_EQ(h.Call("DELETE", base + "/settings").status, 204);
}

TEST_F(WebhookTest, ChangesBecomeSignedEventsWithEveryField) {
  Configure();
  std::string creation = Subscribe("contact.creation");
  std::string email_change = Subscribe("contact.propertyChange", "email");
  Subscribe("contact.propertyChange", "firstname");
  std::string id = h.CreateContact({{"email", "w@example.com"}, {"lastname", "L"}});
  EXPECT_EQ(h.sandbox->webhooks().Pump(), 1u);
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  const auto& req = sent[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://hooks.example.com/hubspot");
  EXPECT_EQ(req.timeout_ms, 5000);
  EXPECT_EQ(req.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(req.headers.Get("X-HubSpot-Signature-Version"), "v1");
  EXPECT_EQ(req.headers.Get("X-HubSpot-Signature"), SignatureV1(kDefaultClientSecret, req.body));
  std::string ts = req.headers.Get("X-HubSpot-Request-Timestamp").value_or("");
  EXPECT_EQ(ts, std::to_string(h.clock.NowMillis()));
  EXPECT_EQ(req.headers.Get("X-HubSpot-Signature-v3"), SignatureV3(kDefaultClientSecret, "POST", req.url, req.body, ts));
  auto events = nlohmann::json::parse(req.body);
  ASSERT_EQ(events.size(), 2u);  // creation + propertyChange(email); lastname has no subscription
  const auto& c = events[0];
  EXPECT_EQ(c["subscriptionType"], "contact.creation");
  EXPECT_EQ(c["subscriptionId"], std::stoll(creation));
  EXPECT_EQ(c["objectId"], std::stoll(id));
  EXPECT_TRUE(c["objectId"].is_number());
  EXPECT_EQ(c["portalId"], kDefaultPortalId);
  EXPECT_EQ(c["appId"], kDefaultAppId);
  EXPECT_EQ(c["attemptNumber"], 0);
  EXPECT_EQ(c["occurredAt"], h.clock.NowMillis());
  EXPECT_EQ(c["changeSource"], "INTEGRATION");
  EXPECT_EQ(c["changeFlag"], "NEW");
  EXPECT_EQ(c["sourceId"], std::to_string(kDefaultAppId));
  EXPECT_TRUE(c["eventId"].is_number());
  const auto& p = events[1];
  EXPECT_EQ(p["subscriptionType"], "contact.propertyChange");
  EXPECT_EQ(p["subscriptionId"], std::stoll(email_change));
  EXPECT_EQ(p["propertyName"], "email");
  EXPECT_EQ(p["propertyValue"], "w@example.com");
  EXPECT_GT(p["eventId"], c["eventId"]);
  // Admin mutations look like a person in the UI.
  h.Call("POST", "/_sandbox/mutate", {{"actions", {{{"op", "update"}, {"id", id}, {"properties", {{"firstname", "Wanda"}}}}}}});
  h.sandbox->webhooks().Pump();
  auto all = Events();
  EXPECT_EQ(all.back()["changeSource"], "CRM_UI");
  EXPECT_EQ(all.back()["propertyValue"], "Wanda");
  // Paused subscriptions and unsubscribed objects produce nothing.
  h.Call("PATCH", base + "/subscriptions/" + creation, {{"active", false}});
  h.CreateContact({{"lastname", "Quiet"}});
  h.Create("companies", {{"name", "Q"}});
  EXPECT_EQ(h.sandbox->webhooks().Pump(), 0u);
}

TEST_F(WebhookTest, DeletionMergePrivacyAndAssociationEvents) {
  Configure();
  for (const char* t : {"contact.deletion", "contact.merge", "contact.privacyDeletion", "contact.associationChange",
                        "contact.restore", "deal.creation"})
    Subscribe(t);
  std::string a = h.CreateContact({{"email", "a@x.co"}});
  std::string b = h.CreateContact({{"email", "b@x.co"}});
  std::string company = h.Create("companies", {{"name", "Acme"}});
  h.Call("PUT", "/crm/v4/objects/contacts/" + a + "/associations/companies/" + company,
         nlohmann::json::array({{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 1}}}));
  h.Call("POST", "/crm/v3/objects/contacts/merge", {{"primaryObjectId", a}, {"objectIdToMerge", b}});
  std::string c = h.CreateContact({{"email", "c@x.co"}});
  h.Call("DELETE", "/crm/v3/objects/contacts/" + c);
  h.Call("POST", "/_sandbox/mutate", {{"actions", {{{"op", "restore"}, {"id", c}}}}});
  h.Call("POST", "/crm/v3/objects/contacts/gdpr-delete", {{"objectId", c}});
  h.sandbox->webhooks().Pump();
  std::map<std::string, std::vector<nlohmann::json>> by_type;
  for (const auto& e : Events()) by_type[e["subscriptionType"]].push_back(e);
  ASSERT_EQ(by_type["contact.associationChange"].size(), 2u);  // primary and unlabeled
  std::set<bool> primary;
  for (const auto& e : by_type["contact.associationChange"]) {
    EXPECT_EQ(e["associationType"], "CONTACT_TO_COMPANY");
    EXPECT_EQ(e["fromObjectId"], std::stoll(a));
    EXPECT_EQ(e["toObjectId"], std::stoll(company));
    EXPECT_EQ(e["associationRemoved"], false);
    primary.insert(e["isPrimaryAssociation"].get<bool>());
  }
  EXPECT_EQ(primary, (std::set<bool>{true, false}));
  ASSERT_EQ(by_type["contact.merge"].size(), 1u);
  const auto& m = by_type["contact.merge"][0];
  EXPECT_EQ(m["primaryObjectId"], std::stoll(a));
  EXPECT_EQ(m["mergedObjectIds"], nlohmann::json::array({std::stoll(b)}));
  EXPECT_TRUE(m.contains("numberOfPropertiesMoved"));
  EXPECT_EQ(by_type["contact.deletion"].size(), 2u);  // archive, then the GDPR deletion
  EXPECT_EQ(by_type["contact.privacyDeletion"].size(), 1u);
  EXPECT_EQ(by_type["contact.restore"].size(), 1u);
  EXPECT_EQ(by_type["deal.creation"].size(), 0u);
}

TEST_F(WebhookTest, BatchesOfAtMost100AndConcurrencyCap) {
  Configure(6);
  Subscribe("contact.creation");
  for (int batch = 0; batch < 10; ++batch) {
    nlohmann::json inputs = nlohmann::json::array();
    for (int i = 0; i < 100; ++i) inputs.push_back({{"properties", {{"lastname", "N" + std::to_string(batch * 100 + i)}}}});
    ASSERT_EQ(h.Call("POST", "/crm/v3/objects/contacts/batch/create", {{"inputs", inputs}}).status, 201);
  }
  h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"lastname", "last"}}}});
  EXPECT_EQ(h.sandbox->webhooks().stats().pending, 1001u);
  EXPECT_EQ(h.sandbox->webhooks().Pump(), 6u);  // maxConcurrentRequests
  for (const auto& r : Sent()) EXPECT_EQ(nlohmann::json::parse(r.body).size(), 100u);
  EXPECT_EQ(h.sandbox->webhooks().Pump(), 5u);  // 400 + 1 left: 4 full and 1 of 1
  EXPECT_EQ(Sent().back().body.front(), '[');
  EXPECT_EQ(nlohmann::json::parse(Sent().back().body).size(), 1u);
  std::set<int64_t> ids;
  for (const auto& e : Events()) ids.insert(e["eventId"].get<int64_t>());
  EXPECT_EQ(ids.size(), 1001u);
  EXPECT_EQ(h.sandbox->webhooks().stats().events_delivered, 1001);
}

TEST_F(WebhookTest, FailedRequestsAreRetriedTenTimesThenDropped) {
  Configure();
  Subscribe("contact.creation");
  h.CreateContact({{"lastname", "R"}});
  h.webhook_state->status = 503;
  EXPECT_EQ(h.sandbox->webhooks().Pump(), 1u);
  EXPECT_EQ(h.sandbox->webhooks().Pump(), 0u);  // not due yet
  EXPECT_EQ(h.sandbox->webhooks().NextDueInMs(), 60'000);
  int64_t delay = 60'000;
  for (int attempt = 1; attempt <= 10; ++attempt) {
    h.clock.Advance(delay * 1000);
    ASSERT_EQ(h.sandbox->webhooks().Pump(), 1u) << attempt;
    EXPECT_EQ(nlohmann::json::parse(Sent().back().body)[0]["attemptNumber"], attempt);
    h.webhook_state->fail = attempt % 2 == 0;  // connection failures are retried too
    delay *= 2;
  }
  EXPECT_EQ(h.sandbox->webhooks().stats().events_dropped, 1);
  EXPECT_EQ(h.sandbox->webhooks().stats().pending, 0u);
  // A success stops the retries.
  h.webhook_state->fail = false;
  h.webhook_state->status = 500;
  h.CreateContact({{"lastname", "S"}});
  h.sandbox->webhooks().Pump();
  h.webhook_state->status = 204;
  h.clock.Advance(60'000'000);
  h.sandbox->webhooks().Pump();
  EXPECT_EQ(h.sandbox->webhooks().stats().pending, 0u);
  EXPECT_EQ(h.sandbox->webhooks().stats().events_delivered, 1);
}

TEST(WebhookScaleTest, TimeScaleShrinksRetryDelays) {
  HubSpotSandboxOptions o = Unlimited();
  o.time_scale = 60;  // one real second = one minute
  SandboxHarness h(o);
  h.Call("PUT", "/webhooks/v3/54321/settings", {{"targetUrl", "https://h.example"}, {"throttling", {{"maxConcurrentRequests", 10}}}});
  h.Call("POST", "/webhooks/v3/54321/subscriptions", {{"eventType", "contact.creation"}, {"active", true}});
  h.CreateContact({{"lastname", "T"}});
  h.webhook_state->status = 500;
  EXPECT_EQ(h.sandbox->webhooks().Pump(), 1u);
  h.clock.Advance(1'000'000);  // 60 s of scaled time
  EXPECT_EQ(h.sandbox->webhooks().Pump(), 1u);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
