#include "sync/webhook_worker.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/log.h"
#include "sync/contact_run.h"
#include "sync/webhook_fold.h"

namespace tajo::sync {

struct WebhookWorker::Setup {
  FieldMappingPlan plan;
  ContactTargets targets;
};

namespace {

std::vector<int64_t> IdsOf(const std::vector<store::InboxEvent>& events) {
  std::vector<int64_t> ids;
  for (const store::InboxEvent& e : events) ids.push_back(e.id);
  return ids;
}

}  // namespace

WebhookWorker::WebhookWorker(const Config& config, ConnectorClients& clients, store::StateStore& store,
                             WebhookWorkerOptions options)
    : config_(config),
      clients_(clients),
      store_(store),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : SystemClock()) {}

Status WebhookWorker::EnsureSetup() {
  const int64_t now = clock_.NowMicros();
  if (setup_ && now - setup_at_ < options_.setup_ttl_micros) return Status::Ok();
  auto plan = PlanContacts(config_, clients_);
  if (!plan.ok()) return plan.status();
  TAJO_RETURN_IF_ERROR(CreateMissingAttributes(*plan, clients_));
  auto targets = ResolveContactTargets(config_, clients_, false);
  if (!targets.ok()) return targets.status();
  auto setup = std::make_shared<Setup>();
  setup->plan = std::move(*plan);
  setup->targets = std::move(*targets);
  setup_ = std::move(setup);
  setup_at_ = now;
  return Status::Ok();
}

Status WebhookWorker::Fail(const std::vector<store::InboxEvent>& events, const Status& why, WorkerPass& pass) {
  const int max_attempts = config_.server.worker.max_attempts;
  const int64_t now = clock_.NowMicros();
  const std::string reason = why.ToString();
  for (const store::InboxEvent& e : events) {
    if (e.attempts + 1 >= max_attempts) {
      TAJO_RETURN_IF_ERROR(store_.DeadLetterInbox(e.id, reason));
      ++pass.dead;
      Log().Warn("worker", "event moved to the dead-letter queue",
                 {{"event", std::to_string(e.id)}, {"type", e.event_type}, {"object", e.object_id},
                  {"attempts", std::to_string(e.attempts + 1)}, {"reason", reason}});
      continue;
    }
    int64_t delay_ms = config_.server.worker.retry_base_ms;
    for (int i = 0; i < e.attempts && delay_ms < config_.server.worker.retry_max_ms; ++i) delay_ms *= 2;
    delay_ms = std::min(delay_ms, config_.server.worker.retry_max_ms);
    TAJO_RETURN_IF_ERROR(store_.RetryInbox(e.id, reason, now + delay_ms * 1000));
    ++pass.retried;
  }
  if (!events.empty()) {
    Log().Warn("worker", "events will be retried",
               {{"events", std::to_string(events.size())}, {"reason", reason}});
  }
  return Status::Ok();
}

Result<WorkerPass> WebhookWorker::RunOnce() {
  WorkerPass pass;
  const int64_t now = clock_.NowMicros();
  auto claimed = store_.ClaimInbox(kConnectionName, options_.owner, options_.claim_limit,
                                   now + options_.claim_ttl_micros);
  if (!claimed.ok()) return claimed.status();
  if (claimed->empty()) return pass;
  pass.claimed = static_cast<int64_t>(claimed->size());
  // Events that failed before are applied one object at a time, so that one that keeps failing
  // (a poison event) cannot take the events it shared a pass with into the dead-letter queue.
  std::vector<store::InboxEvent> fresh;
  std::map<std::string, std::vector<store::InboxEvent>> retried;
  for (store::InboxEvent& e : *claimed) {
    if (e.attempts == 0) {
      fresh.push_back(std::move(e));
    } else {
      retried[e.object_type + "/" + e.object_id].push_back(std::move(e));
    }
  }
  if (!fresh.empty()) TAJO_RETURN_IF_ERROR(Apply(fresh, pass));
  for (const auto& [object, events] : retried) {
    // Stopping: what is left stays claimed and is applied after the next start.
    if (options_.cancel != nullptr && options_.cancel->load()) break;
    TAJO_RETURN_IF_ERROR(Apply(events, pass));
  }
  return pass;
}

Status WebhookWorker::Apply(const std::vector<store::InboxEvent>& claimed, WorkerPass& pass) {
  const int64_t now = clock_.NowMicros();
  EventFold fold = FoldEvents(claimed);
  std::vector<int64_t> ignored;
  std::vector<store::InboxEvent> work;
  for (const store::InboxEvent& e : claimed) {
    if (auto it = fold.invalid.find(e.id); it != fold.invalid.end()) {
      TAJO_RETURN_IF_ERROR(store_.DeadLetterInbox(e.id, it->second));
      ++pass.dead;
      Log().Warn("worker", "event cannot apply: moved to the dead-letter queue",
                 {{"event", std::to_string(e.id)}, {"type", e.event_type}, {"reason", it->second}});
    } else if (auto ig = fold.ignored.find(e.id); ig != fold.ignored.end()) {
      ignored.push_back(e.id);
      Log().Debug("worker", "event changes nothing synced",
                  {{"event", std::to_string(e.id)}, {"type", e.event_type}, {"why", ig->second}});
    } else {
      work.push_back(e);
    }
  }
  if (!ignored.empty()) {
    TAJO_RETURN_IF_ERROR(store_.CompleteInbox(ignored));
    pass.ignored += static_cast<int64_t>(ignored.size());
  }
  if (work.empty()) return Status::Ok();

  if (Status s = EnsureSetup(); !s.ok()) {
    setup_.reset();
    TAJO_RETURN_IF_ERROR(Fail(work, s, pass));
    return Status::Ok();
  }
  std::shared_ptr<Setup> setup = setup_;

  // Companies' and deals' events reach the contacts associated with them.
  std::set<std::string> refresh = fold.refresh;
  for (const auto& [from, ids] : {std::pair{"companies", &fold.companies}, std::pair{"deals", &fold.deals}}) {
    if (ids->empty()) continue;
    auto assoc = clients_.hubspot().BatchReadAssociations(from, "contacts", {ids->begin(), ids->end()});
    if (!assoc.ok()) {
      TAJO_RETURN_IF_ERROR(Fail(work, assoc.status(), pass));
      return Status::Ok();
    }
    for (const auto& [id, contacts] : *assoc) {
      for (const std::string& c : contacts) {
        if (fold.privacy_deleted.count(c) == 0 && fold.merged_into.count(c) == 0) refresh.insert(c);
      }
    }
  }

  // ---- the run
  const int64_t hubspot_start = clients_.HubSpotCalls();
  const int64_t brevo_start = clients_.BrevoCalls();
  ContactRun run(config_, clients_, store_, clock_, ContactMapper(setup->plan, config_.connectors.hubspot),
                 ListMembership(setup->targets.managed), setup->targets.default_list);
  run.request.type = store::SyncType::kWebhook;
  run.full = false;
  run.summary.type = store::SyncType::kWebhook;
  run.hubspot_calls_at_start = hubspot_start;
  run.brevo_calls_at_start = brevo_start;
  run.direct_create_max = options_.direct_create_max;
  run.chain_started_ms = now / 1000;
  auto run_id = store_.StartRun(
      store::RunStart{kConnectionName, store::SyncType::kWebhook, {kContacts}, SyncDirection::kHubSpotToBrevo});
  if (!run_id.ok()) return run_id.status();
  run.run_id = *run_id;
  run.summary.run_id = *run_id;
  pass.run_id = *run_id;

  auto apply = [&]() -> Status {
    // Merges: the link follows the survivor; the merged-away Brevo contact is cleaned up when
    // the survivor has a link of its own.
    for (const auto& [away, survivor] : fold.merged_into) {
      auto away_link = store_.GetLinkByHubSpotId(kConnectionName, away);
      if (!away_link.ok()) return away_link.status();
      if (!*away_link) continue;
      auto survivor_link = store_.GetLinkByHubSpotId(kConnectionName, survivor);
      if (!survivor_link.ok()) return survivor_link.status();
      if (!*survivor_link) {
        Log().Debug("worker", "merge: the link follows the surviving contact", {{"from", away}, {"to", survivor}});
        Status moved = store_.Transaction([&](store::StoreTx& tx) -> Status {
          auto snap = tx.GetSnapshot(kConnectionName, away);
          if (!snap.ok()) return snap.status();
          auto gone = tx.DeleteLink(kConnectionName, away);
          if (!gone.ok()) return gone.status();
          TAJO_RETURN_IF_ERROR(
              tx.UpsertLink(store::Link{kConnectionName, survivor, (*away_link)->brevo_id, (*away_link)->email}));
          TAJO_RETURN_IF_ERROR(tx.WriteSnapshot(kConnectionName, survivor, *snap));
          return tx.ResolveRecordError(kConnectionName, kContacts, away).status();
        });
        if (!moved.ok()) return moved;
        continue;
      }
      Log().Debug("worker", "merge: the merged-away contact is cleaned up", {{"from", away}, {"to", survivor}});
      hubspot::CrmObject gone;
      gone.id = away;
      TAJO_RETURN_IF_ERROR(run.AddArchived(gone));
    }
    for (const std::string& id : fold.privacy_deleted) {
      Log().Debug("worker", "privacy deletion: the Brevo contact is deleted", {{"contact", id}});
      hubspot::CrmObject gone;
      gone.id = id;
      TAJO_RETURN_IF_ERROR(run.AddArchived(gone, OnDelete::kDelete));
    }
    // The current state of every contact named, 100 a call; each chunk written before the next
    // is read, and the events marked done with the last one.
    const std::vector<std::string> ids(refresh.begin(), refresh.end());
    const std::vector<int64_t> done = IdsOf(work);
    const size_t chunk = std::max<size_t>(1, options_.chunk_objects);
    for (size_t start = 0;; start += chunk) {
      const size_t end = std::min(ids.size(), start + chunk);
      const std::vector<std::string> slice(ids.begin() + static_cast<std::ptrdiff_t>(std::min(start, ids.size())),
                                           ids.begin() + static_cast<std::ptrdiff_t>(end));
      std::map<std::string, hubspot::CrmObject> found;
      bool aliases = false;
      if (!slice.empty()) {
        auto read = clients_.hubspot().BatchRead("contacts", slice, setup->plan.hubspot_properties);
        if (!read.ok()) return read.status();
        const std::set<std::string> asked(slice.begin(), slice.end());
        for (hubspot::CrmObject& c : *read) {
          if (!asked.count(c.id)) aliases = true;  // a merged-away id answered by its survivor
          found.emplace(c.id, std::move(c));
        }
      }
      for (const std::string& id : slice) {
        auto it = found.find(id);
        if (it != found.end()) {
          Log().Verbose("worker", "apply the current state", {{"contact", id}});
          TAJO_RETURN_IF_ERROR(run.Add(it->second));
          continue;
        }
        if (aliases) {
          // The answer held records under other ids (merges): make sure this one is gone.
          auto one = clients_.hubspot().Get("contacts", id, setup->plan.hubspot_properties);
          if (one.ok()) {
            TAJO_RETURN_IF_ERROR(run.Add(*one));
            continue;
          }
          if (one.status().code() != StatusCode::kNotFound) return one.status();
        }
        Log().Debug("worker", "HubSpot no longer has the contact: on_delete applies", {{"contact", id}});
        hubspot::CrmObject gone;
        gone.id = id;
        TAJO_RETURN_IF_ERROR(run.AddArchived(gone));
      }
      pass.contacts += static_cast<int64_t>(slice.size());
      const bool last = end >= ids.size();
      if (last) run.in_flush_tx = [&done](store::StoreTx& tx) { return tx.CompleteInbox(done); };
      TAJO_RETURN_IF_ERROR(run.Flush(nlohmann::json{{"phase", "done"}}, std::nullopt));
      if (last) break;
      if (options_.cancel != nullptr && options_.cancel->load()) {
        return Status::Aborted("tajo is stopping: the rest of the pass is applied at the next start");
      }
    }
    if (!run.pending_imports.empty()) {
      auto failed = run.writer.WaitForImports(run.pending_imports, options_.import_wait_micros);
      if (!failed.ok()) return failed.status();
    }
    return run.ApplyDeferredSms();
  };
  Status s = apply();
  const int64_t hubspot_calls = clients_.HubSpotCalls() - hubspot_start - run.hubspot_calls_saved;
  const int64_t brevo_calls = clients_.BrevoCalls() - brevo_start - run.brevo_calls_saved;
  (void)store_.AddRunCalls(run.run_id, "hubspot", hubspot_calls);
  (void)store_.AddRunCalls(run.run_id, "brevo", brevo_calls);
  if (s.code() == StatusCode::kAborted) {
    // Stopping: the events stay claimed; the next start releases and applies them (what was
    // written already is written again, harmlessly).
    (void)store_.FinishRun(run.run_id, store::RunState::kCancelled, s.message());
    return Status::Ok();
  }
  if (!s.ok()) {
    (void)store_.FinishRun(run.run_id, store::RunState::kFailed, s.message());
    // Events already marked done by the flush stay done; the others are retried.
    std::vector<store::InboxEvent> pending;
    for (const store::InboxEvent& e : work) {
      auto now_e = store_.GetInboxEvent(e.id);
      if (!now_e.ok()) return now_e.status();
      if (*now_e && (*now_e)->state == store::InboxState::kPending) pending.push_back(**now_e);
    }
    if (s.code() != StatusCode::kUnavailable) setup_.reset();  // the mapping or lists may have changed
    TAJO_RETURN_IF_ERROR(Fail(pending, s, pass));
    return Status::Ok();
  }
  TAJO_RETURN_IF_ERROR(store_.FinishRun(run.run_id, store::RunState::kSucceeded, ""));
  pass.applied += static_cast<int64_t>(work.size());
  Log().Debug("worker", "events applied",
              {{"events", std::to_string(work.size())}, {"contacts", std::to_string(pass.contacts)},
               {"run", std::to_string(run.run_id)}});
  return Status::Ok();
}

}  // namespace tajo::sync
