#include "server/webhook_events.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/crypto.h"

namespace tajo::server {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Fields that tell two HubSpot events apart; attemptNumber (and delivery metadata such as
// subscriptionId, appId, changeFlag, sourceId) is deliberately not among them.
constexpr const char* kHubSpotIdentityFields[] = {
    "eventId",          "portalId",        "subscriptionType", "objectId",          "objectTypeId",
    "occurredAt",       "propertyName",    "propertyValue",    "changeSource",      "mergedObjectIds",
    "primaryObjectId",  "newObjectId",     "fromObjectId",     "toObjectId",        "associationType",
    "associationRemoved", "isPrimaryAssociation", "messageId",
};

// Domain separation: a HubSpot and a Brevo event never share a key, and a change of the
// canonical form can be told apart by bumping the prefix.
constexpr std::string_view kHubSpotKeyPrefix = "tajo-hubspot-event-v1\n";
constexpr std::string_view kBrevoKeyPrefix = "tajo-brevo-event-v1\n";

// The dedup key: the event's time (13 hex digits of ms) then 32 hex digits (128 bits) of the
// SHA-256 of its canonical form. Leading with the time keeps the store's unique index growing at
// its end (events arrive roughly in time order) instead of touching a random page per event.
std::string TimeOrderedKey(int64_t occurred_ms, const std::string& canonical) {
  return fmt::format("{:013x}", static_cast<uint64_t>(std::max<int64_t>(occurred_ms, 0))) +
         HexLower(Sha256(canonical)).substr(0, 32);
}

std::string Dump(const ordered_json& v) { return v.dump(-1, ' ', false, ordered_json::error_handler_t::replace); }

// The same value with sorted object keys (nlohmann::json keeps objects in a std::map).
json Sorted(const ordered_json& v) { return json::parse(Dump(v)); }

// A wrong value described by its type only: a body's strings may be personal data.
std::string Describe(const ordered_json& v) {
  if (v.is_null()) return "null";
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return fmt::format("a string of {} bytes", v.get_ref<const std::string&>().size());
  std::string s = Dump(v);
  return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

std::string Index(size_t i) { return fmt::format("[{}]", i); }
std::string Field(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

Status Missing(std::string_view source, const std::string& path) {
  return Status::InvalidArgument(fmt::format("{}: {}: missing", source, path));
}
Status Wrong(std::string_view source, const std::string& path, std::string_view expected, const ordered_json& got) {
  return Status::InvalidArgument(fmt::format("{}: {}: expected {}, got {}", source, path, expected, Describe(got)));
}

// A present, non-null member, or nullptr.
const ordered_json* Member(const ordered_json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<int64_t> NonNegativeInteger(const ordered_json& v) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) {
    const int64_t n = v.get<int64_t>();
    if (n < 0) return std::nullopt;
    return n;
  }
  return std::nullopt;
}

Result<ordered_json> ParseBody(std::string_view source, std::string_view body) {
  ordered_json doc = ordered_json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Status::InvalidArgument(fmt::format("{}: the body is not JSON ({} bytes)", source, body.size()));
  }
  return doc;
}

Result<store::InboxEvent> HubSpotEvent(const ordered_json& e, size_t i, std::string_view connection) {
  constexpr std::string_view kSource = "HubSpot webhook";
  const std::string path = Index(i);
  if (!e.is_object()) return Wrong(kSource, path, "an event object", e);

  const char* type_key = "subscriptionType";
  const ordered_json* type = Member(e, type_key);
  if (type == nullptr) {
    type_key = "eventType";  // the name HubSpot's docs table uses for the same field
    type = Member(e, type_key);
  }
  if (type == nullptr) return Missing(kSource, Field(path, "subscriptionType"));
  if (!type->is_string()) return Wrong(kSource, Field(path, type_key), "a string like \"contact.creation\"", *type);
  const std::string& event_type = type->get_ref<const std::string&>();
  const size_t dot = event_type.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == event_type.size()) {
    return Status::InvalidArgument(fmt::format("{}: {}: expected \"<object>.<event>\", got \"{}\"", kSource,
                                               Field(path, type_key), event_type.substr(0, 60)));
  }

  const ordered_json* object_id = Member(e, "objectId");
  if (object_id == nullptr) return Missing(kSource, Field(path, "objectId"));
  const std::optional<int64_t> id = NonNegativeInteger(*object_id);
  if (!id) return Wrong(kSource, Field(path, "objectId"), "a non-negative integer", *object_id);

  const ordered_json* occurred = Member(e, "occurredAt");
  if (occurred == nullptr) return Missing(kSource, Field(path, "occurredAt"));
  const std::optional<int64_t> occurred_ms = NonNegativeInteger(*occurred);
  if (!occurred_ms) return Wrong(kSource, Field(path, "occurredAt"), "milliseconds since 1970 (an integer)", *occurred);

  json identity = json::object();
  for (const char* key : kHubSpotIdentityFields) {
    if (const ordered_json* v = Member(e, key)) identity[key] = Sorted(*v);
  }
  if (std::string_view(type_key) != "subscriptionType") identity["subscriptionType"] = event_type;

  store::InboxEvent out;
  out.connection = std::string(connection);
  out.source = "hubspot";
  out.dedup_key = TimeOrderedKey(*occurred_ms, std::string(kHubSpotKeyPrefix) + identity.dump());
  out.event_type = event_type;
  out.object_type = event_type.substr(0, dot);
  out.object_id = std::to_string(*id);
  out.occurred_ms = *occurred_ms;
  out.payload = Dump(e);
  return out;
}

std::string TrimLower(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A Brevo time field: an integer, a string of digits or a number (truncated).
std::optional<int64_t> BrevoTime(const ordered_json& v) {
  if (auto n = NonNegativeInteger(v)) return n;
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d >= 0 && d < 9.2e18) return static_cast<int64_t>(d);
    return std::nullopt;
  }
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > 18) return std::nullopt;
    int64_t n = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return n;
  }
  return std::nullopt;
}

Result<store::InboxEvent> BrevoEvent(const ordered_json& e, const std::string& path, std::string_view connection) {
  constexpr std::string_view kSource = "Brevo webhook";
  if (!e.is_object()) return Wrong(kSource, path.empty() ? "body" : path, "an event object", e);

  const ordered_json* email = Member(e, "email");
  if (email == nullptr) return Missing(kSource, Field(path, "email"));
  if (!email->is_string()) return Wrong(kSource, Field(path, "email"), "a string", *email);
  std::string object_id = TrimLower(email->get_ref<const std::string&>());
  if (object_id.empty()) return Status::InvalidArgument(fmt::format("{}: {}: empty", kSource, Field(path, "email")));

  const ordered_json* event = Member(e, "event");
  if (event == nullptr) return Missing(kSource, Field(path, "event"));
  if (!event->is_string() || event->get_ref<const std::string&>().empty()) {
    return Wrong(kSource, Field(path, "event"), "a non-empty string", *event);
  }

  int64_t occurred_ms = 0;
  struct TimeField {
    const char* key;
    int64_t ms_per_unit;
  };
  for (const TimeField& f : {TimeField{"ts_event", 1000}, TimeField{"ts_epoch", 1}, TimeField{"ts", 1000}}) {
    const ordered_json* v = Member(e, f.key);
    if (v == nullptr) continue;
    std::optional<int64_t> t = BrevoTime(*v);
    if (!t || *t > INT64_MAX / 1000) return Wrong(kSource, Field(path, f.key), "a Unix time (an integer)", *v);
    int64_t per_unit = f.ms_per_unit;
    if (per_unit == 1 && *t < 100'000'000'000) per_unit = 1000;  // ts_epoch sent in seconds
    occurred_ms = *t * per_unit;
    break;
  }

  store::InboxEvent out;
  out.connection = std::string(connection);
  out.source = "brevo";
  out.dedup_key = TimeOrderedKey(occurred_ms, std::string(kBrevoKeyPrefix) + Sorted(e).dump());
  out.event_type = event->get<std::string>();
  out.object_type = "brevo_contact";
  out.object_id = std::move(object_id);
  out.occurred_ms = occurred_ms;
  out.payload = Dump(e);
  return out;
}

// Printable, single-line, at most `max` bytes (cut on a UTF-8 boundary).
std::string Clean(std::string_view s, size_t max = 80) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "...";
  }
  return out;
}

std::string MaskEmail(std::string_view s) {
  const size_t at = s.rfind('@');
  if (at == std::string_view::npos) return "***";
  std::string first;
  if (at > 0) {
    // The first character, whole even when it is several UTF-8 bytes.
    size_t n = 1;
    while (n < at && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
    first = std::string(s.substr(0, n));
  }
  return Clean(first + "***@" + std::string(s.substr(at + 1)));
}

std::string FormatTime(int64_t ms) {
  constexpr int64_t kYear10000 = 253'402'300'800'000;
  if (ms <= 0 || ms >= kYear10000) return fmt::format("{}ms", ms);
  using namespace std::chrono;
  const sys_time<milliseconds> tp{milliseconds{ms}};
  const sys_days day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{tp - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

}  // namespace

Result<std::vector<store::InboxEvent>> ParseHubSpotWebhook(std::string_view body, std::string_view connection) {
  constexpr std::string_view kSource = "HubSpot webhook";
  Result<ordered_json> doc = ParseBody(kSource, body);
  if (!doc.ok()) return doc.status();
  if (!doc->is_array()) return Wrong(kSource, "body", "an array of events", *doc);
  if (doc->empty()) return Status::InvalidArgument(fmt::format("{}: body: the event array is empty", kSource));
  if (doc->size() > kMaxHubSpotEventsPerRequest) {
    return Status::InvalidArgument(fmt::format("{}: body: {} events, more than the {} HubSpot sends in one request",
                                               kSource, doc->size(), kMaxHubSpotEventsPerRequest));
  }
  std::vector<store::InboxEvent> events;
  events.reserve(doc->size());
  for (size_t i = 0; i < doc->size(); ++i) {
    Result<store::InboxEvent> e = HubSpotEvent((*doc)[i], i, connection);
    if (!e.ok()) return e.status();
    events.push_back(std::move(e).value());
  }
  return events;
}

Result<std::vector<store::InboxEvent>> ParseBrevoWebhook(std::string_view body, std::string_view connection) {
  constexpr std::string_view kSource = "Brevo webhook";
  Result<ordered_json> doc = ParseBody(kSource, body);
  if (!doc.ok()) return doc.status();
  std::vector<store::InboxEvent> events;
  if (doc->is_object()) {
    Result<store::InboxEvent> e = BrevoEvent(*doc, "", connection);
    if (!e.ok()) return e.status();
    events.push_back(std::move(e).value());
    return events;
  }
  if (!doc->is_array()) return Wrong(kSource, "body", "an event object or an array of events", *doc);
  if (doc->empty()) return Status::InvalidArgument(fmt::format("{}: body: the event array is empty", kSource));
  events.reserve(doc->size());
  for (size_t i = 0; i < doc->size(); ++i) {
    Result<store::InboxEvent> e = BrevoEvent((*doc)[i], Index(i), connection);
    if (!e.ok()) return e.status();
    events.push_back(std::move(e).value());
  }
  return events;
}

std::string DescribeInboxEvent(const store::InboxEvent& e) {
  const bool email_like = e.source == "brevo" || e.object_id.find('@') != std::string::npos;
  std::string line = fmt::format("{} {} {} {} occurred={}", Clean(e.source, 20), Clean(e.event_type, 60),
                                 Clean(e.object_type, 40), email_like ? MaskEmail(e.object_id) : Clean(e.object_id, 40),
                                 FormatTime(e.occurred_ms));
  if (e.source == "hubspot") {
    const ordered_json p = ordered_json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
    if (p.is_object()) {
      if (const ordered_json* name = Member(p, "propertyName"); name && name->is_string()) {
        line += " property=" + Clean(name->get_ref<const std::string&>(), 60);
      }
      if (const ordered_json* attempt = Member(p, "attemptNumber"); attempt && attempt->is_number_integer()) {
        line += fmt::format(" attempt={}", attempt->get<int64_t>());
      }
    }
  }
  line += fmt::format(" connection={} key={}", Clean(e.connection, 40), Clean(e.dedup_key.size() > 13 ? e.dedup_key.substr(13, 12) : e.dedup_key, 12));
  return line;
}

}  // namespace tajo::server
