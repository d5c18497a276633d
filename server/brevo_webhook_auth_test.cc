// Brevo webhook authentication: Bearer token, Basic credentials with the token as password.
#include "server/brevo_webhook_auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/crypto.h"

namespace tajo::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "brevo-hook-token-7d1e2f";

http::HttpRequest WithAuthorization(const std::string& value) {
  http::HttpRequest r;
  r.method = "POST";
  r.target = "/webhooks/brevo";
  r.body = R"({"event":"unsubscribed","email":"jane@example.com"})";
  r.headers.Set("Authorization", value);
  return r;
}

void ExpectRefused(const Status& s, const std::string& reason, const std::string& presented = "") {
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr(reason));
  EXPECT_THAT(s.message(), Not(HasSubstr(kToken)));
  if (!presented.empty()) {
    EXPECT_THAT(s.message(), Not(HasSubstr(presented)));
  }
}

TEST(VerifyBrevoRequestTest, Bearer) {
  EXPECT_TRUE(VerifyBrevoRequest(WithAuthorization(std::string("Bearer ") + kToken), kToken).ok());
  EXPECT_TRUE(VerifyBrevoRequest(WithAuthorization(std::string("bearer ") + kToken), kToken).ok());
  EXPECT_TRUE(VerifyBrevoRequest(WithAuthorization(std::string("  BEARER   ") + kToken + " "), kToken).ok());
}

TEST(VerifyBrevoRequestTest, BasicWithTheTokenAsPasswordAndAnyUser) {
  EXPECT_TRUE(VerifyBrevoRequest(WithAuthorization("Basic " + Base64Encode(std::string("brevo:") + kToken)), kToken).ok());
  EXPECT_TRUE(VerifyBrevoRequest(WithAuthorization("basic " + Base64Encode(std::string(":") + kToken)), kToken).ok());
  // The password may itself hold ':' (RFC 7617 splits at the first one).
  EXPECT_TRUE(VerifyBrevoRequest(WithAuthorization("Basic " + Base64Encode("sync:pa:ss")), "pa:ss").ok());
  // Unpadded base64 is accepted too.
  std::string unpadded = Base64Encode("u:tok1");
  while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
  EXPECT_TRUE(VerifyBrevoRequest(WithAuthorization("Basic " + unpadded), "tok1").ok());
}

TEST(VerifyBrevoRequestTest, HeaderNameIsCaseInsensitive) {
  http::HttpRequest r;
  r.headers.Set("authorization", std::string("Bearer ") + kToken);
  EXPECT_TRUE(VerifyBrevoRequest(r, kToken).ok());
}

TEST(VerifyBrevoRequestTest, WrongToken) {
  const std::string other = "brevo-hook-token-7d1e2X";
  ExpectRefused(VerifyBrevoRequest(WithAuthorization("Bearer " + other), kToken), "Bearer token does not match", other);
  ExpectRefused(VerifyBrevoRequest(WithAuthorization(std::string("Bearer ") + kToken + "x"), kToken),
                "Bearer token does not match");
  ExpectRefused(VerifyBrevoRequest(WithAuthorization(std::string("Bearer ") + std::string(kToken).substr(1)), kToken),
                "Bearer token does not match");
  ExpectRefused(VerifyBrevoRequest(WithAuthorization("Basic " + Base64Encode("brevo:" + other)), kToken),
                "Basic password does not match", other);
  // The token as user name is not the token as password.
  ExpectRefused(VerifyBrevoRequest(WithAuthorization("Basic " + Base64Encode(std::string(kToken) + ":x")), kToken),
                "Basic password does not match");
}

TEST(VerifyBrevoRequestTest, MissingOrMalformedHeader) {
  http::HttpRequest none;
  ExpectRefused(VerifyBrevoRequest(none, kToken), "missing Authorization header");
  ExpectRefused(VerifyBrevoRequest(WithAuthorization("Bearer"), kToken), "Bearer token is empty");
  ExpectRefused(VerifyBrevoRequest(WithAuthorization("Bearer   "), kToken), "Bearer token is empty");
  ExpectRefused(VerifyBrevoRequest(WithAuthorization(kToken), kToken), "unsupported Authorization scheme");
  ExpectRefused(VerifyBrevoRequest(WithAuthorization("Digest username=\"x\""), kToken),
                "unsupported Authorization scheme \"Digest\"");
  ExpectRefused(VerifyBrevoRequest(WithAuthorization("Basic !!!notbase64"), kToken), "not valid base64");
  ExpectRefused(VerifyBrevoRequest(WithAuthorization("Basic"), kToken), "not valid base64");
  ExpectRefused(VerifyBrevoRequest(WithAuthorization("Basic " + Base64Encode(kToken)), kToken), "no ':'");
}

TEST(VerifyBrevoRequestTest, NoTokenConfiguredRefusesEverything) {
  Status s = VerifyBrevoRequest(WithAuthorization("Bearer "), "");
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.message(), "no Brevo webhook token is configured (server.webhooks.brevo_token)");
  EXPECT_FALSE(VerifyBrevoRequest(WithAuthorization("Basic " + Base64Encode("user:")), "").ok());
  EXPECT_FALSE(VerifyBrevoRequest(http::HttpRequest{}, "").ok());
}

}  // namespace
}  // namespace tajo::server
