// HubSpotSandbox: OAuth 2.0 endpoints (reference §8). /oauth/authorize approves at once (there is
// no person to click "Connect app") and redirects with a code; /oauth/v1/token takes
// form-encoded authorization_code and refresh_token grants; token info and refresh-token delete.
// Errors use HubSpot's non-RFC body {"status":"BAD_...","message":...,"correlationId":...,
// "requestId":...} plus "error"/"error_description" (reference §8.4).
#include <sstream>

#include "core/redact.h"
#include "sandbox/hubspot/hubspot_sandbox.h"

namespace tajo::sandbox::hubspot {
namespace {

std::vector<std::string> SplitSpaces(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

bool RedirectAllowed(const std::string& uri) {
  // HubSpot requires https, or http on localhost. The sandbox also allows 127.0.0.1, where test
  // callbacks listen (HubSpot refuses IP addresses).
  return uri.rfind("https://", 0) == 0 || uri.rfind("http://localhost", 0) == 0 || uri.rfind("http://127.0.0.1", 0) == 0;
}

}  // namespace

http::HttpResponse HubSpotSandbox::OAuthError(const struct OAuthError& e) {
  nlohmann::json body = {{"status", e.status}, {"message", e.message}, {"correlationId", NewCorrelationId()},
                         {"requestId", NewCorrelationId()}};
  if (!e.error.empty()) body["error"] = e.error;
  if (!e.error_description.empty()) body["error_description"] = e.error_description;
  return JsonResponse(e.http_status, body);
}

http::HttpResponse HubSpotSandbox::OAuthAuthorize(http::HttpRequest& r, const TokenInfo&) {
  std::string client_id = r.Query("client_id").value_or("");
  std::string redirect = r.Query("redirect_uri").value_or("");
  if (client_id != options_.client_id)
    return http::HttpResponse::Text(400, "Authorization failed: unknown client_id. Check the app's client id.\n");
  if (redirect.empty() || !RedirectAllowed(redirect))
    return http::HttpResponse::Text(400, "Authorization failed: redirect_uri must be an https URL (or http://localhost).\n");
  std::string sep = redirect.find('?') == std::string::npos ? "?" : "&";
  auto state = r.Query("state");
  std::string state_part = state ? "&state=" + http::UrlEncode(*state) : "";
  std::vector<std::string> scopes = SplitSpaces(r.Query("scope").value_or(""));
  http::HttpResponse resp = http::HttpResponse::Empty(302);
  if (scopes.empty()) {
    resp.headers.Set("Location", redirect + sep + "error=invalid_scope&error_description=" +
                                     http::UrlEncode("scope is required") + state_part);
    return resp;
  }
  for (const std::string& s : SplitSpaces(r.Query("optional_scope").value_or(""))) scopes.push_back(s);
  std::string code = oauth_.IssueCode(redirect, scopes);
  resp.headers.Set("Location", redirect + sep + "code=" + http::UrlEncode(code) + state_part);
  return resp;
}

http::HttpResponse HubSpotSandbox::OAuthToken(http::HttpRequest& r, const TokenInfo&) {
  std::map<std::string, std::string> form;
  for (auto& [k, v] : http::ParseQuery(r.body)) form[k] = v;
  auto get = [&](const char* k) { return form.count(k) ? form[k] : std::string(); };
  std::string grant = get("grant_type");
  if (grant != "authorization_code" && grant != "refresh_token")
    return OAuthError({400, "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token", "unsupported_grant_type",
                       "unsupported grant type"});
  if (get("client_id") != options_.client_id)
    return OAuthError({400, "BAD_CLIENT_ID", "missing or unknown client id", "invalid_client", "client_id is invalid"});
  if (get("client_secret") != options_.client_secret)
    return OAuthError({400, "BAD_CLIENT_SECRET", "missing or invalid client secret", "invalid_client",
                       "client_secret is invalid"});
  struct OAuthError error;
  std::optional<TokenGrant> grant_result =
      grant == "authorization_code" ? oauth_.ExchangeCode(get("code"), get("redirect_uri"), &error)
                                    : oauth_.Refresh(get("refresh_token"), &error);
  if (!grant_result) return OAuthError(error);
  return JsonResponse(200, {{"token_type", "bearer"},
                            {"refresh_token", grant_result->refresh_token},
                            {"access_token", grant_result->access_token},
                            {"expires_in", grant_result->expires_in},
                            {"hub_id", options_.portal_id},
                            {"user_id", grant_result->user_id},
                            {"scopes", grant_result->scopes},
                            {"token_use", "access_token"}});
}

http::HttpResponse HubSpotSandbox::OAuthAccessTokenInfo(http::HttpRequest& r, const TokenInfo&) {
  auto info = tokens_.Find(r.Param("token"));
  int64_t now = clock_.NowMillis();
  if (!info || info->kind != TokenInfo::Kind::kOAuth || info->expires_at_ms <= now) {
    ApiError e = ApiError::NotFound("Token not found or expired");
    e.category = "OBJECT_NOT_FOUND";
    return Error(e);
  }
  std::vector<std::string> scopes(info->scopes.begin(), info->scopes.end());
  return JsonResponse(200, {{"token", info->token},
                            {"user", "owner@tajo-sandbox.test"},
                            {"hub_domain", "tajo-sandbox.test"},
                            {"scopes", scopes},
                            {"hub_id", options_.portal_id},
                            {"app_id", options_.app_id},
                            {"expires_in", (info->expires_at_ms - now) / 1000},
                            {"user_id", info->user_id},
                            {"token_type", "access"}});
}

http::HttpResponse HubSpotSandbox::OAuthRefreshTokenInfo(http::HttpRequest& r, const TokenInfo&) {
  auto info = oauth_.RefreshTokenInfo(r.Param("token"));
  if (!info) return Error(ApiError::NotFound("Refresh token not found"));
  return JsonResponse(200, {{"token", r.Param("token")},
                            {"user", "owner@tajo-sandbox.test"},
                            {"hub_domain", "tajo-sandbox.test"},
                            {"scopes", info->scopes},
                            {"hub_id", options_.portal_id},
                            {"client_id", options_.client_id},
                            {"user_id", info->user_id},
                            {"token_type", "refresh"}});
}

http::HttpResponse HubSpotSandbox::OAuthDeleteRefreshToken(http::HttpRequest& r, const TokenInfo&) {
  if (!oauth_.DeleteRefreshToken(r.Param("token"))) return Error(ApiError::NotFound("Refresh token not found"));
  return http::HttpResponse::Empty(204);
}

}  // namespace tajo::sandbox::hubspot
