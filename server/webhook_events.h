// Webhook bodies -> inbox rows: turns the body of an authenticated HubSpot or Brevo webhook
// request into store::InboxEvent values (one per event) with a deduplication key, and describes
// an inbox event in one log line without personal data.
//
// Pure functions; thread-safe. The returned events carry only the fields the parser sets
// (connection, source, dedup_key, event_type, object_type, object_id, occurred_ms, payload);
// the store fills the rest.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/inbox_records.h"

namespace tajo::server {

// HubSpot sends at most this many events in one request (hubspot-api.md §6.3).
inline constexpr size_t kMaxHubSpotEventsPerRequest = 100;

// Parses a HubSpot webhook body: a JSON array of 1..100 event objects. For each event:
//   source "hubspot"; event_type = subscriptionType (the documented alias "eventType" is read
//   when subscriptionType is absent); object_type = the part of it before the first '.';
//   object_id = objectId in decimal; occurred_ms = occurredAt; payload = the element's JSON
//   (keys in the order received); dedup_key = occurredAt (13 hex digits) + the first 32 hex digits of the SHA-256 of a canonical JSON
//   (sorted keys) of the event's identity fields that are present: eventId, portalId,
//   subscriptionType, objectId, objectTypeId, occurredAt, propertyName, propertyValue,
//   changeSource, mergedObjectIds, primaryObjectId, newObjectId, fromObjectId, toObjectId,
//   associationType, associationRemoved, isPrimaryAssociation, messageId. attemptNumber is left
//   out, so a retry of an event gets the key of its first delivery.
// InvalidArgument naming the index and field ("HubSpot webhook: [3].objectId: expected a
// non-negative integer, got a string") when the body is not JSON, not an array, empty or longer
// than 100, an element is not an object, or subscriptionType ("<object>.<event>"), objectId
// (integer) or occurredAt (integer, ms) is missing or ill-typed. The whole body is refused then.
Result<std::vector<store::InboxEvent>> ParseHubSpotWebhook(std::string_view body, std::string_view connection);

// Parses a Brevo webhook body: one event object, or a non-empty JSON array of event objects
// (batched webhooks). For each event: source "brevo"; object_type "brevo_contact"; object_id =
// "email", trimmed and lower-cased (required, non-empty); event_type = "event" (required
// string); occurred_ms from the first present of "ts_event" (seconds), "ts_epoch" (milliseconds;
// a value below 10^11 is taken as seconds, since Brevo's examples show seconds there) and "ts"
// (seconds), else 0; payload = the element's JSON; dedup_key = the event time (13 hex digits) + 32 hex digits of the SHA-256 of the
// element's JSON with sorted keys (Brevo resends the same payload on retry).
// InvalidArgument naming the field (and the index for arrays) otherwise.
Result<std::vector<store::InboxEvent>> ParseBrevoWebhook(std::string_view body, std::string_view connection);

// One line for logs: source, event type, object, time (UTC), the HubSpot property name and
// attempt number when the payload has them, and the start of the dedup key. E-mail addresses
// are masked ("jane@example.com" -> "j***@example.com"); property values are never shown;
// control characters are replaced, long fields shortened.
std::string DescribeInboxEvent(const store::InboxEvent& e);

}  // namespace tajo::server
