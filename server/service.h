// Service: `tajo serve` as an object — the store (with its lease), the API clients, the engine
// thread (webhook worker, scheduled and requested syncs), the webhook endpoints and the control
// API on one HTTP server. The CLI's `tajo serve` starts one and shuts it down on SIGTERM/SIGINT;
// tests start several in-process.
//
// Start-up refuses (with a message naming the key) a configuration it cannot serve: no enabled
// HubSpot connector, no client secret to verify HubSpot signatures, a store held by another
// live `tajo serve`. It closes the webhook runs a killed predecessor left "running".
//
// Shutdown: stop accepting and finish the requests in flight (their events are saved before
// they are answered), stop the engine (a running sync is cancelled at its next page and
// continues next time; the worker pass in progress finishes), release the lease.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "http/server.h"
#include "server/control_api.h"
#include "server/engine.h"
#include "server/serve_lease.h"
#include "server/webhook_endpoints.h"
#include "store/state_store.h"
#include "sync/connector_clients.h"

namespace tajo::server {

struct ServiceOptions {
  Clock* clock = nullptr;                            // nullptr = SystemClock()
  std::chrono::milliseconds lease_ttl{30'000};
  int64_t poll_ms = 1000;                            // engine: look for due retries this often
  int http_workers = 4;                              // HTTP handler threads
  sync::ConnectorClientsOptions clients;             // outbound retries (tests shorten them)
};

class Service {
 public:
  static Result<std::unique_ptr<Service>> Start(const Config& config, ServiceOptions options = {});
  ~Service();  // Shutdown()
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  uint16_t port() const;
  std::string base_url() const;  // "http://HOST:PORT"
  // See the top of the file. Idempotent. `grace_ms`: how long requests in flight may take.
  void Shutdown(int grace_ms = 10'000);

  Engine& engine() { return *engine_; }
  WebhookEndpoints& webhooks() { return *webhooks_; }
  store::StateStore& store() { return *store_; }
  // Ready to take webhooks: the lease is held and the engine runs; else `why`.
  bool Ready(std::string* why) const;

 private:
  Service() = default;

  Config config_;
  Clock* clock_ = nullptr;
  std::unique_ptr<store::StateStore> store_;
  std::unique_ptr<ServeLease> lease_;
  std::unique_ptr<sync::ConnectorClients> clients_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<WebhookEndpoints> webhooks_;
  std::unique_ptr<ControlApi> control_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::HttpServer> http_;
  std::mutex engine_mu_;  // engine_ is set while the lease's thread may already look at it
  std::mutex shutdown_mu_;
  bool shut_down_ = false;
};

}  // namespace tajo::server
