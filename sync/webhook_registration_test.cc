// Webhook registration against both emulators over loopback sockets: the subscriptions derived
// from the configuration, idempotent registration (no duplicates, paused ones activated, an
// existing Brevo webhook updated in place), the hand-entered settings when HubSpot's API cannot
// be used, failures reported per line, and no secret in the report.
#include "sync/webhook_registration.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "core/redact.h"
#include "http/api_caller.h"
#include "http/client.h"
#include "http/plan_budgets.h"
#include "http/server.h"
#include "sandbox/brevo/brevo_sandbox.h"
#include "sandbox/hubspot/hubspot_sandbox.h"
#include "sync/connection_check.h"

namespace tajo::sync {
namespace {

namespace hsb = ::tajo::sandbox::hubspot;
namespace bsb = ::tajo::sandbox::brevo;

constexpr const char* kPublicUrl = "https://tajo.example.com";
constexpr const char* kBrevoToken = "brevo-hook-token-5f2c9a7e41d8";
// A token with the data scopes tajo needs, without the webhooks API's.
constexpr const char* kDataToken = "pat-na1-bbbbbbbb-0000-4000-8000-dataonly0001";

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
  return n;
}

TEST(RequiredSubscriptionsTest, FollowTheFieldMappingAndTheListRulesOnceEach) {
  HubSpotConfig hs;
  hs.field_mapping = {{"email", "EMAIL", true},
                      {"firstname", "FIRSTNAME", false},
                      {"lifecyclestage", "LIFECYCLE_STAGE", false},
                      {"hs_lastmodifieddate", "MODIFIED", false}};  // HubSpot refuses this one
  ListAssignment vip;
  vip.key = "vip";
  vip.kind = ListAssignment::Kind::kRule;
  vip.rule = {"hs_lead_status", ListRuleOperator::kIn, {"HOT"}};
  vip.list_id = 15;
  ListAssignment customers;  // built-in: reads lifecyclestage, already mapped
  customers.key = "customers";
  customers.kind = ListAssignment::Kind::kListId;
  customers.list_id = 3;
  hs.lists = {vip, customers};

  std::vector<std::string> got;
  for (const SubscriptionSpec& s : RequiredHubSpotSubscriptions(hs)) got.push_back(s.Describe());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "contact.creation", "contact.deletion", "contact.restore", "contact.merge",
                     "contact.privacyDeletion", "contact.associationChange", "contact.propertyChange email",
                     "contact.propertyChange firstname", "contact.propertyChange lifecyclestage",
                     "contact.propertyChange hs_lead_status", "company.propertyChange name", "deal.creation",
                     "deal.deletion", "deal.propertyChange amount", "deal.propertyChange dealstage",
                     "deal.associationChange"}));
}

TEST(RequiredSubscriptionsTest, DefaultMappingSubscribesToEveryDefaultProperty) {
  HubSpotConfig hs;  // DefaultFieldMapping()
  const auto subs = RequiredHubSpotSubscriptions(hs);
  for (const FieldMapping& m : DefaultFieldMapping())
    EXPECT_NE(std::find(subs.begin(), subs.end(), SubscriptionSpec{"contact.propertyChange", m.hubspot_property}),
              subs.end())
        << m.hubspot_property;
}

TEST(CheckRegistrationConfigTest, NamesTheMissingKey) {
  Config config;
  config.source = "tajo.yaml";
  config.server.webhooks.brevo_token = kBrevoToken;
  Status s = CheckRegistrationConfig(config);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("tajo.yaml: server.public_url is not set"), std::string::npos) << s.message();
  config.server.public_url = kPublicUrl;
  EXPECT_TRUE(CheckRegistrationConfig(config).ok());
  config.server.webhooks.brevo_token.clear();
  s = CheckRegistrationConfig(config);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("server.webhooks.brevo_token is not set"), std::string::npos) << s.message();
}

class WebhookRegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hsb::HubSpotSandboxOptions h;
    h.tokens = {{std::string(hsb::kDefaultToken), {}},
                {kDataToken, {"crm.objects.contacts.read", "crm.objects.companies.read", "crm.objects.deals.read"}}};
    hubspot_ = std::make_unique<hsb::HubSpotSandbox>(h, SystemClock());
    hubspot_->RegisterRoutes(hubspot_router_);
    auto hs = http::HttpServer::Start(http::ServerOptions{}, hubspot_router_.AsHandler());
    ASSERT_TRUE(hs.ok()) << hs.status().ToString();
    hubspot_server_ = std::move(*hs);

    brevo_ = std::make_unique<bsb::BrevoSandbox>(bsb::BrevoSandboxOptions{}, SystemClock());
    brevo_->RegisterRoutes(brevo_router_);
    auto bs = http::HttpServer::Start(http::ServerOptions{}, brevo_router_.AsHandler());
    ASSERT_TRUE(bs.ok()) << bs.status().ToString();
    brevo_server_ = std::move(*bs);

    ASSERT_TRUE(http::AddHubSpotBuckets(budget_, DefaultHubSpotRateLimits(HubSpotPlan::kEnterprise)).ok());
    ASSERT_TRUE(http::AddBrevoBuckets(budget_, DefaultBrevoRateLimits(BrevoPlan::kAdvanced)).ok());

    config_.connectors.hubspot.enabled = true;
    config_.connectors.hubspot.access_token = hsb::kDefaultToken;
    config_.connectors.hubspot.base_url = hubspot_server_->base_url();
    config_.connectors.hubspot.app_id = hubspot_->options().app_id;
    config_.brevo.api_key = bsb::kDefaultApiKey;
    config_.brevo.base_url = brevo_server_->base_url() + "/v3";
    config_.server.public_url = kPublicUrl;
    config_.server.webhooks.brevo_token = kBrevoToken;
  }
  void TearDown() override {
    hubspot_server_->Shutdown();
    brevo_server_->Shutdown();
    ClearRegisteredSecrets();
  }

  RegistrationReport Register() {
    hubspot::HubSpotClient hs(caller_, hubspot::HubSpotClientOptions{config_.connectors.hubspot.base_url,
                                                                     config_.connectors.hubspot.access_token, 10'000});
    brevo::BrevoClient brevo(caller_, brevo::BrevoClientOptions{config_.brevo.base_url, config_.brevo.api_key, 10'000});
    RegistrationReport report;
    RegisterHubSpotWebhooks(hs, config_, report);
    RegisterBrevoWebhook(brevo, config_, report);
    return report;
  }
  std::vector<hsb::WebhookSubscription> Subscriptions() { return hubspot_->webhooks().Subscriptions(); }
  nlohmann::json BrevoHooks() { return brevo_->webhooks().List("marketing", false).value()["webhooks"]; }

  std::unique_ptr<hsb::HubSpotSandbox> hubspot_;
  http::Router hubspot_router_;
  std::unique_ptr<http::HttpServer> hubspot_server_;
  std::unique_ptr<bsb::BrevoSandbox> brevo_;
  http::Router brevo_router_;
  std::unique_ptr<http::HttpServer> brevo_server_;
  std::unique_ptr<http::Transport> transport_ = http::NewCurlTransport();
  http::RateBudget budget_{SystemClock()};
  http::RetryPolicy retry_{http::RetryOptions{.max_attempts = 2, .base_delay_micros = 1000, .seed = 1}};
  http::ApiCaller caller_{*transport_, budget_, retry_, SystemClock()};
  Config config_;
};

TEST_F(WebhookRegistrationTest, RegistersEverythingOnceAndAgainChangesNothing) {
  const size_t wanted = RequiredHubSpotSubscriptions(config_.connectors.hubspot).size();
  RegistrationReport first = Register();
  const std::string text = first.Format();
  EXPECT_FALSE(first.failed()) << text;
  EXPECT_NE(text.find("✓ HubSpot target URL of app 54321 (https://tajo.example.com/webhooks/hubspot): set\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("✓ HubSpot subscription contact.propertyChange firstname: created\n"), std::string::npos)
      << text;
  EXPECT_EQ(Count(text, ": created\n"), wanted) << text;
  EXPECT_NE(text.find("✓ Brevo marketing webhook https://tajo.example.com/webhooks/brevo: created (id 1)"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find(kBrevoToken), std::string::npos) << text;

  auto settings = hubspot_->webhooks().GetSettings();
  ASSERT_TRUE(settings.has_value());
  EXPECT_EQ(settings->target_url, "https://tajo.example.com/webhooks/hubspot");
  EXPECT_EQ(settings->max_concurrent_requests, kHubSpotMaxConcurrentRequests);
  ASSERT_EQ(Subscriptions().size(), wanted);
  for (const auto& s : Subscriptions()) EXPECT_TRUE(s.active) << s.event_type << " " << s.property_name;
  auto hooks = BrevoHooks();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0]["url"], "https://tajo.example.com/webhooks/brevo");
  EXPECT_EQ(hooks[0]["events"].get<std::vector<std::string>>(), RequiredBrevoEvents());
  EXPECT_EQ(hooks[0]["auth"]["token"], kBrevoToken);

  RegistrationReport second = Register();
  const std::string again = second.Format();
  EXPECT_FALSE(second.failed()) << again;
  EXPECT_EQ(Count(again, ": created"), 0u) << again;
  EXPECT_EQ(Count(again, ": already registered"), wanted + 2) << again;  // + target URL + Brevo
  EXPECT_EQ(Subscriptions().size(), wanted);
  EXPECT_EQ(BrevoHooks().size(), 1u);
}

TEST_F(WebhookRegistrationTest, PausedSubscriptionsAreActivatedAndAForeignTargetIsReplaced) {
  ASSERT_TRUE(hubspot_->webhooks().PutSettings("https://old.example.com/hooks", 20, "SECONDLY").ok());
  auto paused = hubspot_->webhooks().CreateSubscription("contact.propertyChange", "email", false);
  ASSERT_TRUE(paused.ok());
  RegistrationReport report = Register();
  const std::string text = report.Format();
  EXPECT_FALSE(report.failed()) << text;
  EXPECT_NE(text.find("(https://tajo.example.com/webhooks/hubspot): set (was https://old.example.com/hooks)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("✓ HubSpot subscription contact.propertyChange email: activated\n"), std::string::npos)
      << text;
  EXPECT_TRUE(hubspot_->webhooks().Subscription(paused->id)->active);
  // The concurrency HubSpot already had is kept.
  EXPECT_EQ(hubspot_->webhooks().GetSettings()->max_concurrent_requests, 20);
  EXPECT_EQ(Subscriptions().size(), RequiredHubSpotSubscriptions(config_.connectors.hubspot).size());
}

TEST_F(WebhookRegistrationTest, AnExistingBrevoWebhookIsUpdatedNotDuplicated) {
  ASSERT_TRUE(brevo_->webhooks()
                  .Create({{"url", "https://tajo.example.com/webhooks/brevo/"},
                           {"type", "marketing"},
                           {"events", {"unsubscribed"}},
                           {"auth", {{"type", "bearer"}, {"token", "an-old-token-000000"}}}})
                  .ok());
  RegistrationReport report = Register();
  const std::string text = report.Format();
  EXPECT_FALSE(report.failed()) << text;
  EXPECT_NE(text.find("✓ Brevo marketing webhook https://tajo.example.com/webhooks/brevo: already registered (id 1)"),
            std::string::npos)
      << text;
  auto hooks = BrevoHooks();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0]["events"].get<std::vector<std::string>>(), RequiredBrevoEvents());
  EXPECT_EQ(hooks[0]["auth"]["token"], kBrevoToken);
}

TEST_F(WebhookRegistrationTest, PrivateAppGetsTheSettingsToEnterAndBrevoIsStillRegistered) {
  config_.connectors.hubspot.app_id.reset();
  config_.connectors.hubspot.client_secret.clear();
  config_.server.webhooks.hubspot_signature_versions = {SignatureVersion::kV3, SignatureVersion::kV1};
  RegistrationReport report = Register();
  const std::string text = report.Format();
  EXPECT_FALSE(report.failed()) << text;
  EXPECT_EQ(text.rfind("- HubSpot: connectors.hubspot.app_id is not set (a private app)", 0), 0u) << text;
  EXPECT_NE(text.find("    Target URL: https://tajo.example.com/webhooks/hubspot\n"), std::string::npos) << text;
  for (const SubscriptionSpec& s : RequiredHubSpotSubscriptions(config_.connectors.hubspot))
    EXPECT_NE(text.find("      " + s.Describe() + "\n"), std::string::npos) << s.Describe();
  EXPECT_NE(text.find("private app's webhooks with v1 signatures"), std::string::npos) << text;
  EXPECT_NE(text.find("Set connectors.hubspot.client_secret"), std::string::npos) << text;
  EXPECT_NE(text.find("includes v1: tajo accepts them"), std::string::npos) << text;
  EXPECT_NE(text.find("✓ Brevo marketing webhook https://tajo.example.com/webhooks/brevo: created"),
            std::string::npos)
      << text;
  EXPECT_TRUE(Subscriptions().empty());
  EXPECT_FALSE(hubspot_->webhooks().GetSettings().has_value());
}

TEST_F(WebhookRegistrationTest, SignatureVersionsWithoutV1AreFlaggedInTheSettings) {
  config_.connectors.hubspot.app_id.reset();
  config_.server.webhooks.hubspot_signature_versions = {SignatureVersion::kV3};
  const std::string text = Register().Format();
  EXPECT_NE(text.find("does not include v1, so `tajo serve` would refuse"), std::string::npos) << text;
}

TEST_F(WebhookRegistrationTest, ARefusedTokenPrintsTheSettingsInsteadOfFailing) {
  config_.connectors.hubspot.access_token = kDataToken;
  RegistrationReport report = Register();
  const std::string text = report.Format();
  EXPECT_FALSE(report.failed()) << text;
  EXPECT_EQ(text.rfind("- HubSpot: HubSpot's webhooks API refused the access token (HTTP 403)", 0), 0u) << text;
  EXPECT_NE(text.find("    Target URL: https://tajo.example.com/webhooks/hubspot\n"), std::string::npos) << text;
  EXPECT_EQ(text.find(kDataToken), std::string::npos) << text;
  EXPECT_NE(text.find("✓ Brevo marketing webhook"), std::string::npos) << text;
}

TEST_F(WebhookRegistrationTest, AFailedCallIsAFailedLineAndTheRestStillRuns) {
  // Brevo allows 40 webhooks per account: the 41st is refused.
  for (int i = 0; i < 40; ++i)
    ASSERT_TRUE(brevo_->webhooks()
                    .Create({{"url", "https://elsewhere.example.com/" + std::to_string(i)},
                             {"type", "transactional"},
                             {"events", {"delivered"}}})
                    .ok());
  RegistrationReport report = Register();
  const std::string text = report.Format();
  EXPECT_TRUE(report.failed()) << text;
  EXPECT_NE(text.find("✗ Brevo marketing webhook https://tajo.example.com/webhooks/brevo: POST /v3/webhooks: HTTP 400"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find(kBrevoToken), std::string::npos) << text;
  EXPECT_EQ(Count(text, ": created\n"), RequiredHubSpotSubscriptions(config_.connectors.hubspot).size()) << text;
}

TEST_F(WebhookRegistrationTest, TheCheckThatFollowsSaysRegistered) {
  ASSERT_FALSE(Register().failed());
  hubspot::HubSpotClient hs(caller_, hubspot::HubSpotClientOptions{config_.connectors.hubspot.base_url,
                                                                   config_.connectors.hubspot.access_token, 10'000});
  brevo::BrevoClient brevo(caller_, brevo::BrevoClientOptions{config_.brevo.base_url, config_.brevo.api_key, 10'000});
  auto h = CheckHubSpot(hs, config_);
  auto b = CheckBrevo(brevo, config_);
  EXPECT_EQ(h.back().label, "Webhooks registered");
  EXPECT_EQ(h.back().outcome, CheckResult::Outcome::kPassed) << h.back().detail;
  EXPECT_EQ(b.back().outcome, CheckResult::Outcome::kPassed) << b.back().detail;
}

}  // namespace
}  // namespace tajo::sync
