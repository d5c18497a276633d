// HubSpotClient against the HubSpot emulator over a real loopback socket: the client is checked
// against tajo-sandbox, which is written from the reference, not from this client.
#include "hubspot/client.h"

#include <gtest/gtest.h>

#include "http/api_caller.h"
#include "http/client.h"
#include "http/plan_budgets.h"
#include "http/server.h"
#include "sandbox/hubspot/hubspot_sandbox.h"

namespace tajo::hubspot {
namespace {

namespace sb = ::tajo::sandbox::hubspot;

class HubSpotClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sb::HubSpotSandboxOptions options;
    options.tokens = {{"pat-na1-readonly-0000-1111", {"crm.objects.contacts.read"}},
                      {std::string(sb::kDefaultToken), {}}};
    sandbox_ = std::make_unique<sb::HubSpotSandbox>(options, SystemClock());
    sandbox_->Seed(sb::ParseSeedSpec("contacts=230,companies=12,deals=30").value(), 3);
    sandbox_->RegisterRoutes(router_);
    auto server = http::HttpServer::Start(http::ServerOptions{}, router_.AsHandler());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    ASSERT_TRUE(http::AddHubSpotBuckets(budget_, DefaultHubSpotRateLimits(HubSpotPlan::kEnterprise)).ok());
    client_ = MakeClient(sb::kDefaultToken);
  }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<HubSpotClient> MakeClient(const std::string& token) {
    return std::make_unique<HubSpotClient>(caller_, HubSpotClientOptions{server_->base_url(), token, 10'000});
  }

  std::unique_ptr<sb::HubSpotSandbox> sandbox_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> server_;
  std::unique_ptr<http::Transport> transport_ = http::NewCurlTransport();
  http::RateBudget budget_{SystemClock()};
  http::RetryPolicy retry_{http::RetryOptions{.max_attempts = 2, .base_delay_micros = 1000, .seed = 1}};
  http::ApiCaller caller_{*transport_, budget_, retry_, SystemClock()};
  std::unique_ptr<HubSpotClient> client_;
};

TEST_F(HubSpotClientTest, ListPagesThroughEveryContactWithOnlyTheRequestedProperties) {
  ListOptions o;
  o.properties = {"email", "firstname", "lifecyclestage"};
  std::set<std::string> ids;
  int pages = 0;
  do {
    auto page = client_->ListPage("contacts", o);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ++pages;
    for (const auto& c : page->results) {
      EXPECT_TRUE(ids.insert(c.id).second) << "contact " << c.id << " twice";
      EXPECT_FALSE(c.properties.count("lastname")) << "a property that was not asked for";
      EXPECT_FALSE(c.created_at.empty());
    }
    o.after = page->after;
  } while (!o.after.empty());
  EXPECT_EQ(ids.size(), 230u);
  EXPECT_EQ(pages, 3);
  // Three list pages: three budgeted calls, nothing retried.
  auto stats = caller_.Stats(std::string(http::kHubSpotBucket));
  EXPECT_EQ(stats.calls, 3);
  EXPECT_EQ(stats.retries, 0);
}

TEST_F(HubSpotClientTest, ListWithAssociationsReturnsAssociatedIds) {
  ListOptions o;
  o.limit = 100;
  o.associations = {"companies"};
  auto page = client_->ListPage("contacts", o);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  bool any = false;
  for (const auto& c : page->results) any = any || c.associations.count("companies") > 0;
  EXPECT_TRUE(any) << "the seeded portal associates contacts with companies";
}

TEST_F(HubSpotClientTest, BatchReadSplitsIntoHundredsAndSkipsUnknownIds) {
  ListOptions o;
  std::vector<std::string> ids;
  do {
    auto page = client_->ListPage("contacts", o);
    ASSERT_TRUE(page.ok());
    for (const auto& c : page->results) ids.push_back(c.id);
    o.after = page->after;
  } while (!o.after.empty());
  ids.push_back("999999999");  // unknown
  const int64_t before = caller_.Stats(std::string(http::kHubSpotBucket)).calls;
  auto records = client_->BatchRead("contacts", ids, {"email"});
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  EXPECT_EQ(records->size(), 230u);
  EXPECT_EQ(caller_.Stats(std::string(http::kHubSpotBucket)).calls - before, 3);  // 231 ids: 3 calls
}

TEST_F(HubSpotClientTest, SearchSortsAscendingByModificationDateAndPages) {
  SearchRequest r;
  r.filter_groups = {{{"lastmodifieddate", FilterOperator::kGte, "0", "", {}}}};
  r.sort_property = "lastmodifieddate";
  r.properties = {"email", "lastmodifieddate"};
  r.limit = 200;
  auto first = client_->Search("contacts", r);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->total, 230);
  ASSERT_EQ(first->results.size(), 200u);
  for (size_t i = 1; i < first->results.size(); ++i)
    EXPECT_LE(first->results[i - 1].properties.at("lastmodifieddate"),
              first->results[i].properties.at("lastmodifieddate"));
  r.after = first->after;
  auto second = client_->Search("contacts", r);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->results.size(), 30u);
  EXPECT_TRUE(second->after.empty());
  EXPECT_EQ(caller_.Stats(std::string(http::kHubSpotSearchBucket)).calls, 2);
}

TEST_F(HubSpotClientTest, GetByEmailAndNotFound) {
  ListOptions o;
  o.limit = 50;
  o.properties = {"email"};
  auto page = client_->ListPage("contacts", o);
  ASSERT_TRUE(page.ok());
  const CrmObject* with_email = nullptr;
  for (const auto& c : page->results)
    if (c.Get("email")) with_email = &c;
  ASSERT_NE(with_email, nullptr);
  auto got = client_->Get("contacts", *with_email->Get("email"), {"email"}, "email");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, with_email->id);
  auto missing = client_->Get("contacts", "123456789", {});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("GET /crm/v3/objects/contacts/123456789"), std::string::npos);
}

TEST_F(HubSpotClientTest, PropertiesAndOwners) {
  auto props = client_->ListProperties("contacts");
  ASSERT_TRUE(props.ok()) << props.status().ToString();
  auto it = std::find_if(props->begin(), props->end(), [](const auto& p) { return p.name == "lifecyclestage"; });
  ASSERT_NE(it, props->end());
  EXPECT_EQ(it->type, "enumeration");
  EXPECT_FALSE(it->options.empty());
  auto owners = client_->ListOwners();
  ASSERT_TRUE(owners.ok()) << owners.status().ToString();
}

TEST_F(HubSpotClientTest, BadTokenSaysToRegenerateItAndNeverShowsIt) {
  const std::string token = "pat-na1-deadbeef-0000-4000-8000-000000000000";
  auto bad = MakeClient(token)->ListPage("contacts", {});
  ASSERT_EQ(bad.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(bad.status().message().find("regenerate the private app token"), std::string::npos);
  EXPECT_EQ(bad.status().message().find(token), std::string::npos);
}

TEST_F(HubSpotClientTest, MissingScopeNamesTheScope) {
  auto denied = MakeClient("pat-na1-readonly-0000-1111")->ListPage("companies", {});
  ASSERT_EQ(denied.status().code(), StatusCode::kPermissionDenied) << denied.status().ToString();
  EXPECT_NE(denied.status().message().find("crm.objects.companies.read"), std::string::npos)
      << denied.status().message();
}

TEST_F(HubSpotClientTest, WebhookSettingsArePutAndReadBack) {
  const int64_t app = sandbox_->options().app_id;
  EXPECT_EQ(client_->GetWebhookSettings(app).status().code(), StatusCode::kNotFound);
  auto put = client_->PutWebhookSettings(app, "https://tajo.example.com/webhooks/hubspot", 10);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->target_url, "https://tajo.example.com/webhooks/hubspot");
  EXPECT_EQ(put->max_concurrent_requests, 10);
  auto got = client_->GetWebhookSettings(app);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->target_url, "https://tajo.example.com/webhooks/hubspot");
  // HubSpot wants more than five concurrent requests: refused, naming the field.
  auto low = client_->PutWebhookSettings(app, "https://tajo.example.com/webhooks/hubspot", 5);
  ASSERT_EQ(low.status().code(), StatusCode::kInvalidArgument) << low.status().ToString();
  EXPECT_NE(low.status().message().find("maxConcurrentRequests"), std::string::npos) << low.status().message();
}

TEST_F(HubSpotClientTest, WebhookSubscriptionsAreCreatedListedAndPaused) {
  const int64_t app = sandbox_->options().app_id;
  auto created = client_->CreateWebhookSubscription(app, "contact.propertyChange", "email", true);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_FALSE(created->id.empty());
  EXPECT_EQ(created->event_type, "contact.propertyChange");
  EXPECT_EQ(created->property_name, "email");
  EXPECT_TRUE(created->active);
  auto paused = client_->CreateWebhookSubscription(app, "contact.creation", "", false);
  ASSERT_TRUE(paused.ok()) << paused.status().ToString();
  EXPECT_FALSE(paused->active);
  EXPECT_EQ(paused->property_name, "");

  auto listed = client_->ListWebhookSubscriptions(app);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);

  auto activated = client_->UpdateWebhookSubscription(app, paused->id, true);
  ASSERT_TRUE(activated.ok()) << activated.status().ToString();
  EXPECT_EQ(activated->id, paused->id);
  EXPECT_TRUE(activated->active);
  EXPECT_TRUE(sandbox_->webhooks().Subscription(std::stoll(paused->id))->active);

  // The same (eventType, propertyName) twice is refused; an unknown id is kNotFound.
  EXPECT_EQ(client_->CreateWebhookSubscription(app, "contact.propertyChange", "email", true).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(client_->UpdateWebhookSubscription(app, "987654", true).status().code(), StatusCode::kNotFound);
  // A propertyChange without a property is refused by HubSpot, with its message.
  auto bad = client_->CreateWebhookSubscription(app, "contact.propertyChange", "", true);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("propertyName"), std::string::npos) << bad.status().message();
}

TEST_F(HubSpotClientTest, WebhooksApiRefusesATokenWithoutDeveloperScopes) {
  const int64_t app = sandbox_->options().app_id;
  auto client = MakeClient("pat-na1-readonly-0000-1111");
  EXPECT_EQ(client->PutWebhookSettings(app, "https://tajo.example.com/webhooks/hubspot", 10).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(client->CreateWebhookSubscription(app, "contact.creation", "", true).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(sandbox_->webhooks().Subscriptions().empty());
}

}  // namespace
}  // namespace tajo::hubspot
