// EventStore: custom events posted to POST /v3/events (reference §6.1), kept so GET /v3/events
// can read them back and tests can see what a sync sent.
//
// Thread-safe. Holds at most `capacity` events (the oldest go first).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/brevo/api_error.h"

namespace tajo::sandbox::brevo {

struct StoredEvent {
  int64_t contact_id = 0;
  std::string event_name;
  int64_t event_date_ms = 0;
  nlohmann::json event_properties;    // object or null
  nlohmann::json contact_properties;  // object or null
  std::string object_type;            // "" when none
};

struct EventQuery {
  std::optional<int64_t> contact_id;
  std::optional<std::string> event_name;
  std::optional<int64_t> start_ms, end_ms;  // inclusive
  size_t limit = 100;
  size_t offset = 0;
};

// Validates a createEvent body: event_name (1..255 of [A-Za-z0-9_-]), identifiers (object, at
// least one of email_id, ext_id, phone_id, whatsapp_id, landline_number_id, contact_id),
// event_date (ISO-8601, optional), contact_properties / event_properties objects (event
// properties at most 50 KB, keys of [A-Za-z0-9_-] up to 255). 400 naming the field.
ApiResult<Done> ValidateEventBody(const nlohmann::json& body);

class EventStore {
 public:
  explicit EventStore(size_t capacity = 1'000'000) : capacity_(capacity) {}
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  void Add(StoredEvent e);
  // {"events": [{contact_id, event_date, event_name, object_type?, event_properties?,
  //  contact_properties?}], "count": N} newest first. `format_time` writes event_date.
  nlohmann::json Query(const EventQuery& q, const std::function<std::string(int64_t)>& format_time) const;
  size_t size() const;
  void Reset();

 private:
  mutable std::mutex mu_;
  std::deque<StoredEvent> events_;
  size_t capacity_;
};

}  // namespace tajo::sandbox::brevo
