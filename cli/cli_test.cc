#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/commands.h"
#include "core/redact.h"

namespace tajo::cli {
namespace {

class ConfigCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tajo_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    ClearRegisteredSecrets();
  }
  std::string Write(const std::string& name, const std::string& text) {
    auto p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::filesystem::path dir_;
};

TEST_F(ConfigCheckTest, ValidConfigPrintsEffectiveConfigWithSecretsMasked) {
  const std::string token = "pat-na1-00000000-1111-2222-3333-444444444444";
  const std::string key = "xkeysib-abcdefabcdefabcdefabcdef-00000000";
  GlobalOptions g;
  g.config_path = Write("tajo.yaml", "connectors:\n  hubspot:\n    access_token: \"" + token +
                                         "\"\nbrevo:\n  api_key: \"" + key + "\"\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunConfigCheck(g, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("valid"), std::string::npos);
  EXPECT_NE(out.str().find("plan"), std::string::npos);  // defaults are filled in
  EXPECT_EQ(out.str().find(token), std::string::npos);
  EXPECT_EQ(out.str().find(key), std::string::npos);
  EXPECT_EQ(err.str(), "");
}

TEST_F(ConfigCheckTest, InvalidConfigExitsNonZeroNamingFileLineAndKey) {
  GlobalOptions g;
  g.config_path = Write("bad.yaml",
                        "connectors:\n  hubspot:\n    access_token: t0k3n-value\n    sync:\n      deals: maybe\n"
                        "brevo:\n  api_key: k3y-value-123\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunConfigCheck(g, out, err), 1);
  EXPECT_NE(err.str().find("bad.yaml:5:"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("connectors.hubspot.sync.deals"), std::string::npos) << err.str();
  EXPECT_EQ(out.str(), "");
}

TEST_F(ConfigCheckTest, MissingFileIsAClearError) {
  GlobalOptions g;
  g.config_path = (dir_ / "nope.yaml").string();
  std::ostringstream out, err;
  EXPECT_EQ(RunConfigCheck(g, out, err), 1);
  EXPECT_NE(err.str().find("nope.yaml"), std::string::npos) << err.str();
}

TEST(LoggingOptionsTest, BadLevelOrFormatIsAUsageError) {
  std::ostringstream err;
  GlobalOptions g;
  g.log_format = "xml";
  EXPECT_EQ(ConfigureLogging(g, err), 2);
  EXPECT_NE(err.str().find("--log-format"), std::string::npos);
  g.log_format = "json";
  g.log_level = "loud";
  EXPECT_EQ(ConfigureLogging(g, err), 2);
  EXPECT_NE(err.str().find("--log-level"), std::string::npos);
  g.log_level = "debug";
  EXPECT_EQ(ConfigureLogging(g, err), 0);
  tajo::Log().SetLevel(LogLevel::kInfo);
  tajo::Log().SetFormat(LogFormat::kText);
}

}  // namespace
}  // namespace tajo::cli
