#include "brevo/errors.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/redact.h"

namespace tajo::brevo {

Status ErrorFromResponse(const std::string& endpoint, const http::HttpResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  std::string code, message;
  if (body.is_object()) {
    if (body.contains("code") && body["code"].is_string()) code = body["code"];
    if (body.contains("message") && body["message"].is_string()) message = body["message"];
  }
  if (message.empty()) {
    std::string snippet = response.body.substr(0, 200);
    message = snippet.empty() ? "(empty body)" : "unexpected body: " + snippet;
  }
  std::string head = fmt::format("{}: HTTP {}{}", endpoint, response.status, code.empty() ? "" : " " + code);
  auto make = [&](StatusCode c, const std::string& fix) {
    std::string text = head + ": " + message;
    if (!fix.empty()) text += ". " + fix;
    return Status(c, Redact(text));
  };
  const int s = response.status;
  if (s == 401) {
    if (message.find("IP address") != std::string::npos)
      return make(StatusCode::kUnauthenticated,
                  "Fix: add this machine's IP address under Brevo > Security > Authorised IPs");
    return make(StatusCode::kUnauthenticated, "Fix: check brevo.api_key (Brevo > SMTP & API > API keys)");
  }
  if (s == 403) return make(StatusCode::kPermissionDenied, "");
  if (s == 404) return make(StatusCode::kNotFound, "");
  if (s == 402) return make(StatusCode::kFailedPrecondition, "");
  if (s == 429) return make(StatusCode::kResourceExhausted, "");
  if (s >= 500) return make(StatusCode::kUnavailable, "");
  if (code == "duplicate_parameter") return make(StatusCode::kAlreadyExists, "");
  return make(StatusCode::kInvalidArgument, "");
}

}  // namespace tajo::brevo
