#include "sandbox/hubspot/oauth.h"

#include "core/redact.h"

namespace tajo::sandbox::hubspot {

OAuthState::OAuthState(TokenRegistry& tokens, Clock& clock, int64_t access_ttl_s, bool rotate_refresh_tokens,
                       uint64_t seed)
    : tokens_(tokens), clock_(clock), access_ttl_s_(access_ttl_s), rotate_(rotate_refresh_tokens), rng_(seed ^ 0x0A117ULL) {}

std::string OAuthState::RandomToken(const char* prefix, size_t length) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string t = prefix;
  while (t.size() < length) t += kAlphabet[rng_.Below(64)];
  return t;
}

std::string OAuthState::IssueCode(const std::string& redirect_uri, std::vector<std::string> scopes) {
  std::lock_guard lock(mu_);
  std::string code = RandomToken("", 36);
  codes_[code] = Code{redirect_uri, std::move(scopes), clock_.NowMillis() + 10 * 60'000};
  RegisterSecret(code);
  return code;
}

TokenGrant OAuthState::Issue(const std::vector<std::string>& scopes, int64_t user_id, const std::string& refresh_token) {
  TokenGrant g;
  g.access_token = RandomToken("CN", 148);
  g.refresh_token = refresh_token;
  g.expires_in = access_ttl_s_;
  g.scopes = scopes;
  g.user_id = user_id;
  TokenInfo info;
  info.token = g.access_token;
  info.kind = TokenInfo::Kind::kOAuth;
  info.scopes.insert(scopes.begin(), scopes.end());
  info.expires_at_ms = clock_.NowMillis() + access_ttl_s_ * 1000;
  info.user_id = user_id;
  info.refresh_token = refresh_token;
  tokens_.Add(info);
  RegisterSecret(g.access_token);
  return g;
}

std::optional<TokenGrant> OAuthState::ExchangeCode(const std::string& code, const std::string& redirect_uri,
                                                   OAuthError* error) {
  std::lock_guard lock(mu_);
  auto it = codes_.find(code);
  if (it == codes_.end() || it->second.expires_ms <= clock_.NowMillis()) {
    if (it != codes_.end()) codes_.erase(it);
    *error = {400, "BAD_AUTH_CODE", "missing or unknown auth code", "invalid_grant",
              "auth code is invalid, expired or already used"};
    return std::nullopt;
  }
  if (it->second.redirect_uri != redirect_uri) {
    *error = {400, "BAD_REDIRECT_URI", "redirect_uri does not match the one used to authorize", "invalid_grant",
              "redirect_uri mismatch"};
    return std::nullopt;
  }
  Code c = it->second;
  codes_.erase(it);  // single use
  std::string refresh = RandomToken("", 36);
  for (size_t pos : {8u, 13u, 18u, 23u}) refresh[pos] = '-';
  RegisterSecret(refresh);
  refresh_[refresh] = RefreshInfo{c.scopes, 9586504};
  return Issue(c.scopes, 9586504, refresh);
}

std::optional<TokenGrant> OAuthState::Refresh(const std::string& refresh_token, OAuthError* error) {
  std::lock_guard lock(mu_);
  auto it = refresh_.find(refresh_token);
  if (it == refresh_.end()) {
    *error = {400, "BAD_REFRESH_TOKEN", "missing or unknown refresh token", "invalid_grant",
              "refresh token is invalid, expired or revoked"};
    return std::nullopt;
  }
  RefreshInfo info = it->second;
  std::string refresh = refresh_token;
  if (rotate_) {
    refresh_.erase(it);
    refresh = RandomToken("", 36);
    for (size_t pos : {8u, 13u, 18u, 23u}) refresh[pos] = '-';
    RegisterSecret(refresh);
    refresh_[refresh] = info;
  }
  return Issue(info.scopes, info.user_id, refresh);
}

std::optional<OAuthState::RefreshInfo> OAuthState::RefreshTokenInfo(const std::string& refresh_token) const {
  std::lock_guard lock(mu_);
  auto it = refresh_.find(refresh_token);
  if (it == refresh_.end()) return std::nullopt;
  return it->second;
}

bool OAuthState::DeleteRefreshToken(const std::string& refresh_token) {
  std::lock_guard lock(mu_);
  return refresh_.erase(refresh_token) > 0;
}

void OAuthState::SetRotation(bool rotate) {
  std::lock_guard lock(mu_);
  rotate_ = rotate;
}

void OAuthState::SetAccessTtl(int64_t seconds) {
  std::lock_guard lock(mu_);
  access_ttl_s_ = seconds;
}

}  // namespace tajo::sandbox::hubspot
