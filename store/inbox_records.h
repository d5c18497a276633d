// Inbox records: the webhook events `tajo serve` received and must apply (the durable inbox), the
// ones that failed too often (the dead-letter queue: the same rows in state kDead), and leases
// (one owner of a piece of work at a time, across processes).
//
// Engine-neutral plain values, like store/records.h: safe to copy and to pass between threads.
// Times are Unix microseconds read from the store's clock unless a field says otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tajo::store {

enum class InboxState {
  kPending,  // waiting to be applied (or to be retried at next_attempt_micros)
  kDone,     // applied; kept for a while so a redelivery of it is recognised as a duplicate
  kDead,     // failed max_attempts times: in the dead-letter queue until replayed or dropped
};

// One webhook event. The (connection, dedup_key) pair is unique: enqueueing an event whose key is
// already there (in any state) adds nothing.
struct InboxEvent {
  int64_t id = 0;             // set by the store; ids only grow (arrival order)
  std::string connection{};   // REQUIRES an existing connection, e.g. "hubspot"
  std::string source{};       // who sent it: "hubspot" | "brevo"
  std::string dedup_key{};    // the event's identity (e.g. a hash of its identity fields); REQUIRES non-empty
  std::string event_type{};   // e.g. "contact.propertyChange", "unsubscribed"
  std::string object_type{};  // e.g. "contact", "company", "deal", "brevo_contact"
  std::string object_id{};    // HubSpot object id, or the email for Brevo events; REQUIRES non-empty
  int64_t occurred_ms = 0;    // when the change happened, Unix milliseconds (the event's own time)
  std::string payload{};      // the one event, as JSON text (redacted of nothing: no secrets in it)
  InboxState state = InboxState::kPending;
  int attempts = 0;                  // failed attempts so far
  std::string last_error{};          // why the last attempt failed (no secrets)
  int64_t received_micros = 0;       // set by the store
  int64_t next_attempt_micros = 0;   // not before this time (0 = at once)
  std::string claimed_by{};          // the worker holding it, "" when free
  int64_t claim_until_micros = 0;    // the claim lapses after this time
  std::optional<int64_t> finished_micros{};  // set when it became kDone or kDead

  bool operator==(const InboxEvent&) const = default;
};

// What the inbox holds for a connection right now.
struct InboxCounts {
  int64_t pending = 0;
  int64_t dead = 0;
  int64_t done = 0;
  std::optional<int64_t> oldest_pending_received_micros{};

  bool operator==(const InboxCounts&) const = default;
};

// Which events ListInbox returns: those of `connection` with id > after_id (pass the last id of a
// page to get the next), in ascending id order.
struct InboxQuery {
  std::string connection{};
  std::optional<InboxState> state{};  // any state when unset
  int64_t after_id = 0;
  int limit = 100;  // REQUIRES 1..10000
};

// A lease: `owner` holds `name` until `until_micros` (then anyone may take it).
struct Lease {
  std::string name{};
  std::string owner{};
  int64_t until_micros = 0;
  int64_t acquired_micros = 0;  // set by the store

  bool operator==(const Lease&) const = default;
};

std::string_view InboxStateName(InboxState s);  // "pending" | "done" | "dead"
std::optional<InboxState> ParseInboxState(std::string_view name);

}  // namespace tajo::store
