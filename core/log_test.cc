#include "core/log.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/redact.h"

namespace tajo {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    logger_.SetSink([this](std::string_view line) { lines_.emplace_back(line); });
  }
  void TearDown() override { ClearRegisteredSecrets(); }
  Logger logger_;
  std::vector<std::string> lines_;
};

TEST_F(LogTest, LevelThresholdFilters) {
  logger_.SetLevel(LogLevel::kWarn);
  logger_.Info("sync", "hidden");
  logger_.Warn("sync", "shown");
  logger_.Error("sync", "shown too");
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_NE(lines_[0].find("warn"), std::string::npos);
  logger_.SetLevel(LogLevel::kVerbose);
  logger_.Verbose("sync", "now visible");
  EXPECT_EQ(lines_.size(), 3u);
}

TEST_F(LogTest, TextLineHasTimeLevelComponentAndFields) {
  std::string line = logger_.Format(1'705'314'600'000'000, LogLevel::kInfo, "hubspot", "page fetched",
                                    {{"count", "100"}, {"note", "two words"}});
  EXPECT_EQ(line, R"(2024-01-15T10:30:00.000Z info    [hubspot] page fetched count=100 note="two words")");
}

TEST_F(LogTest, JsonLinesAreValidJson) {
  logger_.SetFormat(LogFormat::kJson);
  logger_.Info("brevo", "quote \" and newline \n", {{"list", "10"}});
  ASSERT_EQ(lines_.size(), 1u);
  auto j = nlohmann::json::parse(lines_[0]);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["component"], "brevo");
  EXPECT_EQ(j["msg"], "quote \" and newline \n");
  EXPECT_EQ(j["list"], "10");
}

// The issue: a test logs each kind of secret and asserts it is absent.
TEST_F(LogTest, SecretsNeverReachTheOutputInEitherFormat) {
  const std::string token = "pat-eu1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  const std::string refresh = "rt-5f1d0c6e-secret-refresh";
  const std::string api_key = "xkeysib-ffffffffffffffffffffffff-12345678";
  const std::string client_secret = "cs-0a0a0a0a-0b0b-0c0c";
  RegisterSecret(client_secret);
  for (auto format : {LogFormat::kText, LogFormat::kJson}) {
    lines_.clear();
    logger_.SetFormat(format);
    logger_.Info("http", "Authorization: Bearer " + token);
    logger_.Info("http", "request", {{"Authorization", "Bearer " + token}});
    logger_.Info("http", "request", {{"api-key", api_key}});
    logger_.Info("oauth", "body " + std::string(R"({"refresh_token":")") + refresh + "\"}");
    logger_.Info("oauth", "refresh", {{"refresh_token", refresh}});
    logger_.Info("oauth", "form grant_type=x&client_secret=" + client_secret);
    logger_.Info("config", "loaded", {{"value", client_secret}});
    logger_.Info("http", "GET https://api.example/x?access_token=" + token);
    for (const auto& line : lines_) {
      for (const auto& secret : {token, refresh, api_key, client_secret}) {
        EXPECT_EQ(line.find(secret), std::string::npos) << line;
      }
    }
    EXPECT_EQ(lines_.size(), 8u);
  }
}

TEST(LogLevelTest, ParsesNamesAndRejectsUnknown) {
  EXPECT_EQ(*ParseLogLevel("verbose"), LogLevel::kVerbose);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarn);
  auto bad = ParseLogLevel("loud");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("loud"), std::string::npos);
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_FALSE(ParseLogFormat("xml").ok());
}

}  // namespace
}  // namespace tajo
