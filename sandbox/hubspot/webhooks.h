// WebhookEngine: HubSpot's app webhooks (reference §6): the settings and subscriptions of the
// app, the events that changes produce, and their delivery.
//
// Events: every change the portal reports (API writes, admin mutations) becomes one event per
// matching active subscription — contact/company/deal/ticket creation, deletion, propertyChange
// (per subscribed property), merge, restore, associationChange, and contact.privacyDeletion —
// with eventId, subscriptionId, portalId, appId, occurredAt, subscriptionType, attemptNumber,
// objectId, changeSource, sourceId and the kind's own fields.
// Delivery: POST to the target URL, a JSON array of at most 100 events per request, at most
// maxConcurrentRequests (default 10) requests at once, a 5-second timeout, signed v1
// (X-HubSpot-Signature, -Version) and v3 (X-HubSpot-Signature-v3, X-HubSpot-Request-Timestamp).
// A failed request (no answer, timeout, any 4xx or 5xx) is retried up to 10 times with
// attemptNumber increased, after 1, 2, 4, ... 512 minutes of `delay_clock` time (a ScaledClock
// shrinks them); then its events are dropped.
//
// Pump() does one round of delivery on the calling thread (tests drive it with a fake Transport
// and a ManualClock); Start() runs rounds on a background thread until Stop().
//
// Thread-safe. OnChange() is called by the portal with its lock held: it only queues.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "http/client.h"
#include "sandbox/hubspot/api_error.h"
#include "sandbox/hubspot/change_event.h"

namespace tajo::sandbox::hubspot {

struct WebhookOptions {
  int64_t app_id = 0;
  int64_t portal_id = 0;
  std::string client_secret;
  int timeout_ms = 5'000;
  int max_retries = 10;
  size_t max_events_per_request = 100;
  size_t max_subscriptions = 1000;
  int64_t first_retry_delay_ms = 60'000;  // doubled on every retry
  double delay_scale = 1.0;                // how much faster delay_clock runs than real time
};

struct WebhookSettings {
  std::string target_url;
  int max_concurrent_requests = 10;
  std::string period = "SECONDLY";
  int64_t created_ms = 0, updated_ms = 0;
};

struct WebhookSubscription {
  int64_t id = 0;
  std::string event_type;     // "contact.propertyChange"
  std::string property_name;  // propertyChange only
  bool active = false;
  int64_t created_ms = 0, updated_ms = 0;
};

struct WebhookStats {
  int64_t events_queued = 0;
  int64_t requests_sent = 0;
  int64_t requests_failed = 0;
  int64_t events_delivered = 0;
  int64_t events_dropped = 0;
  size_t pending = 0;
};

class WebhookEngine {
 public:
  // `clock` stamps events and signatures; `delay_clock` schedules retries. `transport` sends the
  // requests (owned). All must outlive the engine.
  WebhookEngine(WebhookOptions options, Clock& clock, Clock& delay_clock, std::unique_ptr<http::Transport> transport);
  ~WebhookEngine();
  WebhookEngine(const WebhookEngine&) = delete;
  WebhookEngine& operator=(const WebhookEngine&) = delete;

  // Settings API. PutSettings validates (an http(s) URL, maxConcurrentRequests > 5).
  std::optional<WebhookSettings> GetSettings() const;
  ApiResult<WebhookSettings> PutSettings(const std::string& target_url, int max_concurrent, const std::string& period);
  bool DeleteSettings();
  // Subscriptions API. Create validates the event type (the 48 of the spec are accepted; events
  // are produced for contact, company, deal and ticket ones) and the 1,000 cap.
  std::vector<WebhookSubscription> Subscriptions() const;
  std::optional<WebhookSubscription> Subscription(int64_t id) const;
  ApiResult<WebhookSubscription> CreateSubscription(const std::string& event_type, const std::string& property_name,
                                                    bool active);
  std::optional<WebhookSubscription> SetActive(int64_t id, bool active);
  bool DeleteSubscription(int64_t id);

  // Turns a portal change into queued events. Never blocks on I/O.
  void OnChange(const ChangeEvent& change);

  // Sends what is due: up to maxConcurrentRequests requests of up to 100 events, concurrently.
  // Returns the number of requests sent.
  size_t Pump();
  // Milliseconds of delay-clock time until the next event is due; nullopt when nothing waits.
  std::optional<int64_t> NextDueInMs() const;
  void Start();
  void Stop();
  WebhookStats stats() const;
  void Reset();  // drops settings, subscriptions and queued events

 private:
  struct Pending {
    nlohmann::ordered_json event;  // without attemptNumber
    int attempt = 0;
    int64_t due_ms = 0;
  };
  void Loop();

  const WebhookOptions options_;
  Clock& clock_;
  Clock& delay_clock_;
  std::unique_ptr<http::Transport> transport_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::optional<WebhookSettings> settings_;
  std::map<int64_t, WebhookSubscription> subscriptions_;
  int64_t next_subscription_id_ = 1;
  int64_t next_event_id_ = 1;
  std::deque<Pending> queue_;
  WebhookStats stats_;
  std::mutex pump_mu_;  // one Pump at a time
  bool running_ = false;
  bool new_events_ = false;
  std::thread thread_;
};

}  // namespace tajo::sandbox::hubspot
