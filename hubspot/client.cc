#include "hubspot/client.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/message.h"
#include "http/plan_budgets.h"
#include "hubspot/errors.h"
#include "hubspot/parse.h"

namespace tajo::hubspot {
namespace {

using nlohmann::json;

std::string JoinComma(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string ObjectsPath(const std::string& object_type) {
  return "/crm/v3/objects/" + http::UrlEncode(object_type);
}

}  // namespace

const char* FilterOperatorName(FilterOperator op) {
  switch (op) {
    case FilterOperator::kEq: return "EQ";
    case FilterOperator::kNeq: return "NEQ";
    case FilterOperator::kLt: return "LT";
    case FilterOperator::kLte: return "LTE";
    case FilterOperator::kGt: return "GT";
    case FilterOperator::kGte: return "GTE";
    case FilterOperator::kBetween: return "BETWEEN";
    case FilterOperator::kIn: return "IN";
    case FilterOperator::kNotIn: return "NOT_IN";
    case FilterOperator::kHasProperty: return "HAS_PROPERTY";
    case FilterOperator::kNotHasProperty: return "NOT_HAS_PROPERTY";
  }
  return "EQ";
}

HubSpotClient::HubSpotClient(http::ApiCaller& caller, HubSpotClientOptions options)
    : caller_(caller), options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
}

Result<std::string> HubSpotClient::Send(const std::string& method, const std::string& path_and_query,
                                        const std::string& body, const std::string& bucket, bool idempotent) {
  const std::string path = path_and_query.substr(0, path_and_query.find('?'));
  const std::string endpoint = method + " " + path;
  http::ClientRequest request;
  request.method = method;
  request.url = options_.base_url + path_and_query;
  request.timeout_ms = options_.timeout_ms;
  request.headers.Set("Authorization", "Bearer " + options_.access_token);
  request.headers.Set("Accept", "application/json");
  if (!body.empty()) {
    request.headers.Set("Content-Type", "application/json");
    request.body = body;
  }
  http::CallOptions call;
  call.buckets = {bucket};
  call.idempotent = idempotent;
  auto response = caller_.Call(request, call);
  if (!response.ok()) return response.status().WithContext(endpoint);
  if (response->status < 200 || response->status >= 300) return ErrorFromResponse(endpoint, *response);
  return std::move(response->body);
}

Result<ObjectPage> HubSpotClient::ListPage(const std::string& object_type, const ListOptions& o) {
  std::vector<std::pair<std::string, std::string>> q{{"limit", std::to_string(o.limit)}};
  if (!o.after.empty()) q.emplace_back("after", o.after);
  if (!o.properties.empty()) q.emplace_back("properties", JoinComma(o.properties));
  if (!o.associations.empty()) q.emplace_back("associations", JoinComma(o.associations));
  if (o.archived) q.emplace_back("archived", "true");
  const std::string path = ObjectsPath(object_type);
  auto body = Send("GET", path + "?" + http::BuildQuery(q), "", std::string(http::kHubSpotBucket), true);
  if (!body.ok()) return body.status();
  return ParseObjectPage("GET " + path, *body);
}

Result<CrmObject> HubSpotClient::Get(const std::string& object_type, const std::string& id,
                                     const std::vector<std::string>& properties, const std::string& id_property) {
  std::vector<std::pair<std::string, std::string>> q;
  if (!properties.empty()) q.emplace_back("properties", JoinComma(properties));
  if (!id_property.empty()) q.emplace_back("idProperty", id_property);
  const std::string path = ObjectsPath(object_type) + "/" + http::UrlEncode(id);
  auto body = Send("GET", path + (q.empty() ? "" : "?" + http::BuildQuery(q)), "",
                   std::string(http::kHubSpotBucket), true);
  if (!body.ok()) return body.status();
  return ParseObject("GET " + ObjectsPath(object_type) + "/{id}", *body);
}

Result<std::vector<CrmObject>> HubSpotClient::BatchRead(const std::string& object_type,
                                                        const std::vector<std::string>& ids,
                                                        const std::vector<std::string>& properties,
                                                        const std::string& id_property) {
  constexpr size_t kMaxInputs = 100;  // reference §1.8
  const std::string path = ObjectsPath(object_type) + "/batch/read";
  std::vector<CrmObject> out;
  for (size_t start = 0; start < ids.size(); start += kMaxInputs) {
    json inputs = json::array();
    for (size_t i = start; i < std::min(ids.size(), start + kMaxInputs); ++i) inputs.push_back({{"id", ids[i]}});
    json request = {{"inputs", inputs}, {"properties", properties}, {"propertiesWithHistory", json::array()}};
    if (!id_property.empty()) request["idProperty"] = id_property;
    // A batch read changes nothing: safe to repeat.
    auto body = Send("POST", path, request.dump(), std::string(http::kHubSpotBucket), true);
    if (!body.ok()) return body.status();
    auto records = ParseBatchResults("POST " + path, *body);
    if (!records.ok()) return records.status();
    for (auto& r : *records) out.push_back(std::move(r));
  }
  return out;
}

Result<ObjectPage> HubSpotClient::Search(const std::string& object_type, const SearchRequest& r) {
  json groups = json::array();
  for (const auto& group : r.filter_groups) {
    json filters = json::array();
    for (const auto& f : group) {
      json filter = {{"propertyName", f.property}, {"operator", FilterOperatorName(f.op)}};
      if (f.op == FilterOperator::kIn || f.op == FilterOperator::kNotIn) {
        filter["values"] = f.values;
      } else if (f.op == FilterOperator::kBetween) {
        filter["value"] = f.value;
        filter["highValue"] = f.high_value;
      } else if (f.op != FilterOperator::kHasProperty && f.op != FilterOperator::kNotHasProperty) {
        filter["value"] = f.value;
      }
      filters.push_back(std::move(filter));
    }
    groups.push_back({{"filters", std::move(filters)}});
  }
  json request = {{"filterGroups", groups}, {"properties", r.properties}, {"limit", r.limit}};
  if (!r.sort_property.empty())
    request["sorts"] = json::array(
        {{{"propertyName", r.sort_property}, {"direction", r.sort_ascending ? "ASCENDING" : "DESCENDING"}}});
  if (!r.after.empty()) request["after"] = r.after;
  const std::string path = ObjectsPath(object_type) + "/search";
  auto body = Send("POST", path, request.dump(), std::string(http::kHubSpotSearchBucket), true);
  if (!body.ok()) return body.status();
  return ParseObjectPage("POST " + path, *body);
}

Result<std::vector<PropertyDefinition>> HubSpotClient::ListProperties(const std::string& object_type) {
  const std::string path = "/crm/v3/properties/" + http::UrlEncode(object_type);
  auto body = Send("GET", path, "", std::string(http::kHubSpotBucket), true);
  if (!body.ok()) return body.status();
  return ParseProperties("GET " + path, *body);
}

Result<std::vector<Owner>> HubSpotClient::ListOwners() {
  std::vector<Owner> out;
  std::string after;
  do {
    std::vector<std::pair<std::string, std::string>> q{{"limit", "100"}};
    if (!after.empty()) q.emplace_back("after", after);
    auto body = Send("GET", "/crm/v3/owners?" + http::BuildQuery(q), "", std::string(http::kHubSpotBucket), true);
    if (!body.ok()) return body.status();
    auto owners = ParseOwners("GET /crm/v3/owners", *body, &after);
    if (!owners.ok()) return owners.status();
    for (auto& o : *owners) out.push_back(std::move(o));
  } while (!after.empty());
  return out;
}

Result<std::vector<Owner>> HubSpotClient::ListOwnersFirstPage(int limit) {
  auto body = Send("GET", "/crm/v3/owners?" + http::BuildQuery({{"limit", std::to_string(limit)}}), "",
                   std::string(http::kHubSpotBucket), true);
  if (!body.ok()) return body.status();
  std::string after;
  return ParseOwners("GET /crm/v3/owners", *body, &after);
}

Result<WebhookSettings> HubSpotClient::GetWebhookSettings(int64_t app_id) {
  const std::string path = fmt::format("/webhooks/v3/{}/settings", app_id);
  auto body = Send("GET", path, "", std::string(http::kHubSpotBucket), true);
  if (!body.ok()) return body.status();
  return ParseWebhookSettings("GET " + path, *body);
}

Result<std::vector<WebhookSubscription>> HubSpotClient::ListWebhookSubscriptions(int64_t app_id) {
  const std::string path = fmt::format("/webhooks/v3/{}/subscriptions", app_id);
  auto body = Send("GET", path, "", std::string(http::kHubSpotBucket), true);
  if (!body.ok()) return body.status();
  return ParseWebhookSubscriptions("GET " + path, *body);
}

Result<WebhookSettings> HubSpotClient::PutWebhookSettings(int64_t app_id, const std::string& target_url,
                                                          int max_concurrent_requests) {
  const std::string path = fmt::format("/webhooks/v3/{}/settings", app_id);
  json request = {{"targetUrl", target_url},
                  {"throttling", {{"maxConcurrentRequests", max_concurrent_requests}, {"period", "SECONDLY"}}}};
  // Setting the same values again leaves the same settings: safe to retry.
  auto body = Send("PUT", path, request.dump(), std::string(http::kHubSpotBucket), true);
  if (!body.ok()) return body.status();
  return ParseWebhookSettings("PUT " + path, *body);
}

Result<WebhookSubscription> HubSpotClient::CreateWebhookSubscription(int64_t app_id, const std::string& event_type,
                                                                     const std::string& property_name, bool active) {
  const std::string path = fmt::format("/webhooks/v3/{}/subscriptions", app_id);
  json request = {{"eventType", event_type}, {"active", active}};
  if (!property_name.empty()) request["propertyName"] = property_name;
  auto body = Send("POST", path, request.dump(), std::string(http::kHubSpotBucket), false);
  if (!body.ok()) return body.status();
  return ParseWebhookSubscription("POST " + path, *body);
}

Result<WebhookSubscription> HubSpotClient::UpdateWebhookSubscription(int64_t app_id,
                                                                     const std::string& subscription_id, bool active) {
  const std::string path =
      fmt::format("/webhooks/v3/{}/subscriptions/{}", app_id, http::UrlEncode(subscription_id));
  auto body = Send("PATCH", path, json{{"active", active}}.dump(), std::string(http::kHubSpotBucket), true);
  if (!body.ok()) return body.status();
  return ParseWebhookSubscription(fmt::format("PATCH /webhooks/v3/{}/subscriptions/{{id}}", app_id), *body);
}

}  // namespace tajo::hubspot
