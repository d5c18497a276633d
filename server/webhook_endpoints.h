// WebhookEndpoints: POST /webhooks/hubspot and POST /webhooks/brevo. Each request is
// authenticated (HubSpot: signature v3 or v1 as server.webhooks says; Brevo: the registered
// token), parsed into inbox events, written to the durable inbox in one store transaction
// (deduplicated), and only then answered 200 — so an acknowledged event is never lost, and a
// redelivered one is recognised. The engine is then told events arrived.
//
// Answers: 200 {"received": N, "new": M}; 401 when authentication fails (logged at warn with
// the reason, never the secret); 400 for a malformed body (the message says what and where);
// 413 (by the HTTP server) for a body over server.max_body_bytes; 503 when the store cannot save
// them (the sender retries). Concurrent requests share store transactions (server/inbox_writer.h).
//
// Thread-safe: the handlers run concurrently on the HTTP server's workers.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/clock.h"
#include "core/config.h"
#include "http/message.h"
#include "server/engine.h"
#include "server/inbox_writer.h"
#include "store/state_store.h"

namespace tajo::server {

struct WebhookCounters {
  int64_t requests = 0;
  int64_t events = 0;       // events in accepted requests
  int64_t new_events = 0;   // of those, not seen before
  int64_t unauthorized = 0;
  int64_t malformed = 0;
  int64_t store_failures = 0;
  int64_t transactions = 0;  // store transactions that saved them (group commit: fewer than requests)
};

class WebhookEndpoints {
 public:
  // Every argument must outlive the endpoints. `engine` may be null (events are then only saved).
  WebhookEndpoints(const Config& config, store::StateStore& store, Engine* engine, Clock& clock);
  WebhookEndpoints(const WebhookEndpoints&) = delete;
  WebhookEndpoints& operator=(const WebhookEndpoints&) = delete;

  http::HttpResponse HubSpot(http::HttpRequest& request);
  http::HttpResponse Brevo(http::HttpRequest& request);

  WebhookCounters counters() const;

 private:
  http::HttpResponse Save(const http::HttpRequest& request, const char* source,
                          Result<std::vector<store::InboxEvent>> events);
  http::HttpResponse Refuse(const http::HttpRequest& request, const char* source, const Status& why);

  const Config& config_;
  store::StateStore& store_;
  InboxWriter writer_;
  Engine* engine_;
  Clock& clock_;
  std::atomic<int64_t> requests_{0}, events_{0}, new_events_{0}, unauthorized_{0}, malformed_{0}, store_failures_{0};
};

// A JSON response {"error": message} with `status`.
http::HttpResponse JsonError(int status, const std::string& message);

}  // namespace tajo::server
