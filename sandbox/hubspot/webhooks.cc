#include "sandbox/hubspot/webhooks.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "sandbox/hubspot/object_types.h"
#include "sandbox/hubspot/webhook_signature.h"

namespace tajo::sandbox::hubspot {
namespace {

// The eventType enum of SubscriptionCreateRequest (hubspot_webhooks_v3.json).
const std::set<std::string>& EventTypes() {
  static const std::set<std::string>* types = new std::set<std::string>{
      "company.associationChange", "company.creation", "company.deletion", "company.merge", "company.propertyChange",
      "company.restore", "contact.associationChange", "contact.creation", "contact.deletion", "contact.merge",
      "contact.privacyDeletion", "contact.propertyChange", "contact.restore", "conversation.creation",
      "conversation.deletion", "conversation.newMessage", "conversation.privacyDeletion", "conversation.propertyChange",
      "deal.associationChange", "deal.creation", "deal.deletion", "deal.merge", "deal.propertyChange", "deal.restore",
      "event.completed", "line_item.associationChange", "line_item.creation", "line_item.deletion", "line_item.merge",
      "line_item.propertyChange", "line_item.restore", "object.associationChange", "object.creation",
      "object.deletion", "object.merge", "object.propertyChange", "object.restore", "product.creation",
      "product.deletion", "product.merge", "product.propertyChange", "product.restore", "ticket.associationChange",
      "ticket.creation", "ticket.deletion", "ticket.merge", "ticket.propertyChange", "ticket.restore"};
  return *types;
}

// Webhook object names of the built-in types that have events: contact, company, deal, ticket.
const char* ObjectName(int type_index) {
  switch (type_index) {
    case ObjectTypeRegistry::kContacts: return "contact";
    case ObjectTypeRegistry::kCompanies: return "company";
    case ObjectTypeRegistry::kDeals: return "deal";
    case ObjectTypeRegistry::kTickets: return "ticket";
    default: return nullptr;
  }
}

const char* Action(ChangeEvent::Kind kind) {
  switch (kind) {
    case ChangeEvent::Kind::kCreation: return "creation";
    case ChangeEvent::Kind::kPropertyChange: return "propertyChange";
    case ChangeEvent::Kind::kDeletion: return "deletion";
    case ChangeEvent::Kind::kRestore: return "restore";
    case ChangeEvent::Kind::kMerge: return "merge";
    case ChangeEvent::Kind::kPrivacyDeletion: return "privacyDeletion";
    case ChangeEvent::Kind::kAssociationChange: return "associationChange";
  }
  return "";
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

WebhookEngine::WebhookEngine(WebhookOptions options, Clock& clock, Clock& delay_clock,
                             std::unique_ptr<http::Transport> transport)
    : options_(std::move(options)), clock_(clock), delay_clock_(delay_clock), transport_(std::move(transport)) {}

WebhookEngine::~WebhookEngine() { Stop(); }

std::optional<WebhookSettings> WebhookEngine::GetSettings() const {
  std::lock_guard lock(mu_);
  return settings_;
}

ApiResult<WebhookSettings> WebhookEngine::PutSettings(const std::string& target_url, int max_concurrent,
                                                      const std::string& period) {
  if (target_url.rfind("https://", 0) != 0 && target_url.rfind("http://", 0) != 0)
    return ApiError::Validation("targetUrl must be an http or https URL, got \"" + target_url + "\"");
  if (max_concurrent <= 5)
    return ApiError::Validation("throttling.maxConcurrentRequests must be a number greater than five, got " +
                                std::to_string(max_concurrent));
  if (period != "SECONDLY" && period != "ROLLING_MINUTE")
    return ApiError::Validation("throttling.period must be SECONDLY or ROLLING_MINUTE");
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMillis();
  WebhookSettings s = settings_.value_or(WebhookSettings{});
  if (!settings_) s.created_ms = now;
  s.target_url = target_url;
  s.max_concurrent_requests = max_concurrent;
  s.period = period;
  s.updated_ms = now;
  settings_ = s;
  return s;
}

bool WebhookEngine::DeleteSettings() {
  std::lock_guard lock(mu_);
  bool had = settings_.has_value();
  settings_.reset();
  return had;
}

std::vector<WebhookSubscription> WebhookEngine::Subscriptions() const {
  std::lock_guard lock(mu_);
  std::vector<WebhookSubscription> out;
  for (const auto& [id, s] : subscriptions_) out.push_back(s);
  return out;
}

std::optional<WebhookSubscription> WebhookEngine::Subscription(int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = subscriptions_.find(id);
  if (it == subscriptions_.end()) return std::nullopt;
  return it->second;
}

ApiResult<WebhookSubscription> WebhookEngine::CreateSubscription(const std::string& event_type,
                                                                 const std::string& property_name, bool active) {
  if (!EventTypes().count(event_type)) return ApiError::Validation("eventType \"" + event_type + "\" is not a valid event type");
  bool property_change = event_type.size() > 15 && event_type.substr(event_type.size() - 15) == ".propertyChange";
  if (property_change && property_name.empty())
    return ApiError::Validation("propertyName is required for " + event_type + " subscriptions");
  if (property_name == "hs_lastmodifieddate" || property_name == "num_unique_conversion_events")
    return ApiError::Validation(property_name + " cannot be used for propertyChange subscriptions");
  std::lock_guard lock(mu_);
  if (subscriptions_.size() >= options_.max_subscriptions)
    return ApiError::Validation("Couldn't create another subscription. You've reached the maximum number allowed per "
                                "application (" + std::to_string(options_.max_subscriptions) + ").");
  for (const auto& [id, s] : subscriptions_)
    if (s.event_type == event_type && s.property_name == property_name)
      return ApiError::Conflict("A subscription for " + event_type + (property_name.empty() ? "" : " " + property_name) +
                                " already exists (id " + std::to_string(id) + ")");
  WebhookSubscription s;
  s.id = next_subscription_id_++;
  s.event_type = event_type;
  s.property_name = property_change ? property_name : "";
  s.active = active;
  s.created_ms = s.updated_ms = clock_.NowMillis();
  subscriptions_[s.id] = s;
  return s;
}

std::optional<WebhookSubscription> WebhookEngine::SetActive(int64_t id, bool active) {
  std::lock_guard lock(mu_);
  auto it = subscriptions_.find(id);
  if (it == subscriptions_.end()) return std::nullopt;
  it->second.active = active;
  it->second.updated_ms = clock_.NowMillis();
  return it->second;
}

bool WebhookEngine::DeleteSubscription(int64_t id) {
  std::lock_guard lock(mu_);
  return subscriptions_.erase(id) > 0;
}

void WebhookEngine::OnChange(const ChangeEvent& c) {
  const char* object = ObjectName(c.type_index);
  if (!object) return;
  std::string type = std::string(object) + "." + Action(c.kind);
  std::lock_guard lock(mu_);
  if (!settings_) return;
  bool queued = false;
  for (const auto& [id, s] : subscriptions_) {
    if (!s.active || s.event_type != type) continue;
    if (c.kind == ChangeEvent::Kind::kPropertyChange && s.property_name != c.property_name) continue;
    nlohmann::ordered_json e;
    e["eventId"] = next_event_id_++;
    e["subscriptionId"] = s.id;
    e["portalId"] = options_.portal_id;
    e["appId"] = options_.app_id;
    e["occurredAt"] = c.occurred_ms;
    e["subscriptionType"] = type;
    e["objectId"] = c.object_id;
    e["changeSource"] = c.change_source;
    if (!c.source_id.empty()) e["sourceId"] = c.source_id;
    switch (c.kind) {
      case ChangeEvent::Kind::kCreation: e["changeFlag"] = "NEW"; break;  // the docs example; "CREATED" is also seen
      case ChangeEvent::Kind::kPropertyChange:
        e["propertyName"] = c.property_name;
        e["propertyValue"] = c.property_value;
        break;
      case ChangeEvent::Kind::kMerge:
        e["primaryObjectId"] = c.primary_object_id;
        e["mergedObjectIds"] = c.merged_object_ids;
        e["newObjectId"] = c.new_object_id;
        e["numberOfPropertiesMoved"] = c.number_of_properties_moved;
        break;
      case ChangeEvent::Kind::kAssociationChange: {
        const char* to = ObjectName(c.to_type_index);
        if (!to) continue;
        e["associationType"] = Upper(object) + "_TO_" + Upper(to);
        e["fromObjectId"] = c.object_id;
        e["toObjectId"] = c.to_object_id;
        e["associationRemoved"] = c.association_removed;
        e["isPrimaryAssociation"] = c.is_primary_association;
        break;
      }
      default: break;
    }
    queue_.push_back(Pending{std::move(e), 0, delay_clock_.NowMillis()});
    ++stats_.events_queued;
    queued = true;
  }
  if (queued) {
    new_events_ = true;
    wake_.notify_one();
  }
}

size_t WebhookEngine::Pump() {
  std::lock_guard pump_lock(pump_mu_);
  std::vector<std::vector<Pending>> batches;
  std::string target;
  {
    std::lock_guard lock(mu_);
    if (!settings_ || queue_.empty()) return 0;
    target = settings_->target_url;
    int64_t now = delay_clock_.NowMillis();
    size_t max_requests = static_cast<size_t>(std::max(1, settings_->max_concurrent_requests));
    std::deque<Pending> later;
    while (!queue_.empty()) {
      Pending p = std::move(queue_.front());
      queue_.pop_front();
      if (p.due_ms > now) {
        later.push_back(std::move(p));
        continue;
      }
      // Events of one request share their attempt number, so a retry resends the same group.
      auto it = std::find_if(batches.begin(), batches.end(), [&](const std::vector<Pending>& b) {
        return b.front().attempt == p.attempt && b.size() < options_.max_events_per_request;
      });
      if (it != batches.end()) it->push_back(std::move(p));
      else if (batches.size() < max_requests) batches.push_back({std::move(p)});
      else later.push_back(std::move(p));
    }
    queue_ = std::move(later);
  }
  if (batches.empty()) return 0;
  std::vector<http::ClientRequest> requests;
  for (const auto& batch : batches) {
    nlohmann::ordered_json body = nlohmann::ordered_json::array();
    for (const Pending& p : batch) {
      nlohmann::ordered_json e;
      for (auto it = p.event.begin(); it != p.event.end(); ++it) {
        e[it.key()] = it.value();
        if (it.key() == "subscriptionType") e["attemptNumber"] = p.attempt;
      }
      body.push_back(std::move(e));
    }
    http::ClientRequest req;
    req.method = "POST";
    req.url = target;
    req.body = body.dump();
    req.timeout_ms = options_.timeout_ms;
    req.connect_timeout_ms = std::min(options_.timeout_ms, 5'000);
    std::string timestamp = std::to_string(clock_.NowMillis());
    req.headers.Set("Content-Type", "application/json");
    req.headers.Set("X-HubSpot-Signature-Version", "v1");
    req.headers.Set("X-HubSpot-Signature", SignatureV1(options_.client_secret, req.body));
    req.headers.Set("X-HubSpot-Signature-v3", SignatureV3(options_.client_secret, "POST", target, req.body, timestamp));
    req.headers.Set("X-HubSpot-Request-Timestamp", timestamp);
    requests.push_back(std::move(req));
  }
  std::vector<Result<http::HttpResponse>> results = transport_->SendAll(requests);
  std::lock_guard lock(mu_);
  int64_t now = delay_clock_.NowMillis();
  for (size_t i = 0; i < batches.size(); ++i) {
    ++stats_.requests_sent;
    bool ok = i < results.size() && results[i].ok() && results[i]->status >= 200 && results[i]->status < 300;
    if (ok) {
      stats_.events_delivered += static_cast<int64_t>(batches[i].size());
      continue;
    }
    ++stats_.requests_failed;
    for (Pending& p : batches[i]) {
      if (p.attempt >= options_.max_retries) {
        ++stats_.events_dropped;
        continue;
      }
      int64_t delay = options_.first_retry_delay_ms << std::min(p.attempt, 20);
      p.attempt += 1;
      p.due_ms = now + delay;
      queue_.push_back(std::move(p));
    }
  }
  return batches.size();
}

std::optional<int64_t> WebhookEngine::NextDueInMs() const {
  std::lock_guard lock(mu_);
  if (queue_.empty() || !settings_) return std::nullopt;
  int64_t first = INT64_MAX;
  for (const Pending& p : queue_) first = std::min(first, p.due_ms);
  return std::max<int64_t>(0, first - delay_clock_.NowMillis());
}

void WebhookEngine::Start() {
  std::lock_guard lock(mu_);
  if (running_) return;
  running_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void WebhookEngine::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    running_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookEngine::Loop() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (!running_) return;
      new_events_ = false;
    }
    if (Pump() > 0) continue;
    auto due = NextDueInMs();
    // The delay clock may run faster than real time (--time-scale): wait the scaled remainder
    // in real time, waking early for new events or Stop().
    int64_t wait_ms = due ? std::max<int64_t>(1, *due) : 1000;
    auto wait = std::chrono::microseconds(static_cast<int64_t>(static_cast<double>(wait_ms) * 1000.0 / options_.delay_scale));
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, wait, [&] { return !running_ || new_events_; });
    if (!running_) return;
  }
}

WebhookStats WebhookEngine::stats() const {
  std::lock_guard lock(mu_);
  WebhookStats s = stats_;
  s.pending = queue_.size();
  return s;
}

void WebhookEngine::Reset() {
  std::lock_guard lock(mu_);
  settings_.reset();
  subscriptions_.clear();
  queue_.clear();
  next_subscription_id_ = 1;
  stats_ = WebhookStats{};
}

}  // namespace tajo::sandbox::hubspot
