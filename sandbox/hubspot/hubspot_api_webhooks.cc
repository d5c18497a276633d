// HubSpotSandbox: the webhooks management API (reference §6.1, hubspot_webhooks_v3.json).
#include <charconv>

#include "sandbox/common/time_format.h"
#include "sandbox/hubspot/hubspot_sandbox.h"

namespace tajo::sandbox::hubspot {
namespace {

nlohmann::json SettingsToJson(const WebhookSettings& s) {
  return {{"targetUrl", s.target_url},
          {"throttling", {{"maxConcurrentRequests", s.max_concurrent_requests}, {"period", s.period}}},
          {"createdAt", FormatIsoMillis(s.created_ms)},
          {"updatedAt", FormatIsoMillis(s.updated_ms)}};
}

nlohmann::json SubscriptionToJson(const WebhookSubscription& s) {
  nlohmann::json j = {{"id", std::to_string(s.id)},
                      {"eventType", s.event_type},
                      {"active", s.active},
                      {"createdAt", FormatIsoMillis(s.created_ms)},
                      {"updatedAt", FormatIsoMillis(s.updated_ms)}};
  if (!s.property_name.empty()) j["propertyName"] = s.property_name;
  return j;
}

std::optional<int64_t> ParseInt(const std::string& s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

bool HubSpotSandbox::AppIdMatches(const http::HttpRequest& r, http::HttpResponse* error) {
  if (r.Param("appId") == std::to_string(options_.app_id)) return true;
  *error = Error(ApiError::NotFound("App " + r.Param("appId") + " not found"));
  return false;
}

http::HttpResponse HubSpotSandbox::GetWebhookSettings(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  if (!AppIdMatches(r, &error)) return error;
  auto s = webhooks_->GetSettings();
  if (!s) return Error(ApiError::NotFound("No webhook settings for app " + std::to_string(options_.app_id)));
  return JsonResponse(200, SettingsToJson(*s));
}

http::HttpResponse HubSpotSandbox::PutWebhookSettings(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  if (!AppIdMatches(r, &error)) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (!body.is_object() || !body.contains("targetUrl") || !body["targetUrl"].is_string())
    return Error(ApiError::Validation("targetUrl is required"));
  if (!body.contains("throttling") || !body["throttling"].is_object() ||
      !body["throttling"].contains("maxConcurrentRequests") || !body["throttling"]["maxConcurrentRequests"].is_number_integer())
    return Error(ApiError::Validation("throttling.maxConcurrentRequests is required"));
  std::string period = body["throttling"].value("period", std::string("SECONDLY"));
  auto s = webhooks_->PutSettings(body["targetUrl"].get<std::string>(),
                                  body["throttling"]["maxConcurrentRequests"].get<int>(), period);
  if (!s.ok()) return Error(s.error());
  return JsonResponse(200, SettingsToJson(s.value()));
}

http::HttpResponse HubSpotSandbox::DeleteWebhookSettings(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  if (!AppIdMatches(r, &error)) return error;
  webhooks_->DeleteSettings();
  return http::HttpResponse::Empty(204);
}

http::HttpResponse HubSpotSandbox::ListSubscriptions(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  if (!AppIdMatches(r, &error)) return error;
  nlohmann::json results = nlohmann::json::array();
  for (const auto& s : webhooks_->Subscriptions()) results.push_back(SubscriptionToJson(s));
  return JsonResponse(200, {{"results", std::move(results)}});
}

http::HttpResponse HubSpotSandbox::CreateSubscription(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  if (!AppIdMatches(r, &error)) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (!body.is_object() || !body.contains("eventType") || !body["eventType"].is_string())
    return Error(ApiError::Validation("eventType is required"));
  std::string property = body.contains("propertyName") && body["propertyName"].is_string()
                             ? body["propertyName"].get<std::string>() : "";
  bool active = body.contains("active") && body["active"].is_boolean() && body["active"].get<bool>();
  auto s = webhooks_->CreateSubscription(body["eventType"].get<std::string>(), property, active);
  if (!s.ok()) return Error(s.error());
  return JsonResponse(201, SubscriptionToJson(s.value()));
}

http::HttpResponse HubSpotSandbox::GetSubscription(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  if (!AppIdMatches(r, &error)) return error;
  auto id = ParseInt(r.Param("subscriptionId"));
  auto s = id ? webhooks_->Subscription(*id) : std::nullopt;
  if (!s) return Error(ApiError::NotFound("Subscription " + r.Param("subscriptionId") + " not found"));
  return JsonResponse(200, SubscriptionToJson(*s));
}

http::HttpResponse HubSpotSandbox::PatchSubscription(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  if (!AppIdMatches(r, &error)) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (!body.is_object() || !body.contains("active") || !body["active"].is_boolean())
    return Error(ApiError::Validation("active must be true or false"));
  auto id = ParseInt(r.Param("subscriptionId"));
  auto s = id ? webhooks_->SetActive(*id, body["active"].get<bool>()) : std::nullopt;
  if (!s) return Error(ApiError::NotFound("Subscription " + r.Param("subscriptionId") + " not found"));
  return JsonResponse(200, SubscriptionToJson(*s));
}

http::HttpResponse HubSpotSandbox::DeleteSubscription(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  if (!AppIdMatches(r, &error)) return error;
  auto id = ParseInt(r.Param("subscriptionId"));
  if (!id || !webhooks_->DeleteSubscription(*id))
    return Error(ApiError::NotFound("Subscription " + r.Param("subscriptionId") + " not found"));
  return http::HttpResponse::Empty(204);
}

http::HttpResponse HubSpotSandbox::BatchUpdateSubscriptions(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  if (!AppIdMatches(r, &error)) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (!body.is_object() || !body.contains("inputs") || !body["inputs"].is_array())
    return Error(ApiError::Validation("inputs is required and must be an array"));
  int64_t started = clock_.NowMillis();
  nlohmann::json results = nlohmann::json::array(), errors = nlohmann::json::array();
  for (const auto& in : body["inputs"]) {
    std::optional<int64_t> id;
    if (in.is_object() && in.contains("id")) {
      if (in["id"].is_number_integer()) id = in["id"].get<int64_t>();
      else if (in["id"].is_string()) id = ParseInt(in["id"].get<std::string>());
    }
    bool active = in.is_object() && in.contains("active") && in["active"].is_boolean() && in["active"].get<bool>();
    auto s = id ? webhooks_->SetActive(*id, active) : std::nullopt;
    if (!s) {
      errors.push_back({{"status", "error"}, {"category", "OBJECT_NOT_FOUND"},
                        {"message", "Subscription " + (id ? std::to_string(*id) : std::string("?")) + " not found"},
                        {"context", nlohmann::json::object()}, {"errors", nlohmann::json::array()},
                        {"links", nlohmann::json::object()}});
      continue;
    }
    results.push_back(SubscriptionToJson(*s));
  }
  nlohmann::json out = {{"status", "COMPLETE"}, {"results", std::move(results)},
                        {"startedAt", FormatIsoMillis(started)}, {"completedAt", FormatIsoMillis(clock_.NowMillis())}};
  bool partial = !errors.empty();
  if (partial) {
    out["numErrors"] = errors.size();
    out["errors"] = std::move(errors);
  }
  return JsonResponse(partial ? 207 : 200, out);
}

}  // namespace tajo::sandbox::hubspot
