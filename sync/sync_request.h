// Sync requests as people and programs write them — `tajo connectors sync` flags and the control
// API's POST /v1/connectors/hubspot/sync body — turned into a SyncRequest, with one set of rules
// and messages for both.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "store/state_store.h"
#include "sync/sync_types.h"

namespace tajo::sync {

struct SyncRequestText {
  std::string type;                    // full | incremental; "" = full the first time, then incremental
  std::string resources = "contacts";  // comma-separated
  std::string direction;               // "" = hubspot_to_brevo
  std::string since;                   // YYYY-MM-DD or ISO-8601; "" = none
  bool dry_run = false;
};

// Checks and converts `text`. Fails with kInvalidArgument naming the option as `prefix` + name
// ("--type" for the CLI, "type" for the API) and the value. The type is left kFull when
// `text.type` is empty: see ChooseSyncType.
Result<SyncRequest> ParseSyncRequest(const SyncRequestText& text, std::string_view prefix);

// Sets `request.type` when `text.type` is empty: full when contacts were never synced (no
// incremental cursor), else incremental.
Status ChooseSyncType(const SyncRequestText& text, store::StoreReader& store, SyncRequest& request);

}  // namespace tajo::sync
