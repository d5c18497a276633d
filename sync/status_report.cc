#include "sync/status_report.h"

#include <fmt/format.h>

#include "core/clock.h"
#include "sync/sync_types.h"

namespace tajo::sync {

namespace {

nlohmann::json Time(int64_t micros) { return FormatRfc3339(micros); }

}  // namespace

nlohmann::json RunJson(const store::SyncRun& r) {
  nlohmann::json j = {{"id", r.id},
                      {"type", std::string(store::SyncTypeName(r.type))},
                      {"state", std::string(store::RunStateName(r.state))},
                      {"startedAt", Time(r.started_micros)},
                      {"finishedAt", r.finished_micros ? Time(*r.finished_micros) : nlohmann::json()}};
  const store::RunCounts c = r.TotalCounts();
  j["counts"] = {{"created", c.created}, {"updated", c.updated}, {"unchanged", c.unchanged},
                 {"skipped", c.skipped}, {"failed", c.failed},   {"deleted", c.deleted}};
  j["calls"] = r.calls;
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

Result<nlohmann::json> BuildStatus(store::StateStore& store, int recent_errors) {
  nlohmann::json s;
  auto conn = store.GetConnection(kConnectionName);
  if (!conn.ok()) return conn.status();
  s["connected"] = *conn && (*conn)->status == store::ConnectionStatus::kConnected;
  if (*conn && !(*conn)->status_detail.empty()) s["connectionDetail"] = (*conn)->status_detail;
  s["lastSync"] = nullptr;
  s["contactsSynced"] = 0;
  s["companiesSynced"] = 0;
  s["dealsSynced"] = 0;
  s["running"] = nullptr;
  s["lastRun"] = nullptr;
  s["unresolvedErrors"] = 0;
  s["recentErrors"] = nlohmann::json::array();
  s["inbox"] = {{"pending", 0}, {"deadLetters", 0}, {"oldestPendingAt", nullptr}};
  if (!*conn) return s;
  auto inbox = store.CountInbox(kConnectionName);
  if (!inbox.ok()) return inbox.status();
  s["inbox"] = {{"pending", inbox->pending},
                {"deadLetters", inbox->dead},
                {"oldestPendingAt", inbox->oldest_pending_received_micros
                                        ? Time(*inbox->oldest_pending_received_micros)
                                        : nlohmann::json()}};

  auto links = store.CountLinks(kConnectionName);
  if (!links.ok()) return links.status();
  s["contactsSynced"] = *links;

  store::RunQuery q;
  q.connection = kConnectionName;
  q.limit = 50;
  auto runs = store.ListRuns(q);
  if (!runs.ok()) return runs.status();
  for (const store::SyncRun& r : *runs) {
    if (r.state == store::RunState::kRunning) {
      if (s["running"].is_null()) {
        s["running"] = RunJson(r);
        nlohmann::json cp = nlohmann::json::parse(r.checkpoint, nullptr, false);
        if (cp.is_object() && cp.contains("done")) s["running"]["done"] = cp["done"];
      }
      continue;
    }
    if (s["lastRun"].is_null()) s["lastRun"] = RunJson(r);
    if (r.state == store::RunState::kSucceeded && s["lastSync"].is_null() && r.finished_micros) {
      s["lastSync"] = Time(*r.finished_micros);
    }
  }
  auto unresolved = store.CountUnresolvedErrors(kConnectionName);
  if (!unresolved.ok()) return unresolved.status();
  s["unresolvedErrors"] = *unresolved;
  store::RecordErrorQuery eq;
  eq.connection = kConnectionName;
  eq.limit = std::clamp(recent_errors, 1, 1000);
  auto errors = store.ListRecordErrors(eq);
  if (!errors.ok()) return errors.status();
  for (const store::RecordError& e : *errors) {
    s["recentErrors"].push_back({{"resource", e.resource},
                                 {"recordId", e.record_id},
                                 {"reason", e.reason},
                                 {"message", e.message},
                                 {"attempts", e.attempts},
                                 {"lastSeen", Time(e.last_seen_micros)}});
  }
  return s;
}

std::string FormatStatus(const nlohmann::json& s) {
  std::string out;
  auto line = [&out](std::string_view k, const std::string& v) { out += fmt::format("{:<17}{}\n", k, v); };
  auto str = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "never" : v.dump(); };
  line("connected", s.value("connected", false) ? "yes" : "no");
  if (s.contains("connectionDetail")) line("", s["connectionDetail"].get<std::string>());
  line("last sync", str(s["lastSync"]));
  line("contacts synced", std::to_string(s.value("contactsSynced", int64_t{0})));
  line("companies synced", std::to_string(s.value("companiesSynced", int64_t{0})));
  line("deals synced", std::to_string(s.value("dealsSynced", int64_t{0})));
  auto run_line = [&](const nlohmann::json& r) {
    const auto& c = r["counts"];
    std::string calls;
    for (auto it = r["calls"].begin(); it != r["calls"].end(); ++it) {
      calls += fmt::format("{}{} {}", calls.empty() ? "" : ", ", it.value().dump(), it.key());
    }
    return fmt::format("#{} {} {} (started {}): {} created, {} updated, {} unchanged, {} skipped, {} failed, {} "
                       "deleted; calls: {}",
                       r.value("id", int64_t{0}), r.value("type", ""), r.value("state", ""), str(r["startedAt"]),
                       c.value("created", 0), c.value("updated", 0), c.value("unchanged", 0), c.value("skipped", 0),
                       c.value("failed", 0), c.value("deleted", 0), calls.empty() ? "none" : calls);
  };
  if (!s["running"].is_null()) line("running", run_line(s["running"]));
  if (!s["lastRun"].is_null()) {
    line("last run", run_line(s["lastRun"]));
    if (s["lastRun"].contains("error")) line("", "error: " + s["lastRun"]["error"].get<std::string>());
  }
  if (s.contains("inbox") && s["inbox"].is_object()) {
    const auto& in = s["inbox"];
    std::string text = fmt::format("{} waiting, {} dead letters", in.value("pending", int64_t{0}),
                                   in.value("deadLetters", int64_t{0}));
    if (in.contains("oldestPendingAt") && !in["oldestPendingAt"].is_null()) {
      text += " (oldest received " + str(in["oldestPendingAt"]) + ")";
    }
    if (in.value("deadLetters", int64_t{0}) > 0) text += "; see `tajo dlq list`";
    line("webhook events", text);
  }
  line("record errors", std::to_string(s.value("unresolvedErrors", int64_t{0})) + " unresolved");
  for (const auto& e : s["recentErrors"]) {
    out += fmt::format("  {} {} {}: {}\n", e.value("resource", ""), e.value("recordId", ""), e.value("reason", ""),
                       e.value("message", ""));
  }
  return out;
}

}  // namespace tajo::sync
