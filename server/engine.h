// Engine: the one thread of `tajo serve` that changes Brevo and the store. It runs, one at a time:
//   - the webhook worker (sync/webhook_worker.h), once events have waited `window_ms` or events of
//     `max_objects` objects wait, and every `poll_ms` for retries that came due;
//   - the syncs the control API asks for (StartSync);
//   - the scheduled incremental sync every `schedule_interval` (full the first time), a safety
//     net for events HubSpot never delivered; the first one comes an interval after the last sync
//     recorded in the store (at once when that is past), so restarts do not push it back;
//   - hourly, the pruning of applied events older than `keep_done_micros`.
// Serializing them keeps one writer per connection, as the engine requires; events received
// during a long sync wait in the durable inbox and are applied after it.
//
// Stop() stops taking work, cancels a running sync at its next page (it is recorded cancelled
// and the next run continues from its checkpoint), lets the worker pass in progress finish, and
// joins the thread.
//
// Thread-safe: every public method may be called from any thread (the HTTP handlers do).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "store/inbox_records.h"
#include "store/state_store.h"
#include "sync/connector_clients.h"
#include "sync/sync_types.h"
#include "sync/webhook_worker.h"

namespace tajo::server {

struct EngineOptions {
  Clock* clock = nullptr;         // nullptr = SystemClock(); stamps and the worker's retry times
  std::string owner = "tajo";     // inbox claims
  int64_t window_ms = 1000;       // from server.worker
  size_t max_objects = 100;
  int64_t poll_ms = 1000;         // how often due retries are looked for when nothing arrives
  std::chrono::seconds schedule_interval{15 * 60};  // 0 = no scheduled sync
  int64_t start_wait_ms = 60'000; // StartSync's longest wait for the run to be recorded
  // Applied events are kept this long (their dedup keys recognise redeliveries: HubSpot retries
  // for about 17 hours), then pruned hourly.
  int64_t keep_done_micros = 72LL * 3600 * 1'000'000;
};

struct EngineStats {
  bool running = false;           // the thread is alive
  int64_t passes = 0;             // worker passes that claimed something
  int64_t events_applied = 0;
  int64_t events_ignored = 0;
  int64_t events_retried = 0;
  int64_t events_dead = 0;
  int64_t scheduled_runs = 0;
  int64_t last_error_micros = 0;  // when the engine last failed on the store
  std::string last_error;
  std::optional<int64_t> sync_run_id;  // the sync running now
};

class Engine {
 public:
  // Every argument must outlive the engine.
  Engine(const Config& config, sync::ConnectorClients& clients, store::StateStore& store, EngineOptions options);
  ~Engine();  // Stop()
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void Start();
  void Stop();

  // Tells the engine these events are in the inbox (after they were saved).
  void EventsArrived(const std::vector<store::InboxEvent>& events);

  // Runs `request` on the engine thread. Returns the run id once the run is recorded (a dry run:
  // once it finished, with id 0 and the summary in `summary`). kFailedPrecondition when a sync
  // is already running or queued (the message names it); kAborted when stopping; the sync's own
  // error when it fails before it is recorded (a bad mapping, a refused request);
  // kDeadlineExceeded when it was not recorded within start_wait_ms (it still runs).
  Result<int64_t> StartSync(const sync::SyncRequest& request, sync::SyncSummary* summary = nullptr);

  // The latest progress of run `run_id` while it runs.
  std::optional<sync::SyncProgress> Progress(int64_t run_id) const;

  EngineStats stats() const;

 private:
  struct Job {
    sync::SyncRequest request;
    bool scheduled = false;
    int64_t run_id = 0;
    bool started = false;
    bool finished = false;
    Status status;
    sync::SyncSummary summary;
  };
  void Loop();
  void RunJob(const std::shared_ptr<Job>& job);
  void RunWorker();
  // How long after start-up the first scheduled sync comes.
  std::chrono::microseconds FirstScheduledIn();
  void PruneInbox();

  const Config& config_;
  sync::ConnectorClients& clients_;
  store::StateStore& store_;
  EngineOptions options_;
  Clock& clock_;
  sync::WebhookWorker worker_;

  std::mutex stop_mu_;               // one Stop() at a time (the lease's thread may call it too)
  mutable std::mutex mu_;
  std::condition_variable wake_;     // the loop waits on it
  std::condition_variable job_cv_;   // StartSync waits on it
  bool started_ = false;
  bool stopping_ = false;
  std::atomic<bool> cancel_{false};
  std::shared_ptr<Job> pending_job_;
  std::shared_ptr<Job> current_job_;
  std::optional<sync::SyncProgress> progress_;
  std::unordered_set<std::string> waiting_objects_;  // objects of events since the last pass
  std::optional<std::chrono::steady_clock::time_point> first_waiting_;
  std::chrono::steady_clock::time_point next_scheduled_;
  std::chrono::steady_clock::time_point next_prune_;
  EngineStats stats_;
  std::thread thread_;
};

}  // namespace tajo::server
