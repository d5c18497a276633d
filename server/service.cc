#include "server/service.h"

#include <fmt/format.h>

#include "core/log.h"
#include "sync/sync_types.h"

namespace tajo::server {

namespace {

Status CheckServable(const Config& config) {
  if (!config.connectors.hubspot.enabled) {
    return Status::FailedPrecondition(config.source + ": connectors.hubspot is not enabled: tajo serve has nothing "
                                                      "to serve");
  }
  if (HubSpotWebhookSecret(config).empty()) {
    return Status::FailedPrecondition(
        config.source +
        ": connectors.hubspot.client_secret (or connectors.hubspot.oauth.client_secret) is required by tajo serve: "
        "it verifies the signatures of HubSpot's webhooks (HubSpot app settings > Auth > Client secret)");
  }
  return Status::Ok();
}

// The connection the inbox belongs to, created on first use as the sync does.
Status EnsureConnection(store::StateStore& store) {
  auto conn = store.GetConnection(sync::kConnectionName);
  if (!conn.ok()) return conn.status();
  if (*conn) return Status::Ok();
  store::Connection c;
  c.name = sync::kConnectionName;
  c.kind = "hubspot";
  c.status = store::ConnectionStatus::kConnected;
  return store.UpsertConnection(c);
}

// Webhook runs a killed predecessor left running (its events are still pending: they are
// claimed again once their claims lapse).
Status CloseInterruptedWebhookRuns(store::StateStore& store) {
  store::RunQuery q;
  q.connection = sync::kConnectionName;
  q.state = store::RunState::kRunning;
  q.limit = 1000;
  auto runs = store.ListRuns(q);
  if (!runs.ok()) return runs.status();
  for (const store::SyncRun& r : *runs) {
    if (r.type != store::SyncType::kWebhook) continue;
    TAJO_RETURN_IF_ERROR(store.FinishRun(r.id, store::RunState::kFailed, "interrupted (tajo serve stopped)"));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Service>> Service::Start(const Config& config, ServiceOptions options) {
  TAJO_RETURN_IF_ERROR(CheckServable(config));
  std::unique_ptr<Service> s(new Service());
  s->config_ = config;
  s->clock_ = options.clock != nullptr ? options.clock : &SystemClock();
  auto store = store::OpenStore(config.store.location);
  if (!store.ok()) return Status(store.status().code(), "store: " + store.status().message());
  s->store_ = std::move(*store);
  TAJO_RETURN_IF_ERROR(EnsureConnection(*s->store_));
  Service* self = s.get();
  // Losing the lease (another process took the store) stops the engine at once; /readyz says why.
  auto lease = ServeLease::Acquire(*s->store_, *s->clock_, options.lease_ttl, [self] {
    std::lock_guard lock(self->engine_mu_);
    if (self->engine_) self->engine_->Stop();
  });
  if (!lease.ok()) return lease.status();
  s->lease_ = std::move(*lease);
  TAJO_RETURN_IF_ERROR(CloseInterruptedWebhookRuns(*s->store_));
  // Holding the lease, this process is the one worker: claims left by a killed predecessor would
  // block their events until they lapse.
  auto released = s->store_->ReleaseInboxClaims(sync::kConnectionName);
  if (!released.ok()) return released.status();
  if (*released > 0) Log().Info("serve", "took over the events a stopped tajo serve had claimed",
                                {{"events", std::to_string(*released)}});
  options.clients.clock = s->clock_;
  auto clients = sync::ConnectorClients::Create(s->config_, options.clients);
  if (!clients.ok()) return clients.status();
  s->clients_ = std::move(*clients);

  EngineOptions e;
  e.clock = s->clock_;
  e.owner = s->lease_->owner();
  e.window_ms = s->config_.server.worker.window_ms;
  e.max_objects = static_cast<size_t>(s->config_.server.worker.max_objects);
  e.poll_ms = options.poll_ms;
  e.schedule_interval = s->config_.connectors.hubspot.schedule.interval;
  {
    std::lock_guard lock(s->engine_mu_);
    s->engine_ = std::make_unique<Engine>(s->config_, *s->clients_, *s->store_, e);
  }
  s->webhooks_ = std::make_unique<WebhookEndpoints>(s->config_, *s->store_, s->engine_.get(), *s->clock_);
  s->control_ = std::make_unique<ControlApi>(s->config_, *s->store_, *s->engine_,
                                             [self](std::string* why) { return self->Ready(why); });
  s->router_ = std::make_unique<http::Router>();
  WebhookEndpoints* hooks = s->webhooks_.get();
  s->router_->Add("POST", "/webhooks/hubspot", [hooks](http::HttpRequest& r) { return hooks->HubSpot(r); });
  s->router_->Add("POST", "/webhooks/brevo", [hooks](http::HttpRequest& r) { return hooks->Brevo(r); });
  s->control_->AddRoutes(*s->router_);

  s->engine_->Start();
  http::ServerOptions so;
  so.host = s->config_.server.host;
  so.port = static_cast<uint16_t>(s->config_.server.port);
  so.max_body_bytes = static_cast<size_t>(s->config_.server.max_body_bytes);
  so.worker_threads = options.http_workers;
  // HubSpot gives up on a request after 5 s: a slow client must not hold a worker longer.
  so.body_timeout_ms = 10'000;
  auto http = http::HttpServer::Start(so, s->router_->AsHandler());
  if (!http.ok()) {
    s->engine_->Stop();
    return Status(http.status().code(), "server.listen " + s->config_.server.listen + ": " + http.status().message());
  }
  s->http_ = std::move(*http);
  Log().Info("serve", "tajo serve is listening",
             {{"address", s->http_->base_url()}, {"owner", s->lease_->owner()}});
  return s;
}

Service::~Service() { Shutdown(); }

uint16_t Service::port() const { return http_ ? http_->port() : 0; }
std::string Service::base_url() const { return http_ ? http_->base_url() : ""; }

bool Service::Ready(std::string* why) const {
  if (lease_ && !lease_->held(why)) return false;
  if (!engine_ || !engine_->stats().running) {
    if (why != nullptr) *why = "the engine is not running";
    return false;
  }
  return true;
}

void Service::Shutdown(int grace_ms) {
  std::lock_guard lock(shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  Log().Info("serve", "stopping: finishing the requests and the work in flight");
  if (http_) http_->Shutdown(grace_ms);
  if (engine_) engine_->Stop();
  lease_.reset();
  Log().Info("serve", "stopped");
}

}  // namespace tajo::server
