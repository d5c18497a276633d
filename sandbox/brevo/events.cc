#include "sandbox/brevo/events.h"

#include <cctype>

#include "sandbox/common/time_format.h"

namespace tajo::sandbox::brevo {
namespace {

bool ValidName(const std::string& s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

// Keys at every level of event_properties follow the event-name rules.
std::optional<std::string> BadKey(const nlohmann::json& j) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (!ValidName(k)) return k;
      if (auto bad = BadKey(v)) return bad;
    }
  } else if (j.is_array()) {
    for (const auto& v : j)
      if (auto bad = BadKey(v)) return bad;
  }
  return std::nullopt;
}

}  // namespace

ApiResult<Done> ValidateEventBody(const nlohmann::json& body) {
  if (!body.is_object()) return ApiError::Invalid("The request body must be a JSON object");
  if (!body.contains("event_name") || body["event_name"].is_null()) return ApiError::Missing("event_name is required");
  if (!body["event_name"].is_string() || !ValidName(body["event_name"].get<std::string>()))
    return ApiError::Invalid("event_name must be 1 to 255 characters: letters, digits, '-' and '_'");
  if (!body.contains("identifiers") || !body["identifiers"].is_object() || body["identifiers"].empty())
    return ApiError::Missing("identifiers is required with at least one identifier");
  bool any = false;
  for (const char* key : {"email_id", "ext_id", "phone_id", "whatsapp_id", "landline_number_id", "contact_id"}) {
    if (!body["identifiers"].contains(key)) continue;
    const auto& v = body["identifiers"][key];
    if (!(v.is_string() || (std::string(key) == "contact_id" && v.is_number_integer())))
      return ApiError::Invalid(std::string("identifiers.") + key + " must be a " +
                               (std::string(key) == "contact_id" ? "number" : "string"));
    any = true;
  }
  if (!any) return ApiError::Missing("identifiers needs one of email_id, ext_id, phone_id, whatsapp_id, landline_number_id, contact_id");
  if (body.contains("event_date") && !body["event_date"].is_null()) {
    if (!body["event_date"].is_string() || !ParseIsoMillis(body["event_date"].get<std::string>()))
      return ApiError::Invalid("event_date must be an ISO-8601 date-time such as 2024-01-24T17:39:57+01:00");
  }
  for (const char* key : {"contact_properties", "event_properties"})
    if (body.contains(key) && !body[key].is_null() && !body[key].is_object())
      return ApiError::Invalid(std::string(key) + " must be an object");
  if (body.contains("contact_properties") && body["contact_properties"].is_object()) {
    for (const auto& [k, v] : body["contact_properties"].items())
      if (!(v.is_string() || v.is_number() || v.is_boolean() || v.is_null()))
        return ApiError::Invalid("contact_properties." + k + " must be a string, a number or a boolean");
  }
  if (body.contains("event_properties") && body["event_properties"].is_object()) {
    if (body["event_properties"].dump().size() > 50 * 1024)
      return ApiError::Invalid("event_properties is larger than the 50 KB allowed");
    if (auto bad = BadKey(body["event_properties"]))
      return ApiError::Invalid("event_properties key \"" + *bad + "\" must be 1 to 255 characters: letters, digits, '-' and '_'");
  }
  return Done{};
}

void EventStore::Add(StoredEvent e) {
  std::lock_guard lock(mu_);
  events_.push_back(std::move(e));
  while (events_.size() > capacity_) events_.pop_front();
}

nlohmann::json EventStore::Query(const EventQuery& q, const std::function<std::string(int64_t)>& format_time) const {
  std::lock_guard lock(mu_);
  nlohmann::json arr = nlohmann::json::array();
  size_t count = 0;
  for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
    const StoredEvent& e = *it;
    if (q.contact_id && e.contact_id != *q.contact_id) continue;
    if (q.event_name && e.event_name != *q.event_name) continue;
    if (q.start_ms && e.event_date_ms < *q.start_ms) continue;
    if (q.end_ms && e.event_date_ms > *q.end_ms) continue;
    if (count++ < q.offset || arr.size() >= q.limit) continue;
    nlohmann::json j = {{"contact_id", e.contact_id}, {"event_name", e.event_name}, {"event_date", format_time(e.event_date_ms)}};
    if (!e.object_type.empty()) j["object_type"] = e.object_type;
    if (e.event_properties.is_object()) j["event_properties"] = e.event_properties;
    if (e.contact_properties.is_object()) j["contact_properties"] = e.contact_properties;
    arr.push_back(std::move(j));
  }
  return {{"events", std::move(arr)}, {"count", count}};
}

size_t EventStore::size() const {
  std::lock_guard lock(mu_);
  return events_.size();
}

void EventStore::Reset() {
  std::lock_guard lock(mu_);
  events_.clear();
}

}  // namespace tajo::sandbox::brevo
