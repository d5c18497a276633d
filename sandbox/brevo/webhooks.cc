#include "sandbox/brevo/webhooks.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/crypto.h"
#include "core/log.h"
#include "core/redact.h"
#include "http/message.h"
#include "sandbox/common/time_format.h"

namespace tajo::sandbox::brevo {
namespace {

const std::set<std::string>& AllowedEvents(const std::string& type, const std::string& channel) {
  static const std::set<std::string> transactional = {"sent", "request", "delivered", "hardBounce", "softBounce",
                                                      "blocked", "spam", "invalid", "deferred", "click", "opened",
                                                      "uniqueOpened", "unsubscribed"};
  static const std::set<std::string> marketing = {"spam", "opened", "click", "hardBounce", "softBounce", "unsubscribed",
                                                  "listAddition", "delivered", "contactUpdated", "contactDeleted"};
  static const std::set<std::string> inbound = {"inboundEmailProcessed", "reply"};
  static const std::set<std::string> sms_transactional = {"accepted", "delivered", "softBounce", "hardBounce", "unsubscribe",
                                                          "reply", "subscribe", "sent", "blacklisted", "skip"};
  static const std::set<std::string> sms_marketing = {"sent", "delivered", "softBounce", "hardBounce", "unsubscribe",
                                                      "reply", "subscribe", "skip"};
  if (type == "inbound") return inbound;
  if (channel == "sms") return type == "marketing" ? sms_marketing : sms_transactional;
  return type == "marketing" ? marketing : transactional;
}

// The subscription name (camelCase) an account event is delivered under.
const char* SubscriptionOf(AccountEvent::Kind k) {
  switch (k) {
    case AccountEvent::Kind::kContactUpdated: return "contactUpdated";
    case AccountEvent::Kind::kContactDeleted: return "contactDeleted";
    case AccountEvent::Kind::kListAddition: return "listAddition";
    case AccountEvent::Kind::kUnsubscribed: return "unsubscribed";
    case AccountEvent::Kind::kOpened: return "opened";
    case AccountEvent::Kind::kClick: return "click";
    case AccountEvent::Kind::kHardBounce: return "hardBounce";
    case AccountEvent::Kind::kSoftBounce: return "softBounce";
    case AccountEvent::Kind::kSpam: return "spam";
    case AccountEvent::Kind::kDelivered: return "delivered";
  }
  return "";
}

// Splits "https://user:pass@host/p" into the URL without credentials and "user:pass".
std::pair<std::string, std::string> SplitUserInfo(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return {url, ""};
  size_t host_start = scheme + 3;
  size_t path = url.find_first_of("/?#", host_start);
  std::string authority = url.substr(host_start, path == std::string::npos ? std::string::npos : path - host_start);
  size_t at = authority.rfind('@');
  if (at == std::string::npos) return {url, ""};
  std::string userinfo = authority.substr(0, at);
  size_t colon = userinfo.find(':');
  std::string user = http::UrlDecode(userinfo.substr(0, colon));
  std::string pass = colon == std::string::npos ? "" : http::UrlDecode(userinfo.substr(colon + 1));
  std::string stripped = url.substr(0, host_start) + authority.substr(at + 1) + (path == std::string::npos ? "" : url.substr(path));
  return {stripped, user + ":" + pass};
}

}  // namespace

std::string FormatLocalDate(int64_t unix_ms, int offset_minutes) {
  std::string iso = FormatIsoMillis(unix_ms + int64_t{offset_minutes} * 60'000);  // 2024-01-17T19:55:04.281Z
  return iso.substr(0, 10) + " " + iso.substr(11, 8);
}

std::string FormatCetDate(int64_t unix_ms) {
  // CEST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
  int64_t year = std::stoll(FormatIsoDate(unix_ms).substr(0, 4));
  auto last_sunday_ms = [&](unsigned month) {
    int64_t days = DaysFromCivil(year, month, 31);
    int64_t weekday = ((days % 7) + 11) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
    return (days - weekday) * 86'400'000 + 3'600'000;
  };
  bool summer = unix_ms >= last_sunday_ms(3) && unix_ms < last_sunday_ms(10);
  return FormatLocalDate(unix_ms, summer ? 120 : 60);
}

WebhookService::WebhookService(Clock& clock, std::string account_key) : clock_(clock), account_key_(std::move(account_key)) {}

ApiResult<Done> WebhookService::Validate(Webhook& w, const nlohmann::json& body, bool create) const {
  if (!body.is_object()) return ApiError::Invalid("The request body must be a JSON object");
  auto str = [&](const char* key, std::string* out) -> std::optional<ApiError> {
    if (!body.contains(key) || body[key].is_null()) return std::nullopt;
    if (!body[key].is_string()) return ApiError::Invalid(std::string(key) + " must be a string");
    *out = body[key].get<std::string>();
    return std::nullopt;
  };
  for (auto [key, slot] : {std::pair{"url", &w.url}, std::pair{"description", &w.description}, std::pair{"domain", &w.domain}})
    if (auto e = str(key, slot)) return *e;
  if (create) {
    if (auto e = str("type", &w.type)) return *e;
    if (auto e = str("channel", &w.channel)) return *e;
  }
  if (w.url.empty()) return ApiError::Missing("url is required");
  if (w.url.rfind("http://", 0) != 0 && w.url.rfind("https://", 0) != 0)
    return ApiError::Invalid("url must be an http:// or https:// URL");
  if (w.type != "transactional" && w.type != "marketing" && w.type != "inbound")
    return ApiError::Invalid("type must be transactional, marketing or inbound");
  if (w.channel != "email" && w.channel != "sms") return ApiError::Invalid("channel must be email or sms");
  if (body.contains("events") && !body["events"].is_null()) {
    if (!body["events"].is_array()) return ApiError::Invalid("events must be an array");
    std::vector<std::string> events;
    const auto& allowed = AllowedEvents(w.type, w.channel);
    for (const auto& e : body["events"]) {
      if (!e.is_string() || !allowed.count(e.get<std::string>()))
        return ApiError::Invalid("events: \"" + (e.is_string() ? e.get<std::string>() : e.dump()) + "\" is not an event of " +
                                 w.type + " " + w.channel + " webhooks");
      if (std::find(events.begin(), events.end(), e.get<std::string>()) == events.end()) events.push_back(e.get<std::string>());
    }
    w.events = std::move(events);
  }
  if (w.type == "inbound") {
    if (w.events.empty()) w.events = {"inboundEmailProcessed"};
    if (w.domain.empty()) return ApiError::Missing("domain is required for inbound webhooks");
  } else if (w.events.empty()) {
    return ApiError::Missing("events is required");
  }
  if (body.contains("batched") && !body["batched"].is_null()) {
    if (!body["batched"].is_boolean()) return ApiError::Invalid("batched must be a boolean");
    w.batched = body["batched"].get<bool>();
  }
  if (body.contains("auth") && !body["auth"].is_null()) {
    const auto& a = body["auth"];
    if (!a.is_object() || !a.contains("type") || !a["type"].is_string() || !a.contains("token") || !a["token"].is_string())
      return ApiError::Invalid("auth must be {\"type\": \"bearer\", \"token\": \"...\"}");
    w.auth = a;
  }
  if (body.contains("headers") && !body["headers"].is_null()) {
    const auto& h = body["headers"];
    if (!h.is_array()) return ApiError::Invalid("headers must be an array of {key, value}");
    for (const auto& item : h)
      if (!item.is_object() || !item.contains("key") || !item["key"].is_string() || item["key"].get<std::string>().empty() ||
          !item.contains("value") || !item["value"].is_string())
        return ApiError::Invalid("headers must be an array of {key, value} strings");
    w.headers = h;
  }
  return Done{};
}

nlohmann::json WebhookService::JsonOf(const Webhook& w) const {
  nlohmann::json j = {{"id", w.id},
                      {"url", w.url},
                      {"description", w.description},
                      {"events", w.events},
                      {"type", w.type},
                      {"channel", w.channel},
                      {"createdAt", FormatIsoMillis(w.created_ms)},
                      {"modifiedAt", FormatIsoMillis(w.modified_ms)},
                      {"batched", w.batched}};
  if (!w.auth.is_null()) j["auth"] = w.auth;
  if (!w.headers.is_null()) j["headers"] = w.headers;
  if (!w.domain.empty()) j["domain"] = w.domain;
  return j;
}

ApiResult<int64_t> WebhookService::Create(const nlohmann::json& body) {
  std::lock_guard lock(mu_);
  if (webhooks_.size() >= kMaxWebhooks)
    return ApiError::Invalid("An account can have at most " + std::to_string(kMaxWebhooks) + " webhooks");
  Webhook w;
  auto valid = Validate(w, body, true);
  if (!valid.ok()) return valid.error();
  w.id = next_id_++;
  w.created_ms = w.modified_ms = clock_.NowMillis();
  if (w.auth.is_object()) RegisterSecret(w.auth["token"].get<std::string>());
  int64_t id = w.id;
  webhooks_[id] = std::move(w);
  return id;
}

ApiResult<nlohmann::json> WebhookService::Get(int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = webhooks_.find(id);
  if (it == webhooks_.end()) return ApiError::NotFound("Webhook not found");
  return JsonOf(it->second);
}

ApiResult<nlohmann::json> WebhookService::List(const std::string& type, bool descending) const {
  if (type != "transactional" && type != "marketing" && type != "inbound")
    return ApiError::Invalid("type must be transactional, marketing or inbound");
  std::lock_guard lock(mu_);
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& [id, w] : webhooks_)
    if (w.type == type) arr.push_back(JsonOf(w));
  if (descending) std::reverse(arr.begin(), arr.end());
  return nlohmann::json{{"webhooks", std::move(arr)}};
}

ApiResult<Done> WebhookService::Update(int64_t id, const nlohmann::json& body) {
  std::lock_guard lock(mu_);
  auto it = webhooks_.find(id);
  if (it == webhooks_.end()) return ApiError::NotFound("Webhook not found");
  Webhook w = it->second;
  auto valid = Validate(w, body, false);
  if (!valid.ok()) return valid.error();
  w.modified_ms = clock_.NowMillis();
  if (w.auth.is_object()) RegisterSecret(w.auth["token"].get<std::string>());
  it->second = std::move(w);
  return Done{};
}

ApiResult<Done> WebhookService::Delete(int64_t id) {
  std::lock_guard lock(mu_);
  if (!webhooks_.erase(id)) return ApiError::NotFound("Webhook not found");
  return Done{};
}

nlohmann::json WebhookService::Payload(const AccountEvent& e, int64_t webhook_id, int offset) const {
  const int64_t ts = e.at_ms / 1000;
  nlohmann::json p = {{"id", webhook_id}, {"email", e.email}};
  switch (e.kind) {
    case AccountEvent::Kind::kContactUpdated:
    case AccountEvent::Kind::kContactDeleted:
    case AccountEvent::Kind::kListAddition:
      p["event"] = AccountEventName(e.kind);
      p["key"] = account_key_;
      p["date"] = FormatCetDate(e.at_ms);
      p["ts"] = ts;
      // The reference's example of `content` is not valid JSON; the sandbox sends an array
      // holding one object of the changed attributes (UNCONFIRMED).
      if (e.kind == AccountEvent::Kind::kContactUpdated) p["content"] = nlohmann::json::array({e.content});
      if (e.kind != AccountEvent::Kind::kContactUpdated) p["list_id"] = e.list_ids;
      if (e.kind != AccountEvent::Kind::kContactDeleted) p["api_key_name"] = e.api_key_name;
      return p;
    default:
      break;
  }
  const int64_t sent_ms = e.at_ms - 3'600'000;  // the campaign went out an hour before the event
  p["camp_id"] = e.campaign_id;
  p["campaign name"] = e.campaign_name;
  p["date_sent"] = FormatLocalDate(sent_ms, offset);
  p["date_event"] = FormatLocalDate(e.at_ms, offset);
  p["tag"] = "";
  p["ts_sent"] = sent_ms / 1000;
  p["ts_event"] = ts;
  p["ts"] = ts;
  switch (e.kind) {
    case AccountEvent::Kind::kSpam: p["event"] = "spam"; p["reason"] = e.reason; break;
    case AccountEvent::Kind::kOpened: p["event"] = "opened"; break;
    case AccountEvent::Kind::kClick: p["event"] = "click"; p["URL"] = e.url; break;
    // The 2020 documentation's marketing examples say hard_bounced / soft_bounced (UNCONFIRMED today).
    case AccountEvent::Kind::kHardBounce: p["event"] = "hard_bounced"; p["reason"] = e.reason; p["sending_ip"] = "185.41.28.109"; break;
    case AccountEvent::Kind::kSoftBounce: p["event"] = "soft_bounced"; p["reason"] = e.reason; p["sending_ip"] = "185.41.28.109"; break;
    case AccountEvent::Kind::kDelivered: p["event"] = "delivered"; p["sending_ip"] = "185.41.28.109"; break;
    case AccountEvent::Kind::kUnsubscribed: p["event"] = "unsubscribed"; p["sending_ip"] = "185.41.28.109"; p["list_id"] = e.list_ids; break;
    default: break;
  }
  return p;
}

WebhookService::Delivery WebhookService::Prepare(const Webhook& w) {
  Delivery d;
  d.webhook_id = w.id;
  auto [url, userinfo] = SplitUserInfo(w.url);
  d.url = url;
  d.batched = w.batched;
  d.headers.Set("Content-Type", "application/json");
  if (!userinfo.empty()) d.headers.Set("Authorization", "Basic " + Base64Encode(userinfo));
  if (w.auth.is_object()) d.headers.Set("Authorization", "Bearer " + w.auth["token"].get<std::string>());
  if (w.headers.is_array())
    for (const auto& h : w.headers) d.headers.Set(h["key"].get<std::string>(), h["value"].get<std::string>());
  return d;
}

void WebhookService::Enqueue(const std::vector<AccountEvent>& events, int utc_offset_minutes) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMillis();
  for (const AccountEvent& e : events) {
    const std::string subscription = SubscriptionOf(e.kind);
    for (const auto& [id, w] : webhooks_) {
      if (w.type != "marketing" || w.channel != "email") continue;
      if (std::find(w.events.begin(), w.events.end(), subscription) == w.events.end()) continue;
      nlohmann::json payload = Payload(e, id, utc_offset_minutes);
      if (w.batched) {
        auto open = std::find_if(queue_.begin(), queue_.end(),
                                 [&](const Delivery& d) { return d.webhook_id == id && d.attempt == 0; });
        if (open != queue_.end()) {
          open->payloads.push_back(std::move(payload));
          continue;
        }
      }
      Delivery d = Prepare(w);
      d.payloads.push_back(std::move(payload));
      d.due_ms = now;
      queue_.push_back(std::move(d));
    }
  }
  stats_.pending = static_cast<int64_t>(queue_.size());
}

int WebhookService::Pump(http::Transport& transport) {
  std::vector<Delivery> due;
  int timeout_ms;
  {
    std::lock_guard lock(mu_);
    const int64_t now = clock_.NowMillis();
    for (auto it = queue_.begin(); it != queue_.end();) {
      if (it->due_ms <= now) {
        due.push_back(std::move(*it));
        it = queue_.erase(it);
      } else {
        ++it;
      }
    }
    timeout_ms = timeout_ms_;
  }
  std::vector<Delivery> again;
  WebhookStats delta;
  for (Delivery& d : due) {
    http::ClientRequest req;
    req.method = "POST";
    req.url = d.url;
    req.headers = d.headers;
    req.body = d.batched ? nlohmann::json(d.payloads).dump() : d.payloads.front().dump();
    req.timeout_ms = timeout_ms;
    auto result = transport.Send(req);
    ++d.attempt;
    ++delta.attempts;
    bool retry = false;
    if (result.ok()) {
      int status = result->status;
      if (status >= 200 && status < 300) {
        ++delta.delivered;
        continue;
      }
      retry = status == 429;
    } else {
      // Timeouts and unreachable endpoints are retried; a request that cannot be made is not.
      retry = result.status().code() == StatusCode::kDeadlineExceeded || result.status().code() == StatusCode::kUnavailable;
    }
    if (retry && d.attempt <= static_cast<int>(std::size(kWebhookRetryDelaysMs))) {
      ++delta.retried;
      again.push_back(std::move(d));
    } else {
      ++delta.dropped;
      Log().Debug("sandbox.brevo", "webhook delivery dropped",
                  {{"url", Redact(d.url)}, {"attempts", std::to_string(d.attempt)},
                   {"result", result.ok() ? std::to_string(result->status) : result.status().message()}});
    }
  }
  std::lock_guard lock(mu_);
  // The clock is read after sending: the delay counts from the failure, not from the queue.
  const int64_t now = clock_.NowMillis();
  for (Delivery& d : again) {
    d.due_ms = now + kWebhookRetryDelaysMs[d.attempt - 1];
    queue_.push_back(std::move(d));
  }
  stats_.delivered += delta.delivered;
  stats_.retried += delta.retried;
  stats_.dropped += delta.dropped;
  stats_.attempts += delta.attempts;
  stats_.pending = static_cast<int64_t>(queue_.size());
  return static_cast<int>(delta.attempts);
}

WebhookStats WebhookService::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void WebhookService::set_timeout_ms(int ms) {
  std::lock_guard lock(mu_);
  timeout_ms_ = ms;
}

void WebhookService::Reset() {
  std::lock_guard lock(mu_);
  webhooks_.clear();
  queue_.clear();
  next_id_ = 1;
  stats_ = WebhookStats{};
}

}  // namespace tajo::sandbox::brevo
