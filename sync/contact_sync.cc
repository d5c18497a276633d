#include "sync/contact_sync.h"

#include <fmt/format.h>


#include "core/log.h"
#include "sync/contact_run.h"
#include "sync/contact_setup.h"
#include "sync/field_mapping.h"
#include "sync/page_queue.h"
#include "sync/timestamps.h"

namespace tajo::sync {

namespace {

constexpr int kListPage = 100;    // HubSpot list API maximum
constexpr int kSearchPage = 200;  // HubSpot search maximum
constexpr int64_t kSearchCap = 10'000;
// List pages read ahead of the engine: 50 pages are 5 s of the free plan's budget, enough to
// cover a write batch.
constexpr size_t kPagesAhead = 50;

Status CheckRequest(const Config& config, const SyncRequest& req) {
  for (const std::string& r : req.resources) {
    if (r != kContacts) {
      return Status::InvalidArgument(fmt::format(
          "resource '{}' is not synced by this version: only contacts (companies, deals, tickets and engagements are "
          "folded into contact attributes by a later release; run with --resources contacts)",
          r));
    }
  }
  if (req.direction != SyncDirection::kHubSpotToBrevo) {
    return Status::InvalidArgument(fmt::format(
        "direction '{}' is not synced by this version: only hubspot_to_brevo (Brevo -> HubSpot comes with a later "
        "release; run with --direction hubspot_to_brevo)",
        SyncDirectionName(req.direction)));
  }
  if (!config.connectors.hubspot.enabled) {
    return Status::FailedPrecondition(config.source + ": connectors.hubspot is not enabled");
  }
  if (!config.connectors.hubspot.sync.contacts) {
    return Status::FailedPrecondition(config.source + ": connectors.hubspot.sync.contacts is false: nothing to sync");
  }
  return Status::Ok();
}

void Report(ContactRun& run, const ProgressFn& progress, const std::string& phase) {
  if (!progress) return;
  SyncProgress p;
  p.phase = phase;
  p.run_id = run.run_id;
  p.done = run.done;
  p.total = run.total;
  p.hubspot_calls = run.clients.HubSpotCalls() - run.hubspot_calls_at_start;
  p.brevo_calls = run.clients.BrevoCalls() - run.brevo_calls_at_start;
  progress(p);
}

// kAborted once `cancel` is set (tajo serve is stopping): the run stops between pages.
Status CheckCancel(const std::atomic<bool>* cancel) {
  if (cancel != nullptr && cancel->load()) {
    return Status::Aborted("cancelled: tajo is stopping; the next run continues from the last checkpoint");
  }
  return Status::Ok();
}

std::vector<std::string> BrevoAttributeNames(const FieldMappingPlan& plan) {
  std::vector<std::string> names;
  for (const ResolvedField& f : plan.fields) names.push_back(f.brevo_attribute);
  return names;
}

// Full: the list API from the checkpoint's `after`, read ahead by `pages` (started before the
// Brevo side was prepared; null when the checkpoint is past the contacts).
Status RunFull(ContactRun& run, const FieldMappingPlan& plan, const nlohmann::json& checkpoint, int64_t flush,
               PageQueue* pages, const ProgressFn& progress, const std::atomic<bool>* cancel) {
  run.index.emplace();
  Report(run, progress, "reading Brevo");
  TAJO_RETURN_IF_ERROR(run.index->Load(run.clients.brevo(), BrevoAttributeNames(plan)));
  if (pages == nullptr) return Status::Ok();

  // How many contacts there are, for the progress bar: one search call (its own bucket).
  hubspot::SearchRequest count;
  count.limit = 1;
  count.properties = {"email"};
  if (auto c = run.clients.hubspot().Search("contacts", count); c.ok()) run.total = c->total;
  run.done = checkpoint.value("done", int64_t{0});
  Report(run, progress, "syncing");
  while (true) {
    TAJO_RETURN_IF_ERROR(CheckCancel(cancel));
    Result<hubspot::ObjectPage> page = pages->Next();
    if (!page.ok()) return page.status();
    const std::string after = page->after;
    for (const hubspot::CrmObject& c : page->results) TAJO_RETURN_IF_ERROR(run.Add(c));
    if (run.Buffered() >= static_cast<size_t>(flush) || after.empty()) {
      nlohmann::json cp = {{"phase", after.empty() ? "done" : "contacts"}, {"after", after}, {"done", run.done}};
      TAJO_RETURN_IF_ERROR(run.Flush(cp, std::nullopt));
    }
    Report(run, progress, "syncing");
    if (after.empty()) return Status::Ok();
  }
}

// Incremental: search on lastmodifieddate, re-anchored on every page.
Status RunIncremental(ContactRun& run, const FieldMappingPlan& plan, const nlohmann::json& checkpoint,
                      const ContactSyncOptions& options, const ProgressFn& progress) {
  if (checkpoint.value("phase", "") == "done") return Status::Ok();
  int64_t anchor = 0;
  int64_t skip = 0;
  const bool move_cursor = !run.request.since_millis.has_value();
  if (checkpoint.contains("anchor")) {
    anchor = checkpoint.value("anchor", int64_t{0});
    skip = checkpoint.value("skip", int64_t{0});
    run.done = checkpoint.value("done", int64_t{0});
  } else if (run.request.since_millis) {
    anchor = *run.request.since_millis;
  } else {
    auto cursor = run.store.GetCursor(kConnectionName, kContacts, "incremental");
    if (!cursor.ok()) return cursor.status();
    if (*cursor) {
      auto ms = ParseTimestampMillis((*cursor)->value);
      if (!ms.ok()) {
        return Status::Corruption("store: the incremental cursor of contacts holds '" + (*cursor)->value +
                                  "', not a time; run a full sync to start again");
      }
      anchor = std::max<int64_t>(0, *ms - options.lookback_micros / 1000);
    }
  }
  Report(run, progress, "syncing");
  bool first = true;
  while (true) {
    TAJO_RETURN_IF_ERROR(CheckCancel(options.cancel));
    if (skip + kSearchPage > kSearchCap) {
      return Status::FailedPrecondition(fmt::format(
          "more than {} contacts share the modification time {} (epoch ms): HubSpot search cannot page past "
          "{} results; run a full sync instead",
          kSearchCap - kSearchPage, anchor, kSearchCap));
    }
    hubspot::SearchRequest r;
    r.filter_groups = {{hubspot::SearchFilter{"lastmodifieddate", hubspot::FilterOperator::kGte,
                                              std::to_string(anchor), "", {}}}};
    r.sort_property = "lastmodifieddate";
    r.sort_ascending = true;
    r.properties = plan.hubspot_properties;
    r.limit = kSearchPage;
    if (skip > 0) r.after = std::to_string(skip);
    Result<hubspot::ObjectPage> page = run.clients.hubspot().Search("contacts", r);
    if (!page.ok()) return page.status();
    if (first && page->total >= 0) run.total = run.done + page->total - skip;
    first = false;
    int64_t last = anchor;
    int64_t run_length = skip;  // records read with modification time == last
    for (const hubspot::CrmObject& c : page->results) {
      TAJO_RETURN_IF_ERROR(run.Add(c));
      int64_t ts = last;
      if (auto m = c.Get("lastmodifieddate")) {
        if (auto v = ParseTimestampMillis(*m); v.ok()) ts = *v;
      }
      if (ts == last) {
        ++run_length;
      } else {
        last = ts;
        run_length = 1;
      }
    }
    const bool done = page->after.empty() || page->results.empty();
    anchor = last;
    skip = run_length;
    if (run.Buffered() >= static_cast<size_t>(options.flush_contacts) || done) {
      nlohmann::json cp = {{"phase", done ? "done" : "contacts"}, {"anchor", anchor}, {"skip", skip},
                           {"done", run.done}};
      std::optional<std::string> cursor;
      if (move_cursor) cursor = std::to_string(anchor);
      TAJO_RETURN_IF_ERROR(run.Flush(cp, cursor));
    }
    Report(run, progress, "syncing");
    if (done) return Status::Ok();
  }
}

// Archived contacts that still have a link: on_delete applies. It runs before the contacts, so
// that an email freed by a deletion and given to another contact since is the new contact's by
// the time the contacts are read (else the stale link would make it a duplicate, and the
// deletion would then remove the Brevo contact the new one needs).
Status RunDeletions(ContactRun& run, int64_t flush, const ProgressFn& progress, const std::atomic<bool>* cancel) {
  Report(run, progress, "deletions");
  hubspot::ListOptions o;
  o.limit = kListPage;
  o.archived = true;
  o.properties = {"email"};
  while (true) {
    TAJO_RETURN_IF_ERROR(CheckCancel(cancel));
    auto page = run.clients.hubspot().ListPage("contacts", o);
    if (!page.ok()) return page.status();
    for (const hubspot::CrmObject& c : page->results) TAJO_RETURN_IF_ERROR(run.AddArchived(c));
    o.after = page->after;
    if (run.Buffered() >= static_cast<size_t>(flush) || o.after.empty()) {
      // Mid-pass the deletions start over (the links already removed cost nothing); at its end
      // the contacts come next, from their beginning.
      const char* next = o.after.empty() ? "contacts" : "deletions";
      TAJO_RETURN_IF_ERROR(run.Flush({{"phase", next}, {"after", ""}, {"done", 0}}, std::nullopt));
    }
    if (o.after.empty()) return Status::Ok();
  }
}

}  // namespace

ContactSync::ContactSync(const Config& config, ConnectorClients& clients, store::StateStore& store,
                         ContactSyncOptions options)
    : config_(config),
      clients_(clients),
      store_(store),
      options_(options),
      clock_(options.clock != nullptr ? *options.clock : SystemClock()) {}

Result<SyncSummary> ContactSync::Run(const SyncRequest& req, const ProgressFn& progress) {
  TAJO_RETURN_IF_ERROR(CheckRequest(config_, req));
  const int64_t started = clock_.NowMicros();
  const int64_t hubspot_start = clients_.HubSpotCalls();
  const int64_t brevo_start = clients_.BrevoCalls();
  const int64_t limited_start = clients_.HubSpotRateLimited() + clients_.BrevoRateLimited();
  const HubSpotConfig& hs = config_.connectors.hubspot;

  // ---- prepare: nothing is written until the mapping and the lists are known to be right.
  auto plan = PlanContacts(config_, clients_);
  if (!plan.ok()) return plan.status();
  // Where to continue from: the previous run's checkpoint, when it did not finish and was of the
  // same kind (read only here; the run is recorded once the Brevo side is prepared).
  nlohmann::json checkpoint = nlohmann::json::object();
  std::optional<store::SyncRun> previous;
  bool same = false;
  if (!req.dry_run) {
    store::RunQuery q;
    q.connection = kConnectionName;
    q.limit = 50;
    auto last = store_.ListRuns(q);
    if (!last.ok()) return last.status();
    // The webhook worker's runs (tajo serve) come between sync runs: look past them.
    std::erase_if(*last, [](const store::SyncRun& r) { return r.type == store::SyncType::kWebhook; });
    if (!last->empty() && last->front().state != store::RunState::kSucceeded) previous = last->front();
    same = previous && previous->type == req.type && previous->checkpoint.size() > 2 &&
           (previous->type == store::SyncType::kFull || !req.since_millis);
    if (same) {
      checkpoint = nlohmann::json::parse(previous->checkpoint, nullptr, false);
      if (checkpoint.is_discarded() || !checkpoint.is_object()) {
        return Status::Corruption(fmt::format("store: run {} has a checkpoint that is not JSON", previous->id));
      }
    }
  }
  // A full run starts reading HubSpot now, while the Brevo side is prepared.
  std::optional<PageQueue> pages;
  if (req.type == store::SyncType::kFull && checkpoint.value("phase", "") != "done") {
    pages.emplace(
        [this, properties = plan->hubspot_properties](const std::string& after) {
          hubspot::ListOptions o;
          o.limit = kListPage;
          o.after = after;
          o.properties = properties;
          return clients_.hubspot().ListPage("contacts", o);
        },
        checkpoint.value("after", std::string()), kPagesAhead);
  }
  auto targets = ResolveContactTargets(config_, clients_, req.dry_run);
  if (!targets.ok()) return targets.status();
  ContactRun run(config_, clients_, store_, clock_, ContactMapper(*plan, hs), ListMembership(targets->managed),
                 targets->default_list);
  run.request = req;
  run.full = req.type == store::SyncType::kFull;
  run.summary.type = req.type;
  run.hubspot_calls_at_start = hubspot_start;
  run.brevo_calls_at_start = brevo_start;
  if (req.dry_run) {
    for (const brevo::Attribute& a : plan->missing_attributes) run.Plan("create attribute", a.name, a.type);
  } else {
    TAJO_RETURN_IF_ERROR(CreateMissingAttributes(*plan, clients_));
  }
  for (const ManagedList& l : targets->managed) {
    if (l.list_id == 0) run.Plan("create list", l.list_name, "for lists." + l.key);
  }

  // ---- start, or resume an interrupted run of the same type.
  run.summary.resumed = same;
  if (!req.dry_run) {
    auto conn = store_.GetConnection(kConnectionName);
    if (!conn.ok()) return conn.status();
    if (!*conn) {
      store::Connection c;
      c.name = kConnectionName;
      c.kind = "hubspot";
      c.status = store::ConnectionStatus::kConnected;
      TAJO_RETURN_IF_ERROR(store_.UpsertConnection(c));
    }
    // When the chain of runs began: a full sync's incremental cursor starts there, since records
    // changed after it may have been read before they changed.
    if (!checkpoint.contains("chain_started_ms")) checkpoint["chain_started_ms"] = started / 1000;
    // One transaction: the new run carries the checkpoint it continues from at once (a kill before
    // its own first checkpoint keeps it), and an interrupted run is closed with it.
    Status begun = store_.Transaction([&](store::StoreTx& tx) -> Status {
      auto id = tx.StartRun(store::RunStart{kConnectionName, req.type, req.resources, req.direction});
      if (!id.ok()) return id.status();
      run.run_id = *id;
      if (previous && previous->state == store::RunState::kRunning) {
        TAJO_RETURN_IF_ERROR(tx.FinishRun(previous->id, store::RunState::kFailed,
                                          fmt::format("interrupted (the process stopped); continued by run {}", *id)));
      }
      return tx.SaveRunCheckpoint(*id, checkpoint.dump());
    });
    if (!begun.ok()) return begun;
    run.summary.run_id = run.run_id;
    Report(run, progress, "starting");  // the run id, for whoever waits to know it
    if (same) {
      Log().Info("sync", "resuming an interrupted run",
                 {{"previous_run", std::to_string(previous->id)}, {"run", std::to_string(run.run_id)}});
    }
    if (checkpoint.contains("deferred_sms") && checkpoint["deferred_sms"].is_array()) {
      for (const auto& d : checkpoint["deferred_sms"]) {
        if (d.is_array() && d.size() == 3 && d[0].is_string() && d[1].is_string() && d[2].is_string()) {
          run.deferred_sms.push_back({d[0].get<std::string>(), d[1].get<std::string>(), d[2].get<std::string>()});
        }
      }
    }
    run.chain_started_ms = checkpoint.value("chain_started_ms", started / 1000);
    if (checkpoint.contains("pending_imports") && checkpoint["pending_imports"].is_array()) {
      for (const auto& id : checkpoint["pending_imports"]) {
        if (id.is_number_integer()) run.pending_imports.push_back(id.get<int64_t>());
      }
    }
  }

  // ---- the run
  Status s = checkpoint.value("phase", "deletions") == "deletions"
                 ? RunDeletions(run, options_.flush_contacts, progress, options_.cancel)
                 : Status::Ok();
  if (s.ok()) {
    s = run.full ? RunFull(run, *plan, checkpoint, options_.flush_contacts, pages ? &*pages : nullptr, progress,
                             options_.cancel)
                 : RunIncremental(run, *plan, checkpoint, options_, progress);
  }
  if (s.ok() && !req.dry_run) {
    Report(run, progress, "finishing");
    auto failed = run.writer.WaitForImports(run.pending_imports, options_.import_wait_micros);
    if (!failed.ok()) {
      s = failed.status();
    } else if (!failed->empty()) {
      s = Status::Internal(fmt::format("Brevo import process {} did not complete: the contacts it held may be "
                                       "missing; run a full sync to write them again",
                                       failed->front()));
    } else {
      s = run.ApplyDeferredSms();
    }
  }
  if (s.ok() && !req.dry_run && run.full && !req.since_millis) {
    // Everything modified before this run started is in Brevo: incremental runs start here.
    auto cursor = store_.GetCursor(kConnectionName, kContacts, "incremental");
    const int64_t start_ms = checkpoint.value("chain_started_ms", started / 1000);
    int64_t current = 0;
    if (cursor.ok() && *cursor) {
      auto ms = ParseTimestampMillis((*cursor)->value);
      if (ms.ok()) current = *ms;
    }
    if (cursor.ok() && current < start_ms) {
      s = store_.SetCursor(kConnectionName, kContacts, "incremental", std::to_string(start_ms));
    }
  }
  run.summary.hubspot_calls = clients_.HubSpotCalls() - hubspot_start;
  run.summary.brevo_calls = clients_.BrevoCalls() - brevo_start;
  run.summary.rate_limited = clients_.HubSpotRateLimited() + clients_.BrevoRateLimited() - limited_start;
  run.summary.duration_micros = clock_.NowMicros() - started;
  if (req.dry_run) {
    if (!s.ok()) return s;
    return run.summary;
  }
  // Calls made after the last flush.
  (void)store_.AddRunCalls(run.run_id, "hubspot",
                           run.summary.hubspot_calls - run.hubspot_calls_saved);
  (void)store_.AddRunCalls(run.run_id, "brevo", run.summary.brevo_calls - run.brevo_calls_saved);
  if (!s.ok()) {
    (void)store_.FinishRun(run.run_id,
                           s.code() == StatusCode::kAborted ? store::RunState::kCancelled : store::RunState::kFailed,
                           s.message());
    if (s.code() == StatusCode::kUnauthenticated || s.code() == StatusCode::kPermissionDenied) {
      store::Connection c;
      c.name = kConnectionName;
      c.kind = "hubspot";
      c.status = store::ConnectionStatus::kError;
      c.status_detail = s.message();
      (void)store_.UpsertConnection(c);
    }
    return s;
  }
  TAJO_RETURN_IF_ERROR(store_.FinishRun(run.run_id, store::RunState::kSucceeded, ""));
  store::Connection c;
  c.name = kConnectionName;
  c.kind = "hubspot";
  c.status = store::ConnectionStatus::kConnected;
  TAJO_RETURN_IF_ERROR(store_.UpsertConnection(c));
  return run.summary;
}

}  // namespace tajo::sync
