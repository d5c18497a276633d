#include "hubspot/errors.h"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/redact.h"

namespace tajo::hubspot {
namespace {

using nlohmann::json;

std::string StringField(const json& j, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  return "";
}

// Scopes named anywhere HubSpot puts them: context.missingScopes, errors[].context.requiredGranularScopes.
void CollectScopes(const json& j, std::set<std::string>& out, int depth = 0) {
  if (depth > 4) return;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      if ((key.find("copes") != std::string::npos) && it->is_array()) {
        for (const auto& s : *it)
          if (s.is_string()) out.insert(s.get<std::string>());
      } else {
        CollectScopes(*it, out, depth + 1);
      }
    }
  } else if (j.is_array()) {
    for (const auto& e : j) CollectScopes(e, out, depth + 1);
  }
}

}  // namespace

Status ErrorFromResponse(const std::string& endpoint, const http::HttpResponse& response) {
  json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  std::string message = StringField(body, "message");
  std::string category = StringField(body, "category");
  std::string correlation = StringField(body, "correlationId");
  if (message.empty()) {
    std::string snippet = response.body.substr(0, 200);
    message = snippet.empty() ? "(empty body)" : "unexpected body: " + snippet;
  }
  std::string where = fmt::format("{}: HTTP {}", endpoint, response.status);
  if (!category.empty()) where += " " + category;
  std::string tail = correlation.empty() ? "" : fmt::format(" (correlationId {})", correlation);
  auto make = [&](StatusCode code, const std::string& fix) {
    std::string text = fmt::format("{}: {}{}", where, message, tail);
    if (!fix.empty()) text += ". " + fix;
    return Status(code, Redact(text));
  };

  const int s = response.status;
  if (s == 401) {
    if (category == "EXPIRED_AUTHENTICATION")
      return make(StatusCode::kUnauthenticated, "Fix: refresh the OAuth access token");
    return make(StatusCode::kUnauthenticated,
                "Fix: regenerate the private app token (HubSpot Settings > Integrations > Private Apps) "
                "or re-authorize the OAuth app, and update connectors.hubspot.access_token");
  }
  if (s == 403) {
    std::set<std::string> scopes;
    CollectScopes(body, scopes);
    std::string list;
    for (const auto& sc : scopes) list += (list.empty() ? "" : ", ") + sc;
    return make(StatusCode::kPermissionDenied,
                list.empty() ? "Fix: grant the app the scopes this call needs"
                             : "Fix: grant the app the scope(s) " + list);
  }
  if (s == 404) return make(StatusCode::kNotFound, "");
  if (s == 409) return make(StatusCode::kAlreadyExists, "");
  if (s == 429) {
    std::string policy = StringField(body, "policyName");
    return make(StatusCode::kResourceExhausted,
                policy == "DAILY" ? "The daily quota is spent; it resets at midnight in the portal's time zone"
                                  : "");
  }
  if (s >= 500 || s == 423 || s == 477) return make(StatusCode::kUnavailable, "");
  return make(StatusCode::kInvalidArgument, "");
}

}  // namespace tajo::hubspot
