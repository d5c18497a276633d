#include "core/redact.h"

#include <gtest/gtest.h>

namespace tajo {
namespace {

class RedactTest : public ::testing::Test {
 protected:
  void TearDown() override { ClearRegisteredSecrets(); }
};

// Each kind of secret the issue names, in each place it can appear.
TEST_F(RedactTest, MasksEveryKindOfSecret) {
  const char* kToken = "pat-na1-11111111-2222-3333-4444-555555555555";
  const char* kBrevo = "xkeysib-0123456789abcdef0123456789abcdef-AbCdEfGh";
  struct Case {
    std::string text;
    std::string secret;
  } cases[] = {
      {std::string("Authorization: Bearer ") + kToken, kToken},
      {"authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGciOiJIUzI1NiJ9.payload.sig"},
      {"Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="},
      {std::string("api-key: ") + kBrevo, kBrevo},
      {R"({"access_token":"CJSP5qf1KhICAQEYs-gDIIGOBii1","expires_in":1800})", "CJSP5qf1KhICAQEYs-gDIIGOBii1"},
      {R"({"refresh_token": "6f18f21e-a743-4509-b7fd-1a5e632fffa1"})", "6f18f21e-a743-4509-b7fd-1a5e632fffa1"},
      {"grant_type=refresh_token&client_id=abc&client_secret=s3cr3t-value-1&refresh_token=rt-123456789",
       "s3cr3t-value-1"},
      {"grant_type=refresh_token&client_secret=x&refresh_token=rt-123456789", "rt-123456789"},
      {"GET https://api.hubapi.com/contacts/v1/lists?hapikey=demo-key-1234567", "demo-key-1234567"},
      {"GET https://api.hubapi.com/oauth/v1/access-tokens/CJSP5qf1KhICAQEYs", "CJSP5qf1KhICAQEYs"},
      {"https://user:hunter2-password@example.com/hook", "hunter2-password"},
      {"redirect to https://app.example/cb?code=a1b2c3d4e5f6&state=xyz", "a1b2c3d4e5f6"},
      {std::string("token in text ") + kToken + " end", kToken},
      {std::string("key ") + kBrevo, kBrevo},
      {"client_secret: my-yaml-secret-99", "my-yaml-secret-99"},
  };
  for (const auto& c : cases) {
    std::string out = Redact(c.text);
    EXPECT_EQ(out.find(c.secret), std::string::npos) << "leaked in: " << out;
    EXPECT_NE(out.find("[REDACTED]"), std::string::npos) << out;
  }
}

TEST_F(RedactTest, RegisteredSecretsAreMaskedAnywhere) {
  RegisterSecret("opaque-value-without-shape");
  std::string out = Redact("saw opaque-value-without-shape in a body");
  EXPECT_EQ(out, "saw [REDACTED] in a body");
  RegisterSecret("abc");  // too short to be registered
  EXPECT_EQ(Redact("abc"), "abc");
}

TEST_F(RedactTest, LeavesOrdinaryTextAlone) {
  const std::string plain =
      R"(HTTP status code: 404 {"code":"document_not_found","message":"Contact does not exist"} limit=100)";
  EXPECT_EQ(Redact(plain), plain);
}

TEST_F(RedactTest, SecretNames) {
  EXPECT_TRUE(IsSecretName("Authorization"));
  EXPECT_TRUE(IsSecretName("api-key"));
  EXPECT_TRUE(IsSecretName("access_token"));
  EXPECT_TRUE(IsSecretName("clientSecret"));
  EXPECT_TRUE(IsSecretName("X-HubSpot-Signature-v3"));
  EXPECT_FALSE(IsSecretName("Content-Type"));
  EXPECT_FALSE(IsSecretName("email"));
}

TEST_F(RedactTest, MaskSecretShowsOnlyAPrefix) {
  EXPECT_EQ(MaskSecret(""), "");
  EXPECT_EQ(MaskSecret("short"), "[REDACTED]");
  std::string m = MaskSecret("pat-na1-11111111-2222");
  EXPECT_EQ(m.rfind("pat-", 0), 0u);
  EXPECT_EQ(m.find("11111111"), std::string::npos);
}

}  // namespace
}  // namespace tajo
