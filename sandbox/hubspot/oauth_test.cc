// OAuth: authorize, code and refresh grants, expiry, token info, revocation, error bodies.
#include "sandbox/hubspot/schema_checker.h"
#include "sandbox/hubspot/test_util.h"

namespace tajo::sandbox::hubspot {
namespace {

using testing::Reply;
using testing::SandboxHarness;

class OAuthTest : public ::testing::Test {
 protected:
  // Runs /oauth/authorize and returns the code from the redirect.
  std::string Authorize(const std::string& scope, const std::string& state = "xyz") {
    std::string target = "/oauth/authorize?client_id=" + std::string(kDefaultClientId) +
                         "&redirect_uri=" + http::UrlEncode("https://app.example.com/callback") +
                         "&scope=" + http::UrlEncode(scope) + "&state=" + state;
    Reply r = h.Call("GET", target, nullptr, "");
    EXPECT_EQ(r.status, 302);
    std::string location = r.headers.Get("Location").value_or("");
    EXPECT_EQ(location.rfind("https://app.example.com/callback?code=", 0), 0u) << location;
    EXPECT_NE(location.find("&state=" + state), std::string::npos) << location;
    size_t start = location.find("code=") + 5;
    return http::UrlDecode(location.substr(start, location.find('&', start) - start));
  }
  Reply Token(const std::string& form) { return h.Raw("POST", "/oauth/v1/token", form, ""); }
  std::string Creds() {
    return "client_id=" + std::string(kDefaultClientId) + "&client_secret=" + http::UrlEncode(kDefaultClientSecret);
  }

  SandboxHarness h;
};

TEST_F(OAuthTest, CodeGrantGivesAWorkingExpiringToken) {
  std::string code = Authorize("crm.objects.contacts.read oauth");
  Reply t = Token("grant_type=authorization_code&code=" + code + "&redirect_uri=" +
                  http::UrlEncode("https://app.example.com/callback") + "&" + Creds());
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(t.json["token_type"], "bearer");
  EXPECT_EQ(t.json["expires_in"], 1800);
  EXPECT_EQ(t.json["token_use"], "access_token");
  EXPECT_EQ(t.json["hub_id"], kDefaultPortalId);
  std::string access = t.json["access_token"], refresh = t.json["refresh_token"];
  EXPECT_LE(access.size(), 512u);
  if (auto spec = testing::LoadSpec("hubspot_oauth_v1.json")) {
    testing::SchemaChecker checker(*spec);
    EXPECT_EQ(testing::Join(checker.CheckResponse("/oauth/v1/token", "post", 200, t.json)), "");
  }
  // The token works, with its scopes, and OAuth rate-limit headers (no daily ones).
  Reply r = h.Call("GET", "/crm/v3/objects/contacts", nullptr, access);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("X-HubSpot-RateLimit-Max"), "110");
  EXPECT_FALSE(r.headers.Has("X-HubSpot-RateLimit-Daily"));
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "a@b.co"}}}}, access).status, 403);
  // Token info.
  r = h.Call("GET", "/oauth/v1/access-tokens/" + access, nullptr, "");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["expires_in"], 1800);
  EXPECT_EQ(r.json["app_id"], kDefaultAppId);
  EXPECT_EQ(r.json["token_type"], "access");
  r = h.Call("GET", "/oauth/v1/refresh-tokens/" + refresh, nullptr, "");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["client_id"], kDefaultClientId);
  // Expiry: 401 EXPIRED_AUTHENTICATION with how long ago and the expiry time.
  h.clock.Advance(1801LL * 1'000'000);
  r = h.Call("GET", "/crm/v3/objects/contacts", nullptr, access);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json["category"], "EXPIRED_AUTHENTICATION");
  EXPECT_EQ(r.json["message"], "The OAuth token used to make this call expired 1 second(s) ago.");
  EXPECT_TRUE(r.json["context"]["expire time"].is_array());
  EXPECT_EQ(h.Call("GET", "/oauth/v1/access-tokens/" + access, nullptr, "").status, 404);
  // Refresh gives a new access token; the refresh token stays (no rotation by default).
  t = Token("grant_type=refresh_token&refresh_token=" + refresh + "&" + Creds());
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(t.json["refresh_token"], refresh);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts", nullptr, t.json["access_token"]).status, 200);
  // Deleting the refresh token keeps issued access tokens working.
  EXPECT_EQ(h.Call("DELETE", "/oauth/v1/refresh-tokens/" + refresh, nullptr, "").status, 204);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts", nullptr, t.json["access_token"]).status, 200);
  r = Token("grant_type=refresh_token&refresh_token=" + refresh + "&" + Creds());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json["status"], "BAD_REFRESH_TOKEN");
  EXPECT_EQ(r.json["message"], "missing or unknown refresh token");
  EXPECT_EQ(r.json["error"], "invalid_grant");
  EXPECT_TRUE(r.json.contains("correlationId"));
  EXPECT_EQ(h.Call("DELETE", "/oauth/v1/refresh-tokens/" + refresh, nullptr, "").status, 404);
}

TEST_F(OAuthTest, RotationAndErrors) {
  ASSERT_EQ(h.Call("PUT", "/_sandbox/settings", {{"rotateRefreshTokens", true}, {"accessTokenTtlSeconds", 60}}, "").status, 200);
  std::string code = Authorize("crm.objects.contacts.read");
  std::string redirect = "&redirect_uri=" + http::UrlEncode("https://app.example.com/callback");
  Reply t = Token("grant_type=authorization_code&code=" + code + redirect + "&" + Creds());
  ASSERT_EQ(t.status, 200);
  EXPECT_EQ(t.json["expires_in"], 60);
  std::string first = t.json["refresh_token"];
  Reply again = Token("grant_type=authorization_code&code=" + code + redirect + "&" + Creds());
  EXPECT_EQ(again.json["status"], "BAD_AUTH_CODE");  // single use
  t = Token("grant_type=refresh_token&refresh_token=" + first + "&" + Creds());
  ASSERT_EQ(t.status, 200);
  EXPECT_NE(t.json["refresh_token"], first);  // rotated
  EXPECT_EQ(Token("grant_type=refresh_token&refresh_token=" + first + "&" + Creds()).json["status"], "BAD_REFRESH_TOKEN");
  code = Authorize("crm.objects.contacts.read");
  EXPECT_EQ(Token("grant_type=authorization_code&code=" + code + "&redirect_uri=https%3A%2F%2Fevil.example&" + Creds())
                .json["status"], "BAD_REDIRECT_URI");
  EXPECT_EQ(Token("grant_type=password&" + Creds()).json["status"], "BAD_GRANT_TYPE");
  EXPECT_EQ(Token("grant_type=refresh_token&refresh_token=x&client_id=nope&client_secret=x").json["status"], "BAD_CLIENT_ID");
  EXPECT_EQ(Token("grant_type=refresh_token&refresh_token=x&client_id=" + std::string(kDefaultClientId) + "&client_secret=x")
                .json["status"], "BAD_CLIENT_SECRET");
  // Authorize errors.
  EXPECT_EQ(h.Call("GET", "/oauth/authorize?client_id=wrong&redirect_uri=https%3A%2F%2Fa.b&scope=x", nullptr, "").status, 400);
  EXPECT_EQ(h.Call("GET", "/oauth/authorize?client_id=" + std::string(kDefaultClientId) + "&redirect_uri=http%3A%2F%2Fa.b&scope=x",
                   nullptr, "").status, 400);  // plain http outside localhost
  Reply no_scope = h.Call("GET", "/oauth/authorize?client_id=" + std::string(kDefaultClientId) +
                                     "&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb&state=s1", nullptr, "");
  EXPECT_EQ(no_scope.status, 302);
  EXPECT_NE(no_scope.headers.Get("Location").value_or("").find("error=invalid_scope"), std::string::npos);
  EXPECT_EQ(h.Call("GET", "/oauth/v1/refresh-tokens/nope", nullptr, "").status, 404);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
