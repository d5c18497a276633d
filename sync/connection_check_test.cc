// The connection checks against both emulators over loopback sockets: every line comes from a
// real call, failures carry the reason and the fix, and no secret reaches the output.
#include "sync/connection_check.h"

#include <gtest/gtest.h>

#include "core/redact.h"
#include "http/api_caller.h"
#include "http/client.h"
#include "http/plan_budgets.h"
#include "http/server.h"
#include "sandbox/brevo/brevo_sandbox.h"
#include "sandbox/hubspot/hubspot_sandbox.h"

namespace tajo::sync {
namespace {

namespace hsb = ::tajo::sandbox::hubspot;
namespace bsb = ::tajo::sandbox::brevo;
using Outcome = CheckResult::Outcome;

constexpr const char* kPublicUrl = "https://tajo.example.com";
// A token that can read contacts and companies but not deals (nor owners, nor webhooks).
constexpr const char* kNoDealsToken = "pat-na1-aaaaaaaa-0000-4000-8000-nodeals00001";
// A token with the data scopes tajo needs, without the webhooks API's.
constexpr const char* kDataToken = "pat-na1-bbbbbbbb-0000-4000-8000-dataonly0001";
constexpr const char* kWrongToken = "pat-na1-cccccccc-0000-4000-8000-wrongtoken01";

class ConnectionCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hsb::HubSpotSandboxOptions h;
    h.tokens = {{std::string(hsb::kDefaultToken), {}},
                {kNoDealsToken, {"crm.objects.contacts.read", "crm.objects.companies.read"}},
                {kDataToken, {"crm.objects.contacts.read", "crm.objects.companies.read", "crm.objects.deals.read"}}};
    hubspot_ = std::make_unique<hsb::HubSpotSandbox>(h, SystemClock());
    hubspot_->Seed(hsb::ParseSeedSpec("contacts=5,companies=2,deals=2").value(), 1);
    hubspot_->RegisterRoutes(hubspot_router_);
    auto hs = http::HttpServer::Start(http::ServerOptions{}, hubspot_router_.AsHandler());
    ASSERT_TRUE(hs.ok()) << hs.status().ToString();
    hubspot_server_ = std::move(*hs);

    bsb::BrevoSandboxOptions b;
    brevo_ = std::make_unique<bsb::BrevoSandbox>(b, SystemClock());
    bsb::SeedSpec seed;
    seed.contacts = 5;
    seed.lists = 1;
    brevo_->Seed(seed, 1);
    brevo_->RegisterRoutes(brevo_router_);
    auto bs = http::HttpServer::Start(http::ServerOptions{}, brevo_router_.AsHandler());
    ASSERT_TRUE(bs.ok()) << bs.status().ToString();
    brevo_server_ = std::move(*bs);

    ASSERT_TRUE(http::AddHubSpotBuckets(budget_, DefaultHubSpotRateLimits(HubSpotPlan::kEnterprise)).ok());
    ASSERT_TRUE(http::AddBrevoBuckets(budget_, DefaultBrevoRateLimits(BrevoPlan::kAdvanced)).ok());

    config_.connectors.hubspot.enabled = true;
    config_.connectors.hubspot.access_token = hsb::kDefaultToken;
    config_.connectors.hubspot.base_url = hubspot_server_->base_url();
    config_.brevo.api_key = bsb::kDefaultApiKey;
    config_.brevo.base_url = brevo_server_->base_url() + "/v3";
    config_.server.public_url = kPublicUrl;
  }
  void TearDown() override {
    hubspot_server_->Shutdown();
    brevo_server_->Shutdown();
    ClearRegisteredSecrets();
  }

  std::vector<CheckResult> RunHubSpot() {
    hubspot::HubSpotClient client(caller_, hubspot::HubSpotClientOptions{config_.connectors.hubspot.base_url,
                                                                         config_.connectors.hubspot.access_token,
                                                                         10'000});
    return CheckHubSpot(client, config_);
  }
  std::vector<CheckResult> RunBrevo() {
    brevo::BrevoClient client(caller_, brevo::BrevoClientOptions{config_.brevo.base_url, config_.brevo.api_key, 10'000});
    return CheckBrevo(client, config_);
  }
  // The app's webhooks as `tajo connectors webhooks register` would set them.
  void RegisterHubSpotWebhooks(const std::string& target, bool active = true) {
    ASSERT_TRUE(hubspot_->webhooks().PutSettings(target, 10, "SECONDLY").ok());
    ASSERT_TRUE(hubspot_->webhooks().CreateSubscription("contact.creation", "", active).ok());
  }
  void CreateBrevoWebhook(const std::string& url, const std::string& type = "marketing") {
    ASSERT_TRUE(brevo_->webhooks().Create({{"url", url}, {"type", type}, {"events", {"unsubscribed", "hardBounce"}}}).ok());
  }

  static std::vector<Outcome> Outcomes(const std::vector<CheckResult>& checks) {
    std::vector<Outcome> out;
    for (const auto& c : checks) out.push_back(c.outcome);
    return out;
  }

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

const std::vector<std::string> kHubSpotLabels = {"API connection successful", "Contacts readable",
                                                 "Companies readable", "Deals readable", "Webhooks registered"};
const std::vector<std::string> kBrevoLabels = {"API connection successful", "Contacts readable",
                                               "Attributes readable", "Lists readable", "Webhooks registered"};

std::vector<std::string> Labels(const std::vector<CheckResult>& checks) {
  std::vector<std::string> out;
  for (const auto& c : checks) out.push_back(c.label);
  return out;
}

// ---- HubSpot

TEST_F(ConnectionCheckTest, HubSpotAllPassWithAFullTokenAndRegisteredWebhooks) {
  config_.connectors.hubspot.app_id = hubspot_->options().app_id;
  RegisterHubSpotWebhooks(std::string(kPublicUrl) + "/webhooks/hubspot");
  auto checks = RunHubSpot();
  EXPECT_EQ(Labels(checks), kHubSpotLabels);
  EXPECT_TRUE(AllPassed(checks)) << FormatChecks(checks);
  EXPECT_EQ(FormatChecks(checks),
            "✓ API connection successful\n✓ Contacts readable\n✓ Companies readable\n✓ Deals readable\n"
            "✓ Webhooks registered\n");
  // Each line is a real call: owners, three list pages, webhook settings and subscriptions.
  EXPECT_EQ(caller_.Stats(std::string(http::kHubSpotBucket)).calls, 6);
}

TEST_F(ConnectionCheckTest, HubSpotWebhooksOfAPrivateAppAreNotCheckedButExplained) {
  // No app_id: there is nothing tajo can ask HubSpot; the line says where to look, never "✓".
  auto checks = RunHubSpot();
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[4].outcome, Outcome::kNotChecked);
  EXPECT_NE(checks[4].detail.find("Settings > Integrations > Private Apps"), std::string::npos) << checks[4].detail;
  EXPECT_NE(checks[4].detail.find("https://tajo.example.com/webhooks/hubspot"), std::string::npos) << checks[4].detail;
  EXPECT_NE(checks[4].detail.find("tajo connectors webhooks register"), std::string::npos);
  EXPECT_TRUE(AllPassed(checks)) << "not checked is not a failure";
  EXPECT_NE(FormatChecks(checks).find("- Webhooks registered: "), std::string::npos);
}

TEST_F(ConnectionCheckTest, HubSpotWebhooksApiRefusingTheTokenIsNotCheckedNotFailed) {
  config_.connectors.hubspot.app_id = hubspot_->options().app_id;
  config_.connectors.hubspot.access_token = kDataToken;  // no developers-read / private-apps-read
  RegisterHubSpotWebhooks(std::string(kPublicUrl) + "/webhooks/hubspot");
  auto checks = RunHubSpot();
  EXPECT_EQ(Outcomes(checks), (std::vector<Outcome>{Outcome::kPassed, Outcome::kPassed, Outcome::kPassed,
                                                    Outcome::kPassed, Outcome::kNotChecked}))
      << FormatChecks(checks);
  EXPECT_NE(checks[4].detail.find("developer's API key"), std::string::npos) << checks[4].detail;
  EXPECT_EQ(FormatChecks(checks).find(kDataToken), std::string::npos);
}

TEST_F(ConnectionCheckTest, HubSpotWebhooksPointingElsewhereOrMissingFail) {
  config_.connectors.hubspot.app_id = hubspot_->options().app_id;
  {
    auto checks = RunHubSpot();  // no settings at all: HubSpot answers 404
    ASSERT_EQ(checks.size(), 5u);
    EXPECT_EQ(checks[4].outcome, Outcome::kFailed);
    EXPECT_NE(checks[4].detail.find("no webhook target URL"), std::string::npos) << checks[4].detail;
  }
  RegisterHubSpotWebhooks("https://old-host.example.org/hooks");
  {
    auto checks = RunHubSpot();
    EXPECT_EQ(checks[4].outcome, Outcome::kFailed);
    EXPECT_NE(checks[4].detail.find("https://old-host.example.org/hooks"), std::string::npos) << checks[4].detail;
    EXPECT_NE(checks[4].detail.find("https://tajo.example.com/webhooks/hubspot"), std::string::npos);
    EXPECT_FALSE(AllPassed(checks));
  }
}

TEST_F(ConnectionCheckTest, HubSpotWebhooksWithOnlyPausedSubscriptionsFail) {
  config_.connectors.hubspot.app_id = hubspot_->options().app_id;
  RegisterHubSpotWebhooks(std::string(kPublicUrl) + "/webhooks/hubspot/", /*active=*/false);
  auto checks = RunHubSpot();
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[4].outcome, Outcome::kFailed);
  EXPECT_NE(checks[4].detail.find("no active subscription"), std::string::npos) << checks[4].detail;
}

TEST_F(ConnectionCheckTest, HubSpotWebhooksNeedThePublicUrl) {
  config_.connectors.hubspot.app_id = hubspot_->options().app_id;
  config_.server.public_url = "";
  RegisterHubSpotWebhooks(std::string(kPublicUrl) + "/webhooks/hubspot");
  auto checks = RunHubSpot();
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[4].outcome, Outcome::kNotChecked);
  EXPECT_NE(checks[4].detail.find("server.public_url"), std::string::npos) << checks[4].detail;
}

TEST_F(ConnectionCheckTest, HubSpotConfigOverloadMatchesTheWebhookPathOnly) {
  config_.connectors.hubspot.app_id = hubspot_->options().app_id;
  RegisterHubSpotWebhooks("https://Other-Host.example.net/webhooks/hubspot");
  hubspot::HubSpotClient client(caller_, hubspot::HubSpotClientOptions{config_.connectors.hubspot.base_url,
                                                                       config_.connectors.hubspot.access_token, 10'000});
  auto without_public_url = CheckHubSpot(client, config_.connectors.hubspot);
  EXPECT_TRUE(AllPassed(without_public_url)) << FormatChecks(without_public_url);
  EXPECT_EQ(without_public_url.back().outcome, Outcome::kPassed);
  auto with_public_url = CheckHubSpot(client, config_);
  EXPECT_EQ(with_public_url.back().outcome, Outcome::kFailed) << FormatChecks(with_public_url);
}

TEST_F(ConnectionCheckTest, HubSpotWrongTokenSaysRegenerateAndNeverShowsTheToken) {
  config_.connectors.hubspot.access_token = kWrongToken;
  auto checks = RunHubSpot();
  ASSERT_EQ(Labels(checks), kHubSpotLabels);
  EXPECT_EQ(checks[0].outcome, Outcome::kFailed);
  EXPECT_NE(checks[0].detail.find("regenerate the private app token"), std::string::npos) << checks[0].detail;
  EXPECT_NE(checks[0].detail.find("401"), std::string::npos) << checks[0].detail;
  for (size_t i = 1; i < checks.size(); ++i) {
    EXPECT_EQ(checks[i].outcome, Outcome::kNotChecked) << checks[i].label;
    EXPECT_NE(checks[i].detail.find("API connection failed"), std::string::npos);
  }
  EXPECT_FALSE(AllPassed(checks));
  const std::string text = FormatChecks(checks);
  EXPECT_EQ(text.find(kWrongToken), std::string::npos) << text;
  EXPECT_EQ(text.rfind("✗ API connection successful: ", 0), 0u) << text;
  // One call: the later lines were not attempted.
  EXPECT_EQ(caller_.Stats(std::string(http::kHubSpotBucket)).calls, 1);
}

TEST_F(ConnectionCheckTest, HubSpotTokenMissingAScopeNamesIt) {
  config_.connectors.hubspot.access_token = kNoDealsToken;
  auto checks = RunHubSpot();
  ASSERT_EQ(checks.size(), 5u);
  // The owners call answers 403 too, but that proves the token was accepted.
  EXPECT_EQ(checks[0].outcome, Outcome::kPassed) << checks[0].detail;
  EXPECT_EQ(checks[1].outcome, Outcome::kPassed) << checks[1].detail;
  EXPECT_EQ(checks[2].outcome, Outcome::kPassed) << checks[2].detail;
  EXPECT_EQ(checks[3].outcome, Outcome::kFailed);
  EXPECT_NE(checks[3].detail.find("crm.objects.deals.read"), std::string::npos) << checks[3].detail;
  EXPECT_NE(checks[3].detail.find("403"), std::string::npos) << checks[3].detail;
  EXPECT_FALSE(AllPassed(checks));
  EXPECT_EQ(FormatChecks(checks).find(kNoDealsToken), std::string::npos);
}

TEST_F(ConnectionCheckTest, HubSpotUnreachableBaseUrlNamesTheSetting) {
  auto closed = http::HttpServer::Start(http::ServerOptions{}, [](http::HttpRequest&) { return http::HttpResponse{}; });
  ASSERT_TRUE(closed.ok());
  config_.connectors.hubspot.base_url = (*closed)->base_url();
  (*closed)->Shutdown();  // nobody listens there any more: connection refused
  auto checks = RunHubSpot();
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[0].outcome, Outcome::kFailed);
  EXPECT_NE(checks[0].detail.find("connectors.hubspot.base_url"), std::string::npos) << checks[0].detail;
  EXPECT_EQ(checks[1].outcome, Outcome::kNotChecked);
  EXPECT_FALSE(AllPassed(checks));
}

// ---- Brevo

TEST_F(ConnectionCheckTest, BrevoAllPassWithAWebhookAtThePublicUrl) {
  // Basic-auth credentials in the URL and a trailing slash still point at the same endpoint.
  CreateBrevoWebhook("https://tajo:hook-pass-1234@TAJO.example.com/webhooks/brevo/");
  auto checks = RunBrevo();
  EXPECT_EQ(Labels(checks), kBrevoLabels);
  EXPECT_TRUE(AllPassed(checks)) << FormatChecks(checks);
  EXPECT_EQ(FormatChecks(checks),
            "✓ API connection successful\n✓ Contacts readable\n✓ Attributes readable\n✓ Lists readable\n"
            "✓ Webhooks registered\n");
}

TEST_F(ConnectionCheckTest, BrevoWebhookNotRegisteredFailsWithTheFix) {
  CreateBrevoWebhook("https://tajo.example.com/webhooks/brevo", "transactional");  // wrong type
  CreateBrevoWebhook("https://user:hook-secret-99@elsewhere.example.net/hook");
  auto checks = RunBrevo();
  ASSERT_EQ(checks.size(), 5u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(checks[i].outcome, Outcome::kPassed) << checks[i].detail;
  EXPECT_EQ(checks[4].outcome, Outcome::kFailed);
  EXPECT_NE(checks[4].detail.find("https://tajo.example.com/webhooks/brevo"), std::string::npos) << checks[4].detail;
  EXPECT_NE(checks[4].detail.find("Settings > Webhooks"), std::string::npos) << checks[4].detail;
  EXPECT_NE(checks[4].detail.find("elsewhere.example.net"), std::string::npos) << checks[4].detail;
  EXPECT_EQ(checks[4].detail.find("hook-secret-99"), std::string::npos) << "a URL's password is a secret";
  EXPECT_FALSE(AllPassed(checks));
}

TEST_F(ConnectionCheckTest, BrevoWebhooksWithoutPublicUrlAreNotChecked) {
  config_.server.public_url = "";
  auto checks = RunBrevo();
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[4].outcome, Outcome::kNotChecked);
  EXPECT_NE(checks[4].detail.find("set server.public_url"), std::string::npos) << checks[4].detail;
  EXPECT_TRUE(AllPassed(checks));
}

TEST_F(ConnectionCheckTest, BrevoWrongKeyFailsNamingTheSettingAndHidesTheKey) {
  const std::string wrong = "not-the-brevo-key-0123456789";
  config_.brevo.api_key = wrong;
  auto checks = RunBrevo();
  ASSERT_EQ(Labels(checks), kBrevoLabels);
  EXPECT_EQ(checks[0].outcome, Outcome::kFailed);
  EXPECT_NE(checks[0].detail.find("brevo.api_key"), std::string::npos) << checks[0].detail;
  EXPECT_NE(checks[0].detail.find("401"), std::string::npos) << checks[0].detail;
  for (size_t i = 1; i < checks.size(); ++i) EXPECT_EQ(checks[i].outcome, Outcome::kNotChecked);
  EXPECT_EQ(FormatChecks(checks).find(wrong), std::string::npos);
  EXPECT_FALSE(AllPassed(checks));
}

// ---- Formatting

TEST(FormatChecksTest, OneLinePerCheckWithItsMark) {
  std::vector<CheckResult> checks{{"A", Outcome::kPassed, ""},
                                  {"B", Outcome::kFailed, "why. Fix: this"},
                                  {"C", Outcome::kNotChecked, "because"}};
  EXPECT_EQ(FormatChecks(checks), "✓ A\n✗ B: why. Fix: this\n- C: because\n");
  EXPECT_FALSE(AllPassed(checks));
  checks.erase(checks.begin() + 1);
  EXPECT_TRUE(AllPassed(checks));
  EXPECT_TRUE(AllPassed({}));
}

}  // namespace
}  // namespace tajo::sync
