// `tajo connectors webhooks register hubspot` in-process, against both emulators on loopback,
// configured by a real tajo.yaml: the lines and exit status a user sees, that a second run
// duplicates nothing, that `connectors test` then says "✓ Webhooks registered" on both sides, and
// that no secret is printed.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/commands.h"
#include "core/redact.h"
#include "http/server.h"
#include "sandbox/brevo/brevo_sandbox.h"
#include "sandbox/hubspot/hubspot_sandbox.h"
#include "sync/webhook_registration.h"

namespace tajo::cli {
namespace {

namespace hsb = ::tajo::sandbox::hubspot;
namespace bsb = ::tajo::sandbox::brevo;

constexpr const char* kBrevoToken = "brevo-webhook-token-8d1e6b0c37f24a59";
// Reads and writes CRM data, but has none of the webhooks API's scopes.
constexpr const char* kDataToken = "pat-na1-bbbbbbbb-0000-4000-8000-dataonly0001";

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
  return n;
}

class ConnectorsWebhooksCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tajo_webhooks_register_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);

    hsb::HubSpotSandboxOptions h;
    h.tokens = {{std::string(hsb::kDefaultToken), {}},
                {kDataToken,
                 {"crm.objects.contacts.read", "crm.objects.companies.read", "crm.objects.deals.read",
                  "crm.objects.owners.read"}}};
    hubspot_ = std::make_unique<hsb::HubSpotSandbox>(h, SystemClock());
    hubspot_->Seed(hsb::ParseSeedSpec("contacts=3,companies=1,deals=1").value(), 1);
    hubspot_->RegisterRoutes(hubspot_router_);
    auto hs = http::HttpServer::Start(http::ServerOptions{}, hubspot_router_.AsHandler());
    ASSERT_TRUE(hs.ok()) << hs.status().ToString();
    hubspot_server_ = std::move(*hs);

    brevo_ = std::make_unique<bsb::BrevoSandbox>(bsb::BrevoSandboxOptions{}, SystemClock());
    brevo_->RegisterRoutes(brevo_router_);
    auto bs = http::HttpServer::Start(http::ServerOptions{}, brevo_router_.AsHandler());
    ASSERT_TRUE(bs.ok()) << bs.status().ToString();
    brevo_server_ = std::move(*bs);
  }
  void TearDown() override {
    hubspot_server_->Shutdown();
    brevo_server_->Shutdown();
    std::filesystem::remove_all(dir_);
    ClearRegisteredSecrets();
  }

  struct Yaml {
    std::string token = hsb::kDefaultToken;
    bool app_id = true;
    std::string public_url = "https://tajo.example.com";
    std::string brevo_token = kBrevoToken;
  };
  // A tajo.yaml pointing at the emulators; returns its path.
  std::string WriteConfig(const Yaml& c) {
    std::ostringstream y;
    y << "connectors:\n  hubspot:\n    access_token: \"" << c.token << "\"\n    base_url: "
      << hubspot_server_->base_url() << "\n";
    if (c.app_id) y << "    app_id: " << hubspot_->options().app_id << "\n";
    y << "brevo:\n  api_key: \"" << bsb::kDefaultApiKey << "\"\n  base_url: " << brevo_server_->base_url() << "/v3\n";
    y << "server:\n";
    if (!c.public_url.empty()) y << "  public_url: " << c.public_url << "\n";
    if (!c.brevo_token.empty()) y << "  webhooks:\n    brevo_token: \"" << c.brevo_token << "\"\n";
    auto p = dir_ / "tajo.yaml";
    std::ofstream(p) << y.str();
    return p.string();
  }

  int Register(const std::string& config_path, const std::string& connector = "hubspot") {
    out_.str("");
    err_.str("");
    GlobalOptions g;
    g.config_path = config_path;
    return RunConnectorsWebhooksRegister(g, connector, out_, err_);
  }
  int Test(const std::string& config_path, const std::string& connector) {
    out_.str("");
    err_.str("");
    GlobalOptions g;
    g.config_path = config_path;
    return RunConnectorsTest(g, connector, out_, err_);
  }
  size_t Wanted() {
    // The configuration's default field mapping, no lists.
    return sync::RequiredHubSpotSubscriptions(HubSpotConfig{}).size();
  }
  size_t BrevoMarketingHooks() { return brevo_->webhooks().List("marketing", false).value()["webhooks"].size(); }

  std::filesystem::path dir_;
  std::unique_ptr<hsb::HubSpotSandbox> hubspot_;
  http::Router hubspot_router_;
  std::unique_ptr<http::HttpServer> hubspot_server_;
  std::unique_ptr<bsb::BrevoSandbox> brevo_;
  http::Router brevo_router_;
  std::unique_ptr<http::HttpServer> brevo_server_;
  std::ostringstream out_, err_;
};

TEST_F(ConnectorsWebhooksCommandTest, OAuthAppRegistersBothSidesOnceAndConnectorsTestSaysRegistered) {
  const std::string path = WriteConfig({});
  // Before: neither side is registered.
  EXPECT_EQ(Test(path, "brevo"), 1);
  EXPECT_NE(out_.str().find("`tajo connectors webhooks register hubspot`"), std::string::npos) << out_.str();

  ASSERT_EQ(Register(path), 0) << out_.str() << err_.str();
  std::string text = out_.str();
  EXPECT_EQ(text.rfind("✓ HubSpot target URL of app 54321 (https://tajo.example.com/webhooks/hubspot): set\n", 0), 0u)
      << text;
  EXPECT_NE(text.find("✓ HubSpot subscription contact.creation: created\n"), std::string::npos) << text;
  EXPECT_NE(text.find("✓ HubSpot subscription contact.propertyChange lifecyclestage: created\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("✓ HubSpot subscription deal.propertyChange dealstage: created\n"), std::string::npos) << text;
  EXPECT_EQ(Count(text, ": created\n"), Wanted()) << text;
  EXPECT_NE(text.find("✓ Brevo marketing webhook https://tajo.example.com/webhooks/brevo: created"), std::string::npos)
      << text;
  EXPECT_EQ(Count(text, "\n"), Wanted() + 2) << "one line per action:\n" << text;
  EXPECT_EQ(text.find(kBrevoToken), std::string::npos) << text;
  EXPECT_EQ(text.find(hsb::kDefaultToken), std::string::npos) << text;
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(hubspot_->webhooks().Subscriptions().size(), Wanted());
  EXPECT_EQ(BrevoMarketingHooks(), 1u);

  // Again: nothing new, every line "already registered".
  ASSERT_EQ(Register(path), 0) << out_.str() << err_.str();
  text = out_.str();
  EXPECT_EQ(Count(text, "created"), 0u) << text;
  EXPECT_EQ(Count(text, ": already registered"), Wanted() + 2) << text;
  EXPECT_EQ(hubspot_->webhooks().Subscriptions().size(), Wanted());
  EXPECT_EQ(BrevoMarketingHooks(), 1u);

  EXPECT_EQ(Test(path, "hubspot"), 0) << out_.str();
  EXPECT_NE(out_.str().find("✓ Webhooks registered\n"), std::string::npos) << out_.str();
  EXPECT_EQ(Test(path, "brevo"), 0) << out_.str();
  EXPECT_NE(out_.str().find("✓ Webhooks registered\n"), std::string::npos) << out_.str();
}

TEST_F(ConnectorsWebhooksCommandTest, PrivateAppPrintsTheSettingsAndStillRegistersBrevo) {
  const std::string path = WriteConfig({.app_id = false});
  ASSERT_EQ(Register(path), 0) << out_.str() << err_.str();
  const std::string text = out_.str();
  EXPECT_EQ(text.rfind("- HubSpot: connectors.hubspot.app_id is not set (a private app)", 0), 0u) << text;
  EXPECT_NE(text.find("    Target URL: https://tajo.example.com/webhooks/hubspot\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n      contact.creation\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n      contact.propertyChange email\n"), std::string::npos) << text;
  EXPECT_NE(text.find("v1 signatures"), std::string::npos) << text;
  // Without oauth the loader accepts v1 by default.
  EXPECT_NE(text.find("includes v1: tajo accepts them"), std::string::npos) << text;
  EXPECT_NE(text.find("✓ Brevo marketing webhook https://tajo.example.com/webhooks/brevo: created"), std::string::npos)
      << text;
  EXPECT_EQ(text.find(kBrevoToken), std::string::npos) << text;
  EXPECT_TRUE(hubspot_->webhooks().Subscriptions().empty());
  EXPECT_EQ(BrevoMarketingHooks(), 1u);
}

TEST_F(ConnectorsWebhooksCommandTest, ATokenTheWebhooksApiRefusesPrintsTheSettingsAndExitsZero) {
  const std::string path = WriteConfig({.token = kDataToken});
  ASSERT_EQ(Register(path), 0) << out_.str() << err_.str();
  const std::string text = out_.str();
  EXPECT_EQ(text.rfind("- HubSpot: HubSpot's webhooks API refused the access token (HTTP 403)", 0), 0u) << text;
  EXPECT_NE(text.find("✓ Brevo marketing webhook"), std::string::npos) << text;
  EXPECT_EQ(text.find(kDataToken), std::string::npos) << text;
}

TEST_F(ConnectorsWebhooksCommandTest, MissingPublicUrlIsExitTwoNamingItAndCallsNothing) {
  ASSERT_EQ(Register(WriteConfig({.public_url = ""})), 2);
  EXPECT_NE(err_.str().find("server.public_url is not set"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
  EXPECT_FALSE(hubspot_->webhooks().GetSettings().has_value());
  EXPECT_EQ(BrevoMarketingHooks(), 0u);
}

TEST_F(ConnectorsWebhooksCommandTest, MissingBrevoTokenIsExitTwoNamingItAndCallsNothing) {
  ASSERT_EQ(Register(WriteConfig({.brevo_token = ""})), 2);
  EXPECT_NE(err_.str().find("server.webhooks.brevo_token is not set"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
  EXPECT_TRUE(hubspot_->webhooks().Subscriptions().empty());
  EXPECT_EQ(BrevoMarketingHooks(), 0u);
}

TEST_F(ConnectorsWebhooksCommandTest, AFailedCallExitsOneWithTheReasonAndNoToken) {
  for (int i = 0; i < 40; ++i)  // Brevo's per-account maximum: the next webhook is refused
    ASSERT_TRUE(brevo_->webhooks()
                    .Create({{"url", "https://elsewhere.example.com/" + std::to_string(i)},
                             {"type", "transactional"},
                             {"events", {"delivered"}}})
                    .ok());
  ASSERT_EQ(Register(WriteConfig({})), 1) << out_.str();
  const std::string text = out_.str();
  EXPECT_NE(text.find("✗ Brevo marketing webhook https://tajo.example.com/webhooks/brevo: POST /v3/webhooks"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find(kBrevoToken), std::string::npos) << text;
  EXPECT_EQ(hubspot_->webhooks().Subscriptions().size(), Wanted()) << "HubSpot was registered all the same";
}

TEST_F(ConnectorsWebhooksCommandTest, UnknownConnectorIsAUsageError) {
  EXPECT_EQ(Register(WriteConfig({}), "brevo"), 2);
  EXPECT_NE(err_.str().find("unknown connector \"brevo\": expected hubspot"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

}  // namespace
}  // namespace tajo::cli
