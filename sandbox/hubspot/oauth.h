// OAuthState: the sandbox's OAuth 2.0 authorization server state (reference §8): authorization
// codes (single use, 10 minutes), refresh tokens (no expiry; optional rotation), and access
// tokens, which it registers in the TokenRegistry as OAuth tokens expiring after the configured
// lifetime (1800 s by default).
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "sandbox/common/rng.h"
#include "sandbox/hubspot/access.h"

namespace tajo::sandbox::hubspot {

struct OAuthError {
  int http_status = 400;
  std::string status;       // BAD_AUTH_CODE, BAD_REFRESH_TOKEN, BAD_CLIENT_ID, ...
  std::string message;
  std::string error;        // RFC 6749 code, e.g. invalid_grant
  std::string error_description;
};

struct TokenGrant {
  std::string access_token;
  std::string refresh_token;
  int64_t expires_in = 0;
  std::vector<std::string> scopes;
  int64_t user_id = 0;
};

class OAuthState {
 public:
  // `tokens` receives the access tokens issued; `clock` dates them.
  OAuthState(TokenRegistry& tokens, Clock& clock, int64_t access_ttl_s, bool rotate_refresh_tokens, uint64_t seed);
  OAuthState(const OAuthState&) = delete;
  OAuthState& operator=(const OAuthState&) = delete;

  // A fresh single-use code for `redirect_uri` granting `scopes`.
  std::string IssueCode(const std::string& redirect_uri, std::vector<std::string> scopes);
  // Exchanges a code (authorization_code grant). Fails with BAD_AUTH_CODE when unknown, used,
  // expired, or issued for another redirect_uri (BAD_REDIRECT_URI).
  std::optional<TokenGrant> ExchangeCode(const std::string& code, const std::string& redirect_uri, OAuthError* error);
  // refresh_token grant. BAD_REFRESH_TOKEN when unknown or revoked.
  std::optional<TokenGrant> Refresh(const std::string& refresh_token, OAuthError* error);

  struct RefreshInfo {
    std::vector<std::string> scopes;
    int64_t user_id = 0;
  };
  std::optional<RefreshInfo> RefreshTokenInfo(const std::string& refresh_token) const;
  // Deletes a refresh token; access tokens already issued keep working. False when unknown.
  bool DeleteRefreshToken(const std::string& refresh_token);
  void SetRotation(bool rotate);
  void SetAccessTtl(int64_t seconds);

 private:
  TokenGrant Issue(const std::vector<std::string>& scopes, int64_t user_id, const std::string& refresh_token);
  std::string RandomToken(const char* prefix, size_t length);

  TokenRegistry& tokens_;
  Clock& clock_;
  mutable std::mutex mu_;
  int64_t access_ttl_s_;
  bool rotate_;
  Rng rng_;
  struct Code {
    std::string redirect_uri;
    std::vector<std::string> scopes;
    int64_t expires_ms = 0;
  };
  std::map<std::string, Code> codes_;
  std::map<std::string, RefreshInfo> refresh_;
};

}  // namespace tajo::sandbox::hubspot
