// Records: the plain values the state store reads and writes (connections, links, snapshots,
// cursors, sync runs, per-record errors), and the names their enums have on disk.
//
// These are engine-neutral: nothing here knows about SQL. Times are Unix microseconds (UTC) read
// from the store's injected Clock; the store sets every *_micros field itself and ignores the
// values a caller puts there.
//
// Plain values: safe to copy and to pass between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sync_direction.h"

namespace tajo::store {

// ---- connections -------------------------------------------------------------------------------

enum class ConnectionStatus { kDisconnected, kConnected, kError };

// One configured account, e.g. name "hubspot", kind "hubspot".
struct Connection {
  std::string name{};  // unique key, e.g. "hubspot"; REQUIRES non-empty
  std::string kind{};  // connector kind, e.g. "hubspot" or "brevo"; REQUIRES non-empty
  ConnectionStatus status = ConnectionStatus::kDisconnected;
  std::string status_detail{};       // why it is in `status`, e.g. "token refresh: 401"
  std::string settings_json = "{}";  // opaque to the store; REQUIRES valid JSON
  // Opaque bytes the caller seals (encrypts) before handing them over; the store never looks
  // inside. Never log or print this field.
  std::string sealed_secrets{};
  int64_t created_micros = 0;  // set by the store
  int64_t updated_micros = 0;  // set by the store

  bool operator==(const Connection&) const = default;
};

// ---- links and snapshots -----------------------------------------------------------------------

// A HubSpot contact paired with its Brevo contact, inside one connection.
struct Link {
  std::string connection{};  // REQUIRES an existing connection
  std::string hubspot_id{};  // HubSpot record id (key of the link)
  // Brevo contact id; unknown until Brevo reports it (contact imports are asynchronous).
  // At most one link per connection holds a given Brevo id.
  std::optional<int64_t> brevo_id{};
  // The identity email as last synced. The store compares it byte for byte: the caller
  // normalizes it (trimmed, lower case) before writing and before looking up.
  std::string email{};
  int64_t created_micros = 0;  // set by the store
  int64_t updated_micros = 0;  // set by the store

  bool operator==(const Link&) const = default;
};

// The last synced value of one mapped field, on each side. nullopt means "no value"
// (distinct from an empty string).
struct SnapshotValue {
  std::optional<std::string> hubspot{};
  std::optional<std::string> brevo{};

  bool operator==(const SnapshotValue&) const = default;
};

// Mapped field name (e.g. "firstname") -> last synced values of one link.
using Snapshot = std::map<std::string, SnapshotValue>;

// ---- cursors -----------------------------------------------------------------------------------

// Where an incremental read stopped, e.g. (hubspot, contacts, incremental) -> "1700000000000".
struct Cursor {
  std::string connection{};
  std::string resource{};      // e.g. "contacts"
  std::string kind{};          // e.g. "incremental", "archived", "brevo_modified_since"
  std::string value{};         // opaque to the store
  int64_t updated_micros = 0;  // set by the store

  bool operator==(const Cursor&) const = default;
};

// ---- sync runs ---------------------------------------------------------------------------------

enum class SyncType {
  kFull,         // every record read again
  kIncremental,  // records changed since the last cursor
  kWebhook,      // a batch of webhook events applied by `tajo serve`'s worker (store/inbox_records.h)
};
using ::tajo::SyncDirection;  // core/sync_direction.h
enum class RunState { kRunning, kSucceeded, kFailed, kCancelled };

// What one run did to the records of one resource.
struct RunCounts {
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t skipped = 0;
  int64_t failed = 0;
  int64_t deleted = 0;

  RunCounts& operator+=(const RunCounts& o);
  bool operator==(const RunCounts&) const = default;
};

// What a caller gives to start a run.
struct RunStart {
  std::string connection{};  // REQUIRES an existing connection
  SyncType type = SyncType::kIncremental;
  std::vector<std::string> resources{};  // e.g. {"contacts", "companies"}
  SyncDirection direction = SyncDirection::kBidirectional;
};

struct SyncRun {
  int64_t id = 0;
  std::string connection{};
  SyncType type = SyncType::kIncremental;
  std::vector<std::string> resources{};
  SyncDirection direction = SyncDirection::kBidirectional;
  RunState state = RunState::kRunning;
  int64_t started_micros = 0;
  std::optional<int64_t> finished_micros{};   // set when the run leaves kRunning
  std::map<std::string, RunCounts> counts{};  // per resource
  std::map<std::string, int64_t> calls{};     // API calls per service, e.g. "hubspot" -> 42
  std::string error{};                        // why it failed or was cancelled
  std::string checkpoint{};  // opaque resume point saved by the engine; empty = none

  // Sum of `counts` over every resource.
  RunCounts TotalCounts() const;
  bool operator==(const SyncRun&) const = default;
};

// Which runs ListRuns returns, newest first.
struct RunQuery {
  std::string connection{};
  std::optional<RunState> state{};  // any state when unset
  int limit = 20;                   // REQUIRES 1..1000
};

// ---- per-record errors -------------------------------------------------------------------------

// A record that could not be synced. One row per (connection, resource, record_id): reporting the
// same record again updates it. A resolved error that is reported again starts a new episode
// (first_seen and attempts restart).
struct RecordError {
  std::string connection{};
  std::string resource{};   // e.g. "contacts"
  std::string record_id{};  // HubSpot id, or the email when there is no id
  std::string reason{};     // stable snake_case code, e.g. "missing_email"
  std::string message{};    // human text; REQUIRES no secrets in it
  int64_t first_seen_micros = 0;
  int64_t last_seen_micros = 0;
  int64_t attempts = 0;
  std::optional<int64_t> resolved_micros{};  // set once the record synced

  bool resolved() const { return resolved_micros.has_value(); }
  bool operator==(const RecordError&) const = default;
};

// Which errors ListRecordErrors returns, most recently seen first.
struct RecordErrorQuery {
  std::string connection{};
  std::optional<std::string> resource{};  // every resource when unset
  bool include_resolved = false;
  int limit = 100;  // REQUIRES 1..10000
};

// ---- names on disk (and in the CLI) -------------------------------------------------------------
// Each Parse* returns nullopt for an unknown name.

std::string_view ConnectionStatusName(
    ConnectionStatus s);  // "disconnected" | "connected" | "error"
std::optional<ConnectionStatus> ParseConnectionStatus(std::string_view name);
std::string_view SyncTypeName(SyncType t);  // "full" | "incremental" | "webhook"
std::optional<SyncType> ParseSyncType(std::string_view name);
// "bidirectional" | "hubspot_to_brevo" | "brevo_to_hubspot" (the config's `direction` values)
using ::tajo::ParseSyncDirection;  // core/sync_direction.h
using ::tajo::SyncDirectionName;
std::string_view RunStateName(RunState s);  // "running" | "succeeded" | "failed" | "cancelled"
std::optional<RunState> ParseRunState(std::string_view name);

}  // namespace tajo::store
