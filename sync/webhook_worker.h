// WebhookWorker: applies the webhook events `tajo serve` put in the inbox, through the same engine
// as the sync (ContactRun: same mapping, lists, diff against the snapshot, batched writes).
//
// One pass (RunOnce):
//   1. claims the due events (up to `claim_limit`, lowest id first) for `owner`;
//   2. folds them per object in occurredAt order (sync/webhook_fold.h);
//   3. merges first (the link moves to the survivor; the merged-away Brevo contact is cleaned up
//      when the survivor has its own link) and privacy deletions (a Brevo delete whatever
//      on_delete says); then for every 100 contacts (companies' and deals' contacts found with
//      one association batch read per 100): one batch read of their current state,
//      ContactRun::Add for those HubSpot has, on_delete for those it no longer has, and a Flush;
//      the last Flush's store transaction also marks the pass's events done — an event is done
//      exactly when its effects are saved;
//   4. a pass that fails is retried later with exponential backoff (retry_base, doubled, capped
//      at retry_max); after max_attempts its events go to the dead-letter queue with the reason.
//      Events that failed before are applied one object at a time (a pass each), so a poison
//      event ends in the dead-letter queue alone, not with the events it first shared a pass with.
// Every pass that does something is recorded as a run of type "webhook" with its counts and calls.
//
// The mapping, the lists and the Brevo attributes are read once and again every
// `setup_ttl_micros` (and after a failed pass), not on every pass.
//
// Not thread-safe: one thread calls RunOnce; nothing else may sync the same store at the same
// time (tajo serve serializes the worker, the scheduler and the control API's runs).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "store/state_store.h"
#include "sync/connector_clients.h"
#include "sync/contact_setup.h"

namespace tajo::sync {

struct WebhookWorkerOptions {
  Clock* clock = nullptr;                  // nullptr = SystemClock()
  std::string owner = "worker";            // the claim owner (unique per process)
  int claim_limit = 2000;                  // events claimed per pass
  int64_t claim_ttl_micros = 600'000'000;  // a claim of a crashed worker lapses after this
  int64_t setup_ttl_micros = 600'000'000;  // mapping/lists re-read after this
  size_t direct_create_max = 20;           // new contacts per chunk created one by one (else an import)
  size_t chunk_objects = 100;              // contacts read (one batch read) and written per chunk
  // When set and true, a pass stops after its current chunk (its events stay claimed, and are
  // applied after the next start). Must outlive the worker.
  const std::atomic<bool>* cancel = nullptr;
  int64_t import_wait_micros = 600'000'000;
};

struct WorkerPass {
  int64_t claimed = 0;    // events claimed
  int64_t applied = 0;    // events marked done after their effects were saved
  int64_t ignored = 0;    // events marked done that change nothing tajo syncs
  int64_t retried = 0;    // events put back for a later attempt
  int64_t dead = 0;       // events moved to the dead-letter queue
  int64_t contacts = 0;   // contacts read and applied
  int64_t run_id = 0;     // the "webhook" run recorded, 0 when nothing was claimed
};

class WebhookWorker {
 public:
  // Every argument must outlive the worker.
  WebhookWorker(const Config& config, ConnectorClients& clients, store::StateStore& store,
                WebhookWorkerOptions options = {});
  WebhookWorker(const WebhookWorker&) = delete;
  WebhookWorker& operator=(const WebhookWorker&) = delete;

  // One pass over the due events. Fails only when the store fails (API failures are retried per
  // event, as above).
  Result<WorkerPass> RunOnce();

 private:
  struct Setup;
  // Applies `events` (claimed) as one pass: folds, reads, writes, marks done or retries.
  // Fails only when the store fails.
  Status Apply(const std::vector<store::InboxEvent>& events, WorkerPass& pass);
  Status EnsureSetup();
  Status Fail(const std::vector<store::InboxEvent>& events, const Status& why, WorkerPass& pass);

  const Config& config_;
  ConnectorClients& clients_;
  store::StateStore& store_;
  WebhookWorkerOptions options_;
  Clock& clock_;
  std::shared_ptr<Setup> setup_;
  int64_t setup_at_ = 0;
};

}  // namespace tajo::sync
