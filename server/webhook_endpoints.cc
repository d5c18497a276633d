#include "server/webhook_endpoints.h"

#include <nlohmann/json.hpp>

#include "core/log.h"
#include "server/brevo_webhook_auth.h"
#include "server/hubspot_signature.h"
#include "server/webhook_events.h"
#include "sync/sync_types.h"

namespace tajo::server {

http::HttpResponse JsonError(int status, const std::string& message) {
  return http::HttpResponse::Json(status, nlohmann::json{{"error", message}}.dump());
}

WebhookEndpoints::WebhookEndpoints(const Config& config, store::StateStore& store, Engine* engine, Clock& clock)
    : config_(config), store_(store), writer_(store), engine_(engine), clock_(clock) {}

WebhookCounters WebhookEndpoints::counters() const {
  return {requests_.load(),   events_.load(),         new_events_.load(),    unauthorized_.load(),
          malformed_.load(),  store_failures_.load(), writer_.transactions()};
}

http::HttpResponse WebhookEndpoints::Refuse(const http::HttpRequest& request, const char* source, const Status& why) {
  ++unauthorized_;
  Log().Warn("webhook", std::string(source) + " webhook refused",
             {{"reason", why.message()}, {"remote", request.remote_address}, {"target", request.target}});
  return JsonError(401, why.message());
}

http::HttpResponse WebhookEndpoints::Save(const http::HttpRequest& request, const char* source,
                                          Result<std::vector<store::InboxEvent>> events) {
  if (!events.ok()) {
    ++malformed_;
    Log().Warn("webhook", std::string(source) + " webhook body refused",
               {{"reason", events.status().message()}, {"remote", request.remote_address}});
    return JsonError(400, events.status().message());
  }
  auto added = writer_.Save(*events);
  if (!added.ok()) {
    ++store_failures_;
    Log().Error("webhook", std::string(source) + " events could not be saved: answered 503 so they are sent again",
                {{"error", added.status().message()}, {"events", std::to_string(events->size())}});
    return JsonError(503, "the events could not be saved; send them again");
  }
  events_ += static_cast<int64_t>(events->size());
  new_events_ += *added;
  if (config_.server.webhooks.log_webhooks) {
    for (const store::InboxEvent& e : *events) Log().Info("webhook", "received " + DescribeInboxEvent(e));
  }
  if (engine_ != nullptr && *added > 0) engine_->EventsArrived(*events);
  return http::HttpResponse::Json(200, nlohmann::json{{"received", events->size()}, {"new", *added}}.dump());
}

http::HttpResponse WebhookEndpoints::HubSpot(http::HttpRequest& request) {
  ++requests_;
  HubSpotVerifyOptions v;
  v.client_secret = HubSpotWebhookSecret(config_);
  v.accepted = config_.server.webhooks.hubspot_signature_versions;
  v.max_age_ms = config_.server.webhooks.max_timestamp_age_ms;
  v.public_url = config_.server.public_url;
  if (Status ok = VerifyHubSpotRequest(request, v, clock_.NowMicros() / 1000); !ok.ok()) {
    return Refuse(request, "HubSpot", ok);
  }
  return Save(request, "HubSpot", ParseHubSpotWebhook(request.body, sync::kConnectionName));
}

http::HttpResponse WebhookEndpoints::Brevo(http::HttpRequest& request) {
  ++requests_;
  if (Status ok = VerifyBrevoRequest(request, config_.server.webhooks.brevo_token); !ok.ok()) {
    return Refuse(request, "Brevo", ok);
  }
  return Save(request, "Brevo", ParseBrevoWebhook(request.body, sync::kConnectionName));
}

}  // namespace tajo::server
