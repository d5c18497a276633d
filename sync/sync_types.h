// The vocabulary of one sync run: what was asked (SyncRequest), how far it is (SyncProgress) and
// what it did (SyncSummary). Shared by the engine, the CLI and (later) the control API.
//
// Plain values; safe to copy and to pass between threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/sync_direction.h"
#include "store/records.h"

namespace tajo::sync {

// The store's name of the one HubSpot connection a configuration describes.
inline constexpr const char* kConnectionName = "hubspot";
inline constexpr const char* kContacts = "contacts";
// The store lease `tajo serve` holds while it works on the connection (one per store).
inline constexpr const char* kServeLeaseName = "serve/hubspot";

struct SyncRequest {
  store::SyncType type = store::SyncType::kFull;
  std::vector<std::string> resources{kContacts};
  SyncDirection direction = SyncDirection::kHubSpotToBrevo;
  // --since: only records modified at or after this time (Unix milliseconds, UTC).
  std::optional<int64_t> since_millis{};
  // Write nothing (neither Brevo nor the store); report what would change.
  bool dry_run = false;
};

// Reported after every page and every write batch.
struct SyncProgress {
  std::string phase;        // "preparing", "reading Brevo", "syncing", "deletions", "finishing"
  int64_t run_id = 0;       // the run recorded in the store, once it is (0 before, and in a dry run)
  int64_t done = 0;         // HubSpot records processed
  int64_t total = -1;       // records expected, -1 when unknown
  int64_t hubspot_calls = 0;
  int64_t brevo_calls = 0;
};
using ProgressFn = std::function<void(const SyncProgress&)>;

// One change a dry run would make.
struct PlannedChange {
  std::string action;  // "create" | "update" | "delete" | "blocklist" | "unlink" | "create attribute" | "create list"
  std::string target;  // an email, an attribute or a list name
  std::string detail;  // e.g. "FIRSTNAME: \"Ana\" -> \"Anna\"; lists +11 -12"
};

struct SyncSummary {
  int64_t run_id = 0;  // 0 for a dry run (nothing is recorded)
  store::SyncType type = store::SyncType::kFull;
  bool resumed = false;  // the run continued an interrupted one
  store::RunCounts counts;
  std::map<std::string, int64_t> skipped_by_reason;  // e.g. missing_email -> 12
  std::map<std::string, int64_t> issues_by_reason;   // field issues of records that still synced
  int64_t hubspot_calls = 0;
  int64_t brevo_calls = 0;
  int64_t rate_limited = 0;  // 429 responses received, both services
  int64_t duration_micros = 0;
  std::vector<PlannedChange> planned;  // dry run only (the first kMaxPlanned)
  int64_t planned_total = 0;           // dry run: every change, also those not listed
};

inline constexpr size_t kMaxPlanned = 200;

}  // namespace tajo::sync
