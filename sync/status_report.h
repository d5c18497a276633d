// The status of the HubSpot connection, as `tajo connectors status hubspot` and (later) the
// control API show it. The product document's shape —
//   {"connected": true, "lastSync": "2024-01-15T10:30:00Z", "contactsSynced": 34200,
//    "companiesSynced": 0, "dealsSynced": 0}
// — plus "running" (the run in progress, or null), "lastRun" (the newest finished run's
// summary), "unresolvedErrors" and "recentErrors" (per-record errors, newest first), and "inbox"
// (webhook events waiting for `tajo serve`'s worker, and dead letters).
// Read from the store only: no API call.
//
// Thread-safe as the store is.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "store/state_store.h"

namespace tajo::sync {

// One run as the status and the control API's GET /v1/runs/{id} show it: id, type, state,
// startedAt, finishedAt, counts, calls, error.
nlohmann::json RunJson(const store::SyncRun& run);

// `recent_errors`: how many unresolved per-record errors to include (1..1000).
Result<nlohmann::json> BuildStatus(store::StateStore& store, int recent_errors = 10);

// The same document for people: a few aligned lines.
std::string FormatStatus(const nlohmann::json& status);

}  // namespace tajo::sync
