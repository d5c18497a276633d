// HubSpotSandbox: construction, the request pipeline (faults, auth, rate limits, scopes, stats)
// and the route table.
#include "sandbox/hubspot/hubspot_sandbox.h"

#include <fmt/format.h>

#include "core/log.h"
#include "core/redact.h"
#include "sandbox/common/rng.h"

namespace tajo::sandbox::hubspot {
namespace {

PlanLimits PlanOrDefault(const std::string& plan) {
  auto limits = LimitsForPlan(plan);
  if (limits.ok()) return limits.value();
  Log().Error("sandbox.hubspot", "unknown plan; using professional", {{"plan", plan}});
  return LimitsForPlan("professional").value();
}

PortalOptions PortalOptionsFrom(const HubSpotSandboxOptions& o) {
  PortalOptions p;
  p.portal_id = o.portal_id;
  p.empty_properties_as_null = o.empty_properties_as_null;
  return p;
}

}  // namespace

HubSpotSandbox::HubSpotSandbox(const HubSpotSandboxOptions& options, Clock& clock)
    : HubSpotSandbox(options, clock, nullptr) {}

HubSpotSandbox::HubSpotSandbox(const HubSpotSandboxOptions& options, Clock& clock,
                               std::unique_ptr<http::Transport> webhook_transport)
    : options_(options),
      clock_(clock),
      scaled_clock_(clock, options.time_scale > 0 ? options.time_scale : 1.0),
      portal_(std::make_unique<Portal>(clock, PortalOptionsFrom(options))),
      oauth_(tokens_, clock, options.oauth_access_token_ttl_s, options.rotate_refresh_tokens, options.seed_number),
      limiter_(scaled_clock_, PlanOrDefault(options.plan), options.search_per_second),
      correlation_salt_(StableHash(std::to_string(options.seed_number)) ^ 0x5A17ULL) {
  std::vector<TokenSpec> tokens = options.tokens;
  if (tokens.empty()) tokens.push_back({kDefaultToken, {}});
  for (const TokenSpec& spec : tokens) {
    TokenInfo info;
    info.token = spec.token;
    info.kind = TokenInfo::Kind::kPrivateApp;
    info.all_scopes = spec.scopes.empty();
    info.scopes.insert(spec.scopes.begin(), spec.scopes.end());
    info.user_id = 9586504;
    tokens_.Add(std::move(info));
    RegisterSecret(spec.token);
  }
  RegisterSecret(options.client_secret);
  FaultSettings faults;
  faults.latency_ms = options.latency_ms;
  faults.seed = options.seed_number;
  faults_.set_settings(faults);
  runtime_.enforce_rate_limits = options.enforce_rate_limits;
  runtime_.list_max_limit = options.list_max_limit;
  runtime_.list_over_max_is_error = options.list_over_max_is_error;
  runtime_.batch_max_inputs = options.batch_max_inputs;
  runtime_.search = options.search;
  runtime_.retry_after_on_429 = options.retry_after_on_429;
  runtime_.rotate_refresh_tokens = options.rotate_refresh_tokens;
  runtime_.access_token_ttl_s = options.oauth_access_token_ttl_s;
  WebhookOptions wo;
  wo.app_id = options.app_id;
  wo.portal_id = options.portal_id;
  wo.client_secret = options.client_secret;
  wo.delay_scale = options.time_scale > 0 ? options.time_scale : 1.0;
  if (!webhook_transport) webhook_transport = http::NewCurlTransport();
  webhooks_ = std::make_unique<WebhookEngine>(wo, clock_, scaled_clock_, std::move(webhook_transport));
  portal_->SetChangeListener([engine = webhooks_.get()](const ChangeEvent& e) { engine->OnChange(e); });
}

void HubSpotSandbox::StartWebhookDelivery() { webhooks_->Start(); }

HubSpotSandbox::~HubSpotSandbox() {
  portal_->SetChangeListener(nullptr);
  webhooks_->Stop();
}

HubSpotSandbox::Runtime HubSpotSandbox::runtime() const {
  std::lock_guard lock(runtime_mu_);
  return runtime_;
}

HubSpotSandbox::SeedResult HubSpotSandbox::SeedFromOptions() { return Seed(options_.seed, options_.seed_number); }

HubSpotSandbox::SeedResult HubSpotSandbox::Seed(const SeedSpec& spec, uint64_t seed_number) {
  SeedResult result;
  if (spec.empty()) return result;
  int64_t start = SystemClock().NowMicros();
  result.report = SeedPortal(*portal_, spec, seed_number, clock_.NowMillis());
  result.millis = (SystemClock().NowMicros() - start) / 1000;
  return result;
}

std::string HubSpotSandbox::NewCorrelationId() {
  uint64_t n = correlation_counter_.fetch_add(1) + 1;
  Rng rng(n * 0x9E3779B97F4A7C15ULL ^ correlation_salt_);
  uint64_t a = rng.Next(), b = rng.Next();
  // A version-4 UUID layout.
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}", static_cast<uint32_t>(a >> 32),
                     static_cast<uint16_t>(a >> 16), static_cast<uint16_t>(a) & 0xFFF,
                     8 + static_cast<unsigned>((b >> 62) & 3), static_cast<unsigned>(b >> 48) & 0xFFF,
                     b & 0xFFFFFFFFFFFFULL);
}

http::HttpResponse HubSpotSandbox::JsonResponse(int status, const nlohmann::json& body) {
  auto response = http::HttpResponse::Json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  response.headers.Set("Content-Type", "application/json;charset=utf-8");
  return response;
}

http::HttpResponse HubSpotSandbox::Error(const ApiError& error) {
  return JsonResponse(error.status, error.ToJson(NewCorrelationId()));
}

http::HttpResponse HubSpotSandbox::RateLimited(const RateCheck& check) {
  // Reference §9.3; `policyName` SECONDLY for search is UNCONFIRMED.
  nlohmann::json body = {{"status", "error"},       {"message", check.message},
                         {"errorType", "RATE_LIMIT"}, {"correlationId", NewCorrelationId()},
                         {"policyName", check.policy}, {"requestId", NewCorrelationId()}};
  auto response = JsonResponse(429, body);
  for (const auto& [k, v] : check.headers.fields()) response.headers.Set(k, v);
  if (runtime().retry_after_on_429)
    response.headers.Set("Retry-After", std::to_string(std::max<int64_t>(1, (check.retry_after_ms + 999) / 1000)));
  return response;
}

bool HubSpotSandbox::ParseBody(const http::HttpRequest& request, nlohmann::json* body, http::HttpResponse* error) {
  if (request.body.empty()) {
    *error = Error(ApiError::Validation("Invalid input JSON: the request body is empty"));
    return false;
  }
  try {
    *body = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    *error = Error(ApiError::Validation(std::string("Invalid input JSON on line 1: ") + e.what()));
    return false;
  }
  return true;
}

const ObjectType* HubSpotSandbox::TypeParam(const http::HttpRequest& request, const std::string& param,
                                            http::HttpResponse* error) {
  std::string name = request.Param(param);
  const ObjectType* t = portal_->FindType(name);
  if (!t) *error = Error(ApiError::Validation("Unable to infer object type from: " + name));
  return t;
}

std::pair<const ObjectType*, const ObjectType*> HubSpotSandbox::FromToTypes(const http::HttpRequest& request,
                                                                            const std::string& from_param,
                                                                            http::HttpResponse* error) {
  const ObjectType* from = TypeParam(request, from_param, error);
  if (!from) return {nullptr, nullptr};
  const ObjectType* to = TypeParam(request, "toObjectType", error);
  if (!to) return {nullptr, nullptr};
  return {from, to};
}

WriteSource HubSpotSandbox::SourceFor(const TokenInfo& token) const {
  // Writes through the API are made by the integration (app) that owns the token.
  if (token.kind == TokenInfo::Kind::kOAuth) return {"INTEGRATION", std::to_string(options_.app_id)};
  return {"INTEGRATION", std::to_string(options_.app_id)};
}

http::HttpResponse HubSpotSandbox::Serve(const std::string& label, Access access, bool search, Endpoint endpoint,
                                         http::HttpRequest& request) {
  http::HttpResponse response;
  FaultDecision fault = faults_.Decide();
  if (fault.latency_micros > 0) clock_.SleepForMicros(fault.latency_micros);
  switch (fault.kind) {
    case FaultKind::kServerError: {
      ApiError e;
      e.status = fault.server_error_status;
      e.category = "INTERNAL_ERROR";
      e.message = "internal error (injected by tajo-sandbox)";
      stats_.Increment("fault.5xx");
      response = Error(e);
      stats_.Record(label, response.status);
      return response;
    }
    case FaultKind::kRateLimit: {
      stats_.Increment("fault.429");
      stats_.Increment("rate_limited.TEN_SECONDLY_ROLLING");
      RateCheck rc;
      rc.allowed = false;
      rc.policy = "TEN_SECONDLY_ROLLING";
      rc.message = "You have reached your ten_secondly_rolling limit.";
      rc.retry_after_ms = 10'000;
      response = RateLimited(rc);
      stats_.Record(label, response.status);
      return response;
    }
    case FaultKind::kTimeout: {
      stats_.Increment("fault.timeout");
      clock_.SleepForMicros(faults_.settings().timeout_hold_ms * 1000);
      ApiError e;
      e.status = 504;
      e.category = "INTERNAL_ERROR";
      e.message = "gateway timeout (injected by tajo-sandbox)";
      response = Error(e);
      stats_.Record(label, response.status);
      return response;
    }
    case FaultKind::kReset:
    case FaultKind::kTruncate:
      stats_.Increment(std::string("fault.") + FaultKindName(fault.kind));
      break;  // carried out by the server: HttpResponse::fault, set below
    case FaultKind::kNone:
      break;
  }

  TokenInfo token;
  if (access != Access::kNone) {
    auto header = request.headers.Get("Authorization");
    std::string value = header.value_or("");
    std::string bearer;
    if (value.size() > 7 && http::EqualsIgnoreCase(value.substr(0, 7), "Bearer ")) bearer = value.substr(7);
    while (!bearer.empty() && bearer.back() == ' ') bearer.pop_back();
    auto found = bearer.empty() ? std::nullopt : tokens_.Find(bearer);
    // The webhooks management API also takes the app developer's API key (reference §6.1).
    const bool webhooks_api = access == Access::kWebhooksRead || access == Access::kWebhooksWrite;
    if (!found && bearer.empty() && webhooks_api && !options_.developer_api_key.empty() &&
        request.Query("hapikey") == options_.developer_api_key) {
      TokenInfo developer;
      developer.token = options_.developer_api_key;
      developer.all_scopes = true;
      found = developer;
    }
    if (!found) {
      ApiError e;
      e.status = 401;
      e.category = "INVALID_AUTHENTICATION";
      e.message = bearer.empty()
                      ? (webhooks_api ? "Authentication credentials not found. This API supports the developer API "
                                        "key (?hapikey=) and access tokens (Authorization: Bearer <token>)."
                                      : "Authentication credentials not found. This API supports OAuth 2.0 and private "
                                        "app access tokens: send Authorization: Bearer <token>.")
                      : "The access token used to make this call is invalid or was revoked.";
      response = Error(e);
      stats_.Record(label, response.status);
      return response;
    }
    token = *found;
    if (token.kind == TokenInfo::Kind::kOAuth && token.expires_at_ms <= clock_.NowMillis()) {
      int64_t ago = (clock_.NowMillis() - token.expires_at_ms) / 1000;
      ApiError e;
      e.status = 401;
      e.category = "EXPIRED_AUTHENTICATION";
      e.message = "The OAuth token used to make this call expired " + std::to_string(ago) + " second(s) ago.";
      e.context = {{"expire time", {FormatRfc3339(token.expires_at_ms * 1000)}}};
      response = Error(e);
      stats_.Record(label, response.status);
      return response;
    }
  }

  Runtime rt = runtime();
  RateCheck rate;
  if (access != Access::kNone) {
    rate = search ? limiter_.CheckSearch(token, rt.enforce_rate_limits) : limiter_.CheckApi(token, rt.enforce_rate_limits);
    if (!rate.allowed) {
      stats_.Increment("rate_limited." + rate.policy);
      response = RateLimited(rate);
      stats_.Record(label, response.status);
      return response;
    }
  }

  // Scopes for this endpoint and object type.
  std::vector<std::string> needed;
  auto type_scopes = [&](const char* param, bool write) {
    const ObjectType* t = portal_->FindType(request.Param(param));
    if (t) needed = write ? t->write_scopes : t->read_scopes;
  };
  switch (access) {
    case Access::kObjectRead: type_scopes("objectType", false); break;
    case Access::kObjectWrite: type_scopes("objectType", true); break;
    case Access::kAssocRead:
      type_scopes(request.path_params.count("fromObjectType") ? "fromObjectType" : "objectType", false);
      break;
    case Access::kAssocWrite:
      type_scopes(request.path_params.count("fromObjectType") ? "fromObjectType" : "objectType", true);
      break;
    case Access::kSchemaRead:
    case Access::kSchemaWrite: {
      const ObjectType* t = portal_->FindType(request.Param("objectType"));
      if (t) needed = access == Access::kSchemaRead ? t->schema_read_scopes : t->schema_write_scopes;
      break;
    }
    case Access::kOwners: needed = {"crm.objects.owners.read"}; break;
    case Access::kCustomSchemaRead: needed = {"crm.schemas.custom.read", "crm.objects.custom.read"}; break;
    case Access::kCustomSchemaWrite: needed = {"crm.schemas.custom.write"}; break;
    case Access::kWebhooksRead: needed = {"developers-read", "private-apps-read"}; break;
    case Access::kWebhooksWrite: needed = {"developers-write", "private-apps-write"}; break;
    case Access::kNone: break;
  }
  if (!needed.empty() && !token.HasAnyScope(needed)) {
    ApiError e;
    e.status = 403;
    e.category = "MISSING_SCOPES";
    std::string list;
    for (const auto& s : needed) list += (list.empty() ? "" : ", ") + s;
    e.message = "This app hasn't been granted all required scopes to make this call. One of the following scopes is "
                "required: " + list + ".";
    e.context = {{"missingScopes", needed}};
    e.errors = nlohmann::json::array(
        {{{"message", "One or more of the following scopes are required."}, {"context", {{"requiredGranularScopes", needed}}}}});
    response = Error(e);
  } else {
    response = (this->*endpoint)(request, token);
  }
  if (!search && access != Access::kNone)
    for (const auto& [k, v] : rate.headers.fields()) response.headers.Set(k, v);
  if (fault.kind == FaultKind::kReset) response.fault = http::ConnectionFault::kReset;
  if (fault.kind == FaultKind::kTruncate) response.fault = http::ConnectionFault::kTruncateBody;
  stats_.Record(label, response.status);
  return response;
}

void HubSpotSandbox::Api(http::Router& router, const std::string& method, const std::string& pattern, Access access,
                         Endpoint endpoint, bool search) {
  std::string label = method + " " + pattern;
  router.Add(method, pattern, [this, label, access, endpoint, search](http::HttpRequest& request) {
    return Serve(label, access, search, endpoint, request);
  });
}

void HubSpotSandbox::RegisterRoutes(http::Router& router) {
  using H = HubSpotSandbox;
  const std::string o = "/crm/v3/objects/{objectType}";
  // Fixed second segments first: they share their shape with /{objectId}.
  Api(router, "POST", o + "/search", Access::kObjectRead, &H::SearchObjects, true);
  Api(router, "POST", o + "/merge", Access::kObjectWrite, &H::MergeObjects);
  Api(router, "POST", o + "/gdpr-delete", Access::kObjectWrite, &H::GdprDelete);
  Api(router, "POST", o + "/batch/read", Access::kObjectRead, &H::BatchRead);
  Api(router, "POST", o + "/batch/create", Access::kObjectWrite, &H::BatchCreate);
  Api(router, "POST", o + "/batch/update", Access::kObjectWrite, &H::BatchUpdate);
  Api(router, "POST", o + "/batch/upsert", Access::kObjectWrite, &H::BatchUpsert);
  Api(router, "POST", o + "/batch/archive", Access::kObjectWrite, &H::BatchArchive);
  Api(router, "GET", o, Access::kObjectRead, &H::ListObjects);
  Api(router, "POST", o, Access::kObjectWrite, &H::CreateObject);
  Api(router, "GET", o + "/{objectId}", Access::kObjectRead, &H::GetObject);
  Api(router, "PATCH", o + "/{objectId}", Access::kObjectWrite, &H::UpdateObject);
  Api(router, "DELETE", o + "/{objectId}", Access::kObjectWrite, &H::ArchiveObject);
  // Associations through the v3 object paths (reference §1.11) and v4.
  Api(router, "GET", o + "/{objectId}/associations/{toObjectType}", Access::kAssocRead, &H::ListAssociationsV4);
  Api(router, "PUT", o + "/{objectId}/associations/{toObjectType}/{toObjectId}/{associationTypeId}",
      Access::kAssocWrite, &H::AssociateV3Path);
  Api(router, "DELETE", o + "/{objectId}/associations/{toObjectType}/{toObjectId}/{associationTypeId}",
      Access::kAssocWrite, &H::DisassociateV3Path);
  const std::string v4 = "/crm/v4/objects/{objectType}/{objectId}/associations";
  Api(router, "GET", v4 + "/{toObjectType}", Access::kAssocRead, &H::ListAssociationsV4);
  Api(router, "PUT", "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
      Access::kAssocWrite, &H::AssociateDefaultV4);
  Api(router, "PUT", v4 + "/{toObjectType}/{toObjectId}", Access::kAssocWrite, &H::AssociateLabelledV4);
  Api(router, "DELETE", v4 + "/{toObjectType}/{toObjectId}", Access::kAssocWrite, &H::DeleteAssociationsV4);
  const std::string a4 = "/crm/v4/associations/{fromObjectType}/{toObjectType}";
  Api(router, "POST", a4 + "/batch/read", Access::kAssocRead, &H::BatchReadAssociations);
  Api(router, "POST", a4 + "/batch/create", Access::kAssocWrite, &H::BatchCreateAssociations);
  Api(router, "POST", a4 + "/batch/associate/default", Access::kAssocWrite, &H::BatchAssociateDefault);
  Api(router, "POST", a4 + "/batch/archive", Access::kAssocWrite, &H::BatchArchiveAssociations);
  Api(router, "POST", a4 + "/batch/labels/archive", Access::kAssocWrite, &H::BatchArchiveLabels);
  for (const std::string& labels : {a4 + "/labels", std::string("/crm/associations/v4/{fromObjectType}/{toObjectType}/labels")}) {
    Api(router, "GET", labels, Access::kAssocRead, &H::ListLabels);
    Api(router, "POST", labels, Access::kAssocWrite, &H::CreateLabel);
    Api(router, "DELETE", labels + "/{associationTypeId}", Access::kAssocWrite, &H::DeleteLabel);
  }
  // Properties, pipelines, owners, schemas.
  Api(router, "GET", "/crm/v3/properties/{objectType}", Access::kSchemaRead, &H::ListProperties);
  Api(router, "POST", "/crm/v3/properties/{objectType}", Access::kSchemaWrite, &H::CreateProperty);
  Api(router, "GET", "/crm/v3/properties/{objectType}/{propertyName}", Access::kSchemaRead, &H::GetProperty);
  Api(router, "DELETE", "/crm/v3/properties/{objectType}/{propertyName}", Access::kSchemaWrite, &H::ArchiveProperty);
  Api(router, "GET", "/crm/v3/pipelines/{objectType}", Access::kObjectRead, &H::ListPipelines);
  Api(router, "GET", "/crm/v3/pipelines/{objectType}/{pipelineId}", Access::kObjectRead, &H::GetPipeline);
  Api(router, "GET", "/crm/v3/pipelines/{objectType}/{pipelineId}/stages", Access::kObjectRead, &H::ListStages);
  Api(router, "GET", "/crm/v3/pipelines/{objectType}/{pipelineId}/stages/{stageId}", Access::kObjectRead, &H::GetStage);
  Api(router, "GET", "/crm/v3/owners", Access::kOwners, &H::ListOwners);
  Api(router, "GET", "/crm/v3/owners/{ownerId}", Access::kOwners, &H::GetOwner);
  for (const std::string& schemas : {std::string("/crm-object-schemas/v3/schemas"), std::string("/crm/v3/schemas")}) {
    Api(router, "GET", schemas, Access::kCustomSchemaRead, &H::ListSchemas);
    Api(router, "POST", schemas, Access::kCustomSchemaWrite, &H::CreateSchema);
    Api(router, "GET", schemas + "/{objectType}", Access::kCustomSchemaRead, &H::GetSchema);
  }
  // Webhooks management (the fixed "batch" segment first).
  const std::string wh = "/webhooks/v3/{appId}";
  Api(router, "GET", wh + "/settings", Access::kWebhooksRead, &H::GetWebhookSettings);
  Api(router, "PUT", wh + "/settings", Access::kWebhooksWrite, &H::PutWebhookSettings);
  Api(router, "DELETE", wh + "/settings", Access::kWebhooksWrite, &H::DeleteWebhookSettings);
  Api(router, "GET", wh + "/subscriptions", Access::kWebhooksRead, &H::ListSubscriptions);
  Api(router, "POST", wh + "/subscriptions", Access::kWebhooksWrite, &H::CreateSubscription);
  Api(router, "POST", wh + "/subscriptions/batch/update", Access::kWebhooksWrite, &H::BatchUpdateSubscriptions);
  Api(router, "GET", wh + "/subscriptions/{subscriptionId}", Access::kWebhooksRead, &H::GetSubscription);
  Api(router, "PATCH", wh + "/subscriptions/{subscriptionId}", Access::kWebhooksWrite, &H::PatchSubscription);
  Api(router, "DELETE", wh + "/subscriptions/{subscriptionId}", Access::kWebhooksWrite, &H::DeleteSubscription);
  // OAuth: no bearer token, no rate limits.
  Api(router, "GET", "/oauth/authorize", Access::kNone, &H::OAuthAuthorize);
  Api(router, "GET", "/oauth/{portalId}/authorize", Access::kNone, &H::OAuthAuthorize);
  Api(router, "POST", "/oauth/v1/token", Access::kNone, &H::OAuthToken);
  Api(router, "GET", "/oauth/v1/access-tokens/{token}", Access::kNone, &H::OAuthAccessTokenInfo);
  Api(router, "GET", "/oauth/v1/refresh-tokens/{token}", Access::kNone, &H::OAuthRefreshTokenInfo);
  Api(router, "DELETE", "/oauth/v1/refresh-tokens/{token}", Access::kNone, &H::OAuthDeleteRefreshToken);
  RegisterAdmin(router);
  router.SetNotFound([this](http::HttpRequest& request) {
    ApiError e = ApiError::NotFound("No route found for " + request.method + " " + request.RawPath());
    e.category = "OBJECT_NOT_FOUND";
    auto response = Error(e);
    stats_.Record("(no route)", response.status);
    return response;
  });
}

}  // namespace tajo::sandbox::hubspot
