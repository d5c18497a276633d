// ContactSync: the HubSpot -> Brevo contact sync, full and incremental — the main job.
//
//   prepare      read HubSpot's contact properties, Brevo's attributes and lists; resolve the field
//                mapping and the managed lists; create missing attributes and lists (or stop
//                before writing anything, naming what is missing).
//   full         page every HubSpot contact with the list API (100 a page, only the properties
//                the mapping and the list rules need) against an index of the Brevo account read
//                once (1,000 a page): unchanged contacts cost nothing, new ones go in imports,
//                changed ones in batch updates with their list changes.
//   incremental  HubSpot search on lastmodifieddate >= (cursor - lookback), ascending, 200 a page;
//                every page re-anchors on the last timestamp read (skipping the records of that
//                same millisecond already read), so no query ever pages towards the 10,000-result
//                cap and more than 10,000 changes all arrive. Changes are found against the
//                snapshot of what tajo last wrote.
//   deletions    before the contacts of either kind of run, a pass over archived contacts
//                applies on_delete to those that have a link (so an email freed by a deletion is
//                free by the time the contacts are read).
//
// Writes are buffered up to `flush_contacts` and then sent; the links, snapshots, per-record
// errors, counts and the checkpoint (where to read next, which imports are pending) are saved in
// one store transaction right after. A run killed at any point is found still "running" by the
// next run of the same type, which resumes from its checkpoint: the records read since the last
// flush are read again and written again — harmless, since every write is an upsert keyed by
// email. Nothing is lost and nothing duplicated.
//
// Not thread-safe: one Run() at a time per store (two tajo processes syncing the same store at
// once are not prevented yet).
#pragma once

#include <atomic>
#include <cstdint>

#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "store/state_store.h"
#include "sync/connector_clients.h"
#include "sync/sync_types.h"

namespace tajo::sync {

struct ContactSyncOptions {
  Clock* clock = nullptr;                      // nullptr = SystemClock()
  int64_t flush_contacts = 20000;              // contacts buffered before writing
  int64_t lookback_micros = 120'000'000;       // incremental: re-read this far before the cursor
  int64_t import_wait_micros = 600'000'000;    // longest wait for Brevo import processes
  // When set and true, the run stops at the next page with kAborted (recorded as cancelled; the
  // next run of the same type continues from its last checkpoint). Must outlive the runs.
  const std::atomic<bool>* cancel = nullptr;
};

class ContactSync {
 public:
  // Every argument must outlive the ContactSync.
  ContactSync(const Config& config, ConnectorClients& clients, store::StateStore& store,
              ContactSyncOptions options = {});
  ContactSync(const ContactSync&) = delete;
  ContactSync& operator=(const ContactSync&) = delete;

  // Runs (or resumes) a sync. Fails with kInvalidArgument for a request this version cannot do
  // (a resource other than contacts, a direction other than hubspot_to_brevo), with
  // kFailedPrecondition when the mapping or the lists are wrong (nothing written), or with the
  // API / store error that stopped the run (the run is recorded as failed and resumes next time).
  Result<SyncSummary> Run(const SyncRequest& request, const ProgressFn& progress = {});

 private:
  const Config& config_;
  ConnectorClients& clients_;
  store::StateStore& store_;
  ContactSyncOptions options_;
  Clock& clock_;
};

}  // namespace tajo::sync
