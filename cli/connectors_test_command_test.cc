// `tajo connectors test` in-process, against both emulators on loopback, configured by a real
// tajo.yaml whose base URLs point at them: the printed lines and the exit status a user sees.
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

namespace tajo::cli {
namespace {

namespace hsb = ::tajo::sandbox::hubspot;
namespace bsb = ::tajo::sandbox::brevo;

class ConnectorsTestCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tajo_connectors_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);

    hubspot_ = std::make_unique<hsb::HubSpotSandbox>(hsb::HubSpotSandboxOptions{}, SystemClock());
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

  // A tajo.yaml pointing at the emulators; returns its path.
  std::string WriteConfig(const std::string& token, const std::string& key, const std::string& extra_hubspot = "",
                          const std::string& public_url = "https://tajo.example.com") {
    std::ostringstream y;
    y << "connectors:\n  hubspot:\n    access_token: \"" << token << "\"\n    base_url: "
      << hubspot_server_->base_url() << "\n"
      << extra_hubspot << "brevo:\n  api_key: \"" << key << "\"\n  base_url: " << brevo_server_->base_url()
      << "/v3\n";
    if (!public_url.empty()) y << "server:\n  public_url: " << public_url << "\n";
    auto p = dir_ / "tajo.yaml";
    std::ofstream(p) << y.str();
    return p.string();
  }

  int Run(const std::string& config_path, const std::string& connector) {
    out_.str("");
    err_.str("");
    GlobalOptions g;
    g.config_path = config_path;
    return RunConnectorsTest(g, connector, out_, err_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<hsb::HubSpotSandbox> hubspot_;
  http::Router hubspot_router_;
  std::unique_ptr<http::HttpServer> hubspot_server_;
  std::unique_ptr<bsb::BrevoSandbox> brevo_;
  http::Router brevo_router_;
  std::unique_ptr<http::HttpServer> brevo_server_;
  std::ostringstream out_, err_;
};

TEST_F(ConnectorsTestCommandTest, HubSpotPrintsTheDocumentedLinesAndExitsZero) {
  ASSERT_TRUE(hubspot_->webhooks().PutSettings("https://tajo.example.com/webhooks/hubspot", 10, "SECONDLY").ok());
  ASSERT_TRUE(hubspot_->webhooks().CreateSubscription("contact.propertyChange", "email", true).ok());
  const std::string path = WriteConfig(hsb::kDefaultToken, bsb::kDefaultApiKey,
                                       "    app_id: " + std::to_string(hubspot_->options().app_id) + "\n");
  EXPECT_EQ(Run(path, "hubspot"), 0) << out_.str() << err_.str();
  EXPECT_EQ(out_.str(),
            "✓ API connection successful\n"
            "✓ Contacts readable\n"
            "✓ Companies readable\n"
            "✓ Deals readable\n"
            "✓ Webhooks registered\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(ConnectorsTestCommandTest, HubSpotPrivateAppWebhooksLineIsNotCheckedAndStillExitsZero) {
  EXPECT_EQ(Run(WriteConfig(hsb::kDefaultToken, bsb::kDefaultApiKey), "hubspot"), 0) << out_.str() << err_.str();
  EXPECT_EQ(out_.str().rfind(
                "✓ API connection successful\n✓ Contacts readable\n✓ Companies readable\n✓ Deals readable\n"
                "- Webhooks registered: HubSpot has no API that reads a private app's webhook settings",
                0),
            0u)
      << out_.str();
}

TEST_F(ConnectorsTestCommandTest, HubSpotWrongTokenExitsOneWithTheFixAndNoToken) {
  const std::string wrong = "pat-na1-99999999-8888-4777-8666-555555555555";
  EXPECT_EQ(Run(WriteConfig(wrong, bsb::kDefaultApiKey), "hubspot"), 1);
  const std::string text = out_.str();
  EXPECT_EQ(text.rfind("✗ API connection successful: ", 0), 0u) << text;
  EXPECT_NE(text.find("regenerate the private app token"), std::string::npos) << text;
  EXPECT_NE(text.find("\n- Contacts readable: not checked"), std::string::npos) << text;
  EXPECT_EQ(text.find(wrong), std::string::npos) << text;
  EXPECT_EQ(err_.str().find(wrong), std::string::npos);
}

TEST_F(ConnectorsTestCommandTest, BrevoPrintsTheLinesAndExitsZeroWhenTheWebhookIsRegistered) {
  ASSERT_TRUE(brevo_->webhooks()
                  .Create({{"url", "https://tajo.example.com/webhooks/brevo"},
                           {"type", "marketing"},
                           {"events", {"unsubscribed", "contactUpdated"}}})
                  .ok());
  EXPECT_EQ(Run(WriteConfig(hsb::kDefaultToken, bsb::kDefaultApiKey), "brevo"), 0) << out_.str() << err_.str();
  EXPECT_EQ(out_.str(),
            "✓ API connection successful\n"
            "✓ Contacts readable\n"
            "✓ Attributes readable\n"
            "✓ Lists readable\n"
            "✓ Webhooks registered\n");
}

TEST_F(ConnectorsTestCommandTest, BrevoWebhookMissingExitsOne) {
  EXPECT_EQ(Run(WriteConfig(hsb::kDefaultToken, bsb::kDefaultApiKey), "brevo"), 1);
  EXPECT_NE(out_.str().find("✓ Lists readable\n✗ Webhooks registered: no marketing webhook points at "
                            "https://tajo.example.com/webhooks/brevo"),
            std::string::npos)
      << out_.str();
}

TEST_F(ConnectorsTestCommandTest, BrevoWithoutPublicUrlIsNotCheckedAndExitsZero) {
  EXPECT_EQ(Run(WriteConfig(hsb::kDefaultToken, bsb::kDefaultApiKey, "", ""), "brevo"), 0) << out_.str();
  EXPECT_NE(out_.str().find("- Webhooks registered: server.public_url is not set"), std::string::npos) << out_.str();
}

TEST_F(ConnectorsTestCommandTest, BrevoWrongKeyExitsOne) {
  const std::string wrong = "xkeysib-0000000000000000000000000000000000000000000000000000000000000000-WrongKey";
  EXPECT_EQ(Run(WriteConfig(hsb::kDefaultToken, wrong), "brevo"), 1);
  EXPECT_EQ(out_.str().rfind("✗ API connection successful: ", 0), 0u) << out_.str();
  EXPECT_NE(out_.str().find("brevo.api_key"), std::string::npos) << out_.str();
  EXPECT_EQ(out_.str().find(wrong), std::string::npos);
}

TEST_F(ConnectorsTestCommandTest, UnknownConnectorIsAUsageErrorNamingTheChoices) {
  EXPECT_EQ(Run(WriteConfig(hsb::kDefaultToken, bsb::kDefaultApiKey), "salesforce"), 2);
  EXPECT_NE(err_.str().find("salesforce"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("hubspot, brevo"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ConnectorsTestCommandTest, BadConfigExitsOneWithTheErrors) {
  auto p = dir_ / "bad.yaml";
  std::ofstream(p) << "connectors:\n  hubspot:\n    access_token: x-token-value\n    sync:\n      deals: maybe\n"
                      "brevo:\n  api_key: k3y-value-123\n";
  EXPECT_EQ(Run(p.string(), "hubspot"), 1);
  EXPECT_NE(err_.str().find("bad.yaml:5:"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Run((dir_ / "missing.yaml").string(), "brevo"), 1);
  EXPECT_NE(err_.str().find("missing.yaml"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace tajo::cli
