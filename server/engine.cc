#include "server/engine.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/log.h"
#include "sync/contact_sync.h"
#include "sync/sync_request.h"

namespace tajo::server {

namespace {
using SteadyClock = std::chrono::steady_clock;

sync::WebhookWorkerOptions WorkerOptions(const EngineOptions& o, const std::atomic<bool>* cancel) {
  sync::WebhookWorkerOptions w;
  w.clock = o.clock;
  w.owner = o.owner;
  w.chunk_objects = o.max_objects;
  w.cancel = cancel;
  return w;
}
}  // namespace

Engine::Engine(const Config& config, sync::ConnectorClients& clients, store::StateStore& store, EngineOptions options)
    : config_(config),
      clients_(clients),
      store_(store),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : SystemClock()),
      worker_(config, clients, store, WorkerOptions(options_, &cancel_)) {}

Engine::~Engine() { Stop(); }

void Engine::Start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  stats_.running = true;
  next_scheduled_ = SteadyClock::now() + FirstScheduledIn();
  next_prune_ = SteadyClock::now();
  thread_ = std::thread([this] { Loop(); });
}

void Engine::Stop() {
  std::lock_guard stop_lock(stop_mu_);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cancel_ = true;
  }
  wake_.notify_all();
  job_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  stats_.running = false;
}

void Engine::EventsArrived(const std::vector<store::InboxEvent>& events) {
  if (events.empty()) return;
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    // A new window moves the loop's wake-up time; a full one is due now.
    wake = !first_waiting_;
    if (!first_waiting_) first_waiting_ = SteadyClock::now();
    const size_t before = waiting_objects_.size();
    for (const store::InboxEvent& e : events) waiting_objects_.insert(e.object_type + "/" + e.object_id);
    wake = wake || (before < options_.max_objects && waiting_objects_.size() >= options_.max_objects);
  }
  if (wake) wake_.notify_all();
}

Result<int64_t> Engine::StartSync(const sync::SyncRequest& request, sync::SyncSummary* summary) {
  std::unique_lock lock(mu_);
  if (stopping_ || !started_) return Status::Aborted("tajo is stopping: no new sync is started");
  if (pending_job_ || current_job_) {
    const std::shared_ptr<Job>& other = current_job_ ? current_job_ : pending_job_;
    return Status::FailedPrecondition(
        other->run_id > 0 ? fmt::format("a sync is already running (run {}): wait for it to finish", other->run_id)
                          : std::string("a sync is already starting: wait for it to finish"));
  }
  auto job = std::make_shared<Job>();
  job->request = request;
  pending_job_ = job;
  wake_.notify_all();
  const bool ready = job_cv_.wait_for(lock, std::chrono::milliseconds(options_.start_wait_ms), [&] {
    return job->finished || (job->started && !request.dry_run) || stopping_;
  });
  if (!ready) {
    return Status::DeadlineExceeded(fmt::format(
        "the sync was not recorded within {} s (the engine is busy or the APIs are slow); it will still run: see "
        "GET /v1/connectors/hubspot/status",
        options_.start_wait_ms / 1000));
  }
  if (!job->started && job->finished && !job->status.ok()) return job->status;
  if (!job->started && !job->finished) return Status::Aborted("tajo is stopping: the sync did not start");
  if (summary != nullptr && job->finished) *summary = job->summary;
  return job->run_id;
}

std::optional<sync::SyncProgress> Engine::Progress(int64_t run_id) const {
  std::lock_guard lock(mu_);
  if (progress_ && progress_->run_id == run_id) return progress_;
  return std::nullopt;
}

EngineStats Engine::stats() const {
  std::lock_guard lock(mu_);
  EngineStats s = stats_;
  if (current_job_ && current_job_->run_id > 0) s.sync_run_id = current_job_->run_id;
  return s;
}

void Engine::RunJob(const std::shared_ptr<Job>& job) {
  sync::ContactSyncOptions o;
  o.clock = options_.clock;
  o.cancel = &cancel_;
  sync::ContactSync engine(config_, clients_, store_, o);
  Log().Info("serve", job->scheduled ? "scheduled sync starts" : "sync starts",
             {{"type", std::string(store::SyncTypeName(job->request.type))}});
  auto result = engine.Run(job->request, [&](const sync::SyncProgress& p) {
    std::lock_guard lock(mu_);
    progress_ = p;
    if (p.run_id > 0 && !job->started) {
      job->run_id = p.run_id;
      job->started = true;
      job_cv_.notify_all();
    }
  });
  std::lock_guard lock(mu_);
  job->finished = true;
  job->status = result.status();
  if (result.ok()) {
    job->summary = *result;
    if (job->run_id == 0) job->run_id = result->run_id;
    Log().Info("serve", "sync finished",
               {{"run", std::to_string(result->run_id)},
                {"created", std::to_string(result->counts.created)},
                {"updated", std::to_string(result->counts.updated)},
                {"deleted", std::to_string(result->counts.deleted)}});
  } else {
    Log().Error("serve", "sync failed", {{"run", std::to_string(job->run_id)}, {"error", result.status().message()}});
  }
  progress_.reset();
  job_cv_.notify_all();
}

void Engine::RunWorker() {
  while (true) {
    auto pass = worker_.RunOnce();
    std::lock_guard lock(mu_);
    if (!pass.ok()) {
      stats_.last_error = pass.status().ToString();
      stats_.last_error_micros = clock_.NowMicros();
      Log().Error("worker", "the inbox could not be processed", {{"error", pass.status().message()}});
      return;
    }
    if (pass->claimed == 0) return;
    ++stats_.passes;
    stats_.events_applied += pass->applied;
    stats_.events_ignored += pass->ignored;
    stats_.events_retried += pass->retried;
    stats_.events_dead += pass->dead;
    // A pass that took everything it could may have left more behind: go on unless stopping.
    if (stopping_ || pass->claimed < sync::WebhookWorkerOptions{}.claim_limit) return;
  }
}

std::chrono::microseconds Engine::FirstScheduledIn() {
  // The schedule survives restarts: the next sync is one interval after the last one started
  // (a webhook pass is not a sync), or now when that time has passed.
  const auto interval = std::chrono::duration_cast<std::chrono::microseconds>(options_.schedule_interval);
  store::RunQuery q;
  q.connection = sync::kConnectionName;
  q.limit = 200;
  auto runs = store_.ListRuns(q);
  if (!runs.ok()) return interval;
  for (const store::SyncRun& r : *runs) {
    if (r.type == store::SyncType::kWebhook) continue;
    const int64_t due = r.started_micros + interval.count() - clock_.NowMicros();
    return std::chrono::microseconds(std::clamp<int64_t>(due, 0, interval.count()));
  }
  return interval;
}

void Engine::PruneInbox() {
  const int64_t before = clock_.NowMicros() - options_.keep_done_micros;
  auto pruned = store_.PruneInbox(sync::kConnectionName, before);
  if (!pruned.ok()) {
    Log().Warn("serve", "old inbox events could not be pruned", {{"error", pruned.status().message()}});
  } else if (*pruned > 0) {
    Log().Debug("serve", "pruned applied inbox events", {{"events", std::to_string(*pruned)}});
  }
}

void Engine::Loop() {
  const auto window = std::chrono::milliseconds(options_.window_ms);
  const auto poll = std::chrono::milliseconds(options_.poll_ms);
  const bool scheduled = options_.schedule_interval.count() > 0;
  std::unique_lock lock(mu_);
  auto last_poll = SteadyClock::now();
  while (!stopping_) {
    const auto now = SteadyClock::now();
    if (pending_job_) {
      current_job_ = std::move(pending_job_);
      pending_job_.reset();
      std::shared_ptr<Job> job = current_job_;
      lock.unlock();
      RunJob(job);
      lock.lock();
      current_job_.reset();
      continue;
    }
    const bool window_due =
        first_waiting_ && (now >= *first_waiting_ + window || waiting_objects_.size() >= options_.max_objects);
    if (window_due || now >= last_poll + poll) {
      waiting_objects_.clear();
      first_waiting_.reset();
      last_poll = now;
      lock.unlock();
      RunWorker();
      lock.lock();
      continue;
    }
    if (now >= next_prune_) {
      next_prune_ = now + std::chrono::hours(1);
      lock.unlock();
      PruneInbox();
      lock.lock();
      continue;
    }
    if (scheduled && now >= next_scheduled_) {
      next_scheduled_ = now + options_.schedule_interval;
      auto job = std::make_shared<Job>();
      job->scheduled = true;
      auto req = sync::ParseSyncRequest(sync::SyncRequestText{}, "");
      if (req.ok()) {
        job->request = *req;
        if (Status s = sync::ChooseSyncType(sync::SyncRequestText{}, store_, job->request); !s.ok()) {
          Log().Error("serve", "scheduled sync not started", {{"error", s.message()}});
          continue;
        }
        ++stats_.scheduled_runs;
        current_job_ = job;
        lock.unlock();
        RunJob(job);
        lock.lock();
        current_job_.reset();
      }
      continue;
    }
    auto wake_at = last_poll + poll;
    if (first_waiting_) wake_at = std::min(wake_at, *first_waiting_ + window);
    if (scheduled) wake_at = std::min(wake_at, next_scheduled_);
    wake_.wait_until(lock, wake_at);
  }
}

}  // namespace tajo::server
