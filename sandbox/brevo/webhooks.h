// WebhookService: Brevo's outbound webhooks (reference §7) — the management API's registry
// (POST/GET/PUT/DELETE /webhooks; types transactional, marketing, inbound; bearer `auth`, custom
// `headers`, basic auth in the URL) and the delivery of marketing events with Brevo's payloads
// and retry policy:
//   - one JSON POST per event (a JSON array of the due events when the webhook is `batched`);
//   - a timeout, an unreachable endpoint or a 429 is retried after 10 min, 1 h, 2 h, 8 h
//     (4 retries, 5 attempts), on the clock given (the sandbox's --time-scale clock);
//   - any other 4xx and any 5xx drop the event; a 2xx delivers it.
// Brevo signs nothing: authentication is the URL's user:password (sent as Basic), the bearer
// token (sent as "Authorization: Bearer <token>"; the header format is UNCONFIRMED) and the
// custom headers.
//
// Events are queued by Enqueue (the Account's listener) and sent by Pump, which the sandbox calls
// from its background thread and tests call after moving a ManualClock.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "http/client.h"
#include "sandbox/brevo/account.h"
#include "sandbox/brevo/api_error.h"

namespace tajo::sandbox::brevo {

inline constexpr size_t kMaxWebhooks = 40;  // per account (reference §7.1)
// Delays before the 1st..4th retry (reference §7.6).
inline constexpr int64_t kWebhookRetryDelaysMs[] = {10 * 60'000, 60 * 60'000, 2 * 60 * 60'000, 8 * 60 * 60'000};

struct WebhookStats {
  int64_t delivered = 0;  // 2xx
  int64_t retried = 0;    // attempts that will be tried again
  int64_t dropped = 0;    // 4xx other than 429, 5xx, or retries exhausted
  int64_t pending = 0;    // queued now
  int64_t attempts = 0;
};

class WebhookService {
 public:
  // `clock` times retries; `time_text` formats "date"/"date_event" values. `account_key` is the
  // payloads' "key".
  WebhookService(Clock& clock, std::string account_key);
  WebhookService(const WebhookService&) = delete;
  WebhookService& operator=(const WebhookService&) = delete;

  // Management (reference §7.1). Bodies are createWebhook / updateWebhook.
  ApiResult<int64_t> Create(const nlohmann::json& body);
  ApiResult<nlohmann::json> Get(int64_t id) const;
  // {"webhooks": [...]} of `type` ("transactional" by default), by creation (desc unless asc).
  ApiResult<nlohmann::json> List(const std::string& type, bool descending) const;
  ApiResult<Done> Update(int64_t id, const nlohmann::json& body);
  ApiResult<Done> Delete(int64_t id);

  // Queues one delivery per marketing webhook subscribed to each event.
  // `utc_offset_minutes` is the account's time zone for date_sent / date_event.
  void Enqueue(const std::vector<AccountEvent>& events, int utc_offset_minutes);
  // Sends every delivery due now through `transport` (blocking), reschedules or drops failures.
  // Returns the number of HTTP attempts made.
  int Pump(http::Transport& transport);
  WebhookStats stats() const;
  void set_timeout_ms(int ms);
  void Reset();

  // The payload of `e` for webhook `webhook_id` (exposed for tests).
  nlohmann::json Payload(const AccountEvent& e, int64_t webhook_id, int utc_offset_minutes) const;

 private:
  struct Webhook {
    int64_t id = 0;
    std::string url, description, type = "transactional", channel = "email", domain;
    std::vector<std::string> events;
    bool batched = false;
    nlohmann::json auth;     // null or {"type","token"}
    nlohmann::json headers;  // null or [{"key","value"}]
    int64_t created_ms = 0, modified_ms = 0;
  };
  struct Delivery {
    int64_t webhook_id = 0;
    std::string url;
    http::Headers headers;
    std::vector<nlohmann::json> payloads;
    bool batched = false;
    int attempt = 0;  // attempts made
    int64_t due_ms = 0;
  };
  ApiResult<Done> Validate(Webhook& w, const nlohmann::json& body, bool create) const;
  nlohmann::json JsonOf(const Webhook& w) const;
  static Delivery Prepare(const Webhook& w);

  Clock& clock_;
  std::string account_key_;
  mutable std::mutex mu_;
  std::map<int64_t, Webhook> webhooks_;
  int64_t next_id_ = 1;
  std::deque<Delivery> queue_;
  WebhookStats stats_;
  int timeout_ms_ = 10'000;
};

// "YYYY-MM-DD HH:MM:SS" in CET/CEST (the reference's time zone for contact events' `date`).
std::string FormatCetDate(int64_t unix_ms);
// "YYYY-MM-DD HH:MM:SS" at a fixed UTC offset.
std::string FormatLocalDate(int64_t unix_ms, int offset_minutes);

}  // namespace tajo::sandbox::brevo
