// SqliteTx, part 2: the run log — sync runs and per-record errors.
#include "store/sqlite_tx.h"

#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sqlite_rows.h"

namespace tajo::store {
namespace {

#define RUN_COLUMNS                                                                          \
  "id, connection, type, resources_json, direction, state, started_at, finished_at, error, " \
  "checkpoint"

#define RECORD_ERROR_COLUMNS                                                            \
  "connection, resource, record_id, reason, message, first_seen, last_seen, attempts, " \
  "resolved_at"

Result<RecordError> DecodeRecordError(const Stmt& q) {
  Row r(q, "record_errors");
  RecordError e;
  e.connection = r.Text(0);
  e.resource = r.Text(1);
  e.record_id = r.Text(2);
  r.Describe(fmt::format("{}/{}/{}", e.connection, e.resource, Quoted(e.record_id)));
  e.reason = r.Text(3);
  e.message = r.Text(4);
  e.first_seen_micros = r.Int64(5);
  e.last_seen_micros = r.Int64(6);
  e.attempts = r.Int64(7);
  e.resolved_micros = r.OptInt64(8);
  TAJO_RETURN_IF_ERROR(r.status());
  return e;
}

}  // namespace

// ---- sync runs

Result<SyncRun> SqliteTx::ReadRun(Stmt& q) {
  SyncRun run;
  {
    Row r(q, "sync_runs");
    run.id = r.Int64(0);
    r.Describe(fmt::format("run {}", run.id));
    run.connection = r.Text(1);
    run.type = EnumColumn(r, 2, ParseSyncType, SyncType::kFull, "sync type");
    std::string resources = r.Text(3);
    run.direction =
        EnumColumn(r, 4, ParseSyncDirection, SyncDirection::kBidirectional, "sync direction");
    run.state = EnumColumn(r, 5, ParseRunState, RunState::kFailed, "run state");
    run.started_micros = r.Int64(6);
    run.finished_micros = r.OptInt64(7);
    run.error = r.Text(8);
    run.checkpoint = r.Bytes(9);
    if (r.status().ok()) {
      nlohmann::json list = nlohmann::json::parse(resources, nullptr, /*allow_exceptions=*/false);
      bool strings = list.is_array();
      for (const auto& item : list) strings = strings && item.is_string();
      if (strings) {
        for (const auto& item : list) run.resources.push_back(item.get<std::string>());
      } else {
        r.Fail(3, fmt::format("holds {}, not a JSON array of names", Quoted(resources)));
      }
    }
    TAJO_RETURN_IF_ERROR(r.status());
  }

  TAJO_STORE_ASSIGN_OR_RETURN(
      Stmt counts, db_.Prepare("SELECT resource, created, updated, unchanged, skipped, failed, "
                               "deleted FROM sync_run_counts WHERE run_id = ?1",
                               "read run counts"));
  TAJO_RETURN_IF_ERROR(counts.Bind(run.id));
  while (true) {
    TAJO_STORE_ASSIGN_OR_RETURN(bool more, counts.Step());
    if (!more) break;
    Row r(counts, "sync_run_counts");
    std::string resource = r.Text(0);
    r.Describe(fmt::format("run {}, resource {}", run.id, Quoted(resource)));
    RunCounts c{r.Int64(1), r.Int64(2), r.Int64(3), r.Int64(4), r.Int64(5), r.Int64(6)};
    TAJO_RETURN_IF_ERROR(r.status());
    run.counts[resource] = c;
  }

  TAJO_STORE_ASSIGN_OR_RETURN(
      Stmt calls,
      db_.Prepare("SELECT service, calls FROM sync_run_calls WHERE run_id = ?1", "read run calls"));
  TAJO_RETURN_IF_ERROR(calls.Bind(run.id));
  while (true) {
    TAJO_STORE_ASSIGN_OR_RETURN(bool more, calls.Step());
    if (!more) break;
    Row r(calls, "sync_run_calls");
    std::string service = r.Text(0);
    r.Describe(fmt::format("run {}, service {}", run.id, Quoted(service)));
    int64_t n = r.Int64(1);
    TAJO_RETURN_IF_ERROR(r.status());
    run.calls[service] = n;
  }
  return run;
}

Result<std::optional<SyncRun>> SqliteTx::GetRun(int64_t run_id) {
  return Op([&]() -> Result<std::optional<SyncRun>> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("SELECT " RUN_COLUMNS " FROM sync_runs WHERE id = ?1", "get run"));
    TAJO_RETURN_IF_ERROR(q.Bind(run_id));
    TAJO_STORE_ASSIGN_OR_RETURN(bool found, q.Step());
    if (!found) return std::optional<SyncRun>();
    TAJO_STORE_ASSIGN_OR_RETURN(SyncRun run, ReadRun(q));
    return std::optional<SyncRun>(std::move(run));
  });
}

Result<std::vector<SyncRun>> SqliteTx::ListRuns(const RunQuery& query) {
  return Op([&]() -> Result<std::vector<SyncRun>> {
    TAJO_RETURN_IF_ERROR(InRange(query.limit, 1000, "list runs"));
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("SELECT " RUN_COLUMNS " FROM sync_runs WHERE connection = ?1 AND "
                            "(?2 IS NULL OR state = ?2) ORDER BY id DESC LIMIT ?3",
                            "list runs"));
    std::optional<std::string_view> state;
    if (query.state) state = RunStateName(*query.state);
    TAJO_RETURN_IF_ERROR(q.Bind(query.connection, state, query.limit));
    std::vector<SyncRun> out;
    while (true) {
      TAJO_STORE_ASSIGN_OR_RETURN(bool more, q.Step());
      if (!more) return out;
      TAJO_STORE_ASSIGN_OR_RETURN(SyncRun run, ReadRun(q));
      out.push_back(std::move(run));
    }
  });
}

Result<int64_t> SqliteTx::StartRun(const RunStart& start) {
  return Op([&]() -> Result<int64_t> {
    TAJO_RETURN_IF_ERROR(NonEmpty(start.connection, "run connection"));
    nlohmann::json resources = nlohmann::json::array();
    for (const std::string& r : start.resources) {
      TAJO_RETURN_IF_ERROR(NonEmpty(r, "run resource name"));
      resources.push_back(r);
    }
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("INSERT INTO sync_runs (connection, type, resources_json, direction, "
                            "state, started_at, finished_at, error, checkpoint) "
                            "VALUES (?1, ?2, ?3, ?4, 'running', ?5, NULL, '', X'') RETURNING id",
                            "start run"));
    TAJO_RETURN_IF_ERROR(q.Bind(start.connection, SyncTypeName(start.type), resources.dump(),
                                SyncDirectionName(start.direction), clock_.NowMicros()));
    Result<bool> row = q.Step();
    if (!row.ok()) {
      return Explain(
          db_, row.status(),
          fmt::format("start run: connection {} does not exist", Quoted(start.connection)), "");
    }
    if (!*row) return db_.Fail(StatusCode::kInternal, "start run: no id returned");
    Row r(q, "sync_runs");
    int64_t id = r.Int64(0);
    TAJO_RETURN_IF_ERROR(r.status());
    TAJO_RETURN_IF_ERROR(q.Run());
    return id;
  });
}

Status SqliteTx::RequireRunning(int64_t run_id, std::string_view what) {
  TAJO_STORE_ASSIGN_OR_RETURN(
      Stmt q, db_.Prepare("SELECT state FROM sync_runs WHERE id = ?1", "read run state"));
  TAJO_RETURN_IF_ERROR(q.Bind(run_id));
  TAJO_STORE_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return db_.Fail(StatusCode::kFailedPrecondition,
                    fmt::format("{}: run {} does not exist", what, run_id));
  }
  Row r(q, "sync_runs");
  r.Describe(fmt::format("run {}", run_id));
  RunState state = EnumColumn(r, 0, ParseRunState, RunState::kFailed, "run state");
  TAJO_RETURN_IF_ERROR(r.status());
  if (state != RunState::kRunning) {
    return db_.Fail(StatusCode::kFailedPrecondition,
                    fmt::format("{}: run {} already {}", what, run_id, RunStateName(state)));
  }
  return Status::Ok();
}

Status SqliteTx::SaveRunCheckpoint(int64_t run_id, std::string_view checkpoint) {
  return Op([&]() -> Status {
    TAJO_RETURN_IF_ERROR(RequireRunning(run_id, "save checkpoint"));
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q,
        db_.Prepare("UPDATE sync_runs SET checkpoint = ?2 WHERE id = ?1", "save checkpoint"));
    TAJO_RETURN_IF_ERROR(q.Bind(run_id, Blob{checkpoint}));
    return q.Run();
  });
}

Status SqliteTx::AddRunCounts(int64_t run_id, std::string_view resource, const RunCounts& delta) {
  return Op([&]() -> Status {
    TAJO_RETURN_IF_ERROR(NonEmpty(resource, "run counts resource"));
    if (delta.created < 0 || delta.updated < 0 || delta.unchanged < 0 || delta.skipped < 0 ||
        delta.failed < 0 || delta.deleted < 0) {
      return Status::InvalidArgument(
          fmt::format("store: run {} counts for {}: a count is negative", run_id, resource));
    }
    TAJO_RETURN_IF_ERROR(RequireRunning(run_id, "add run counts"));
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q,
        db_.Prepare("INSERT INTO sync_run_counts (run_id, resource, created, updated, unchanged, "
                    "skipped, failed, deleted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                    "ON CONFLICT (run_id, resource) DO UPDATE SET "
                    "created = created + excluded.created, "
                    "updated = updated + excluded.updated, "
                    "unchanged = unchanged + excluded.unchanged, "
                    "skipped = skipped + excluded.skipped, "
                    "failed = failed + excluded.failed, deleted = deleted + excluded.deleted",
                    "add run counts"));
    TAJO_RETURN_IF_ERROR(q.Bind(run_id, resource, delta.created, delta.updated, delta.unchanged,
                                delta.skipped, delta.failed, delta.deleted));
    return q.Run();
  });
}

Status SqliteTx::AddRunCalls(int64_t run_id, std::string_view service, int64_t calls) {
  return Op([&]() -> Status {
    TAJO_RETURN_IF_ERROR(NonEmpty(service, "run calls service"));
    if (calls < 0) {
      return Status::InvalidArgument(
          fmt::format("store: run {} calls for {}: negative count {}", run_id, service, calls));
    }
    TAJO_RETURN_IF_ERROR(RequireRunning(run_id, "add run calls"));
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("INSERT INTO sync_run_calls (run_id, service, calls) "
                            "VALUES (?1, ?2, ?3) ON CONFLICT (run_id, service) DO UPDATE SET "
                            "calls = calls + excluded.calls",
                            "add run calls"));
    TAJO_RETURN_IF_ERROR(q.Bind(run_id, service, calls));
    return q.Run();
  });
}

Status SqliteTx::FinishRun(int64_t run_id, RunState final_state, std::string_view error) {
  return Op([&]() -> Status {
    if (final_state == RunState::kRunning) {
      return Status::InvalidArgument(
          fmt::format("store: finish run {}: the final state cannot be running", run_id));
    }
    TAJO_RETURN_IF_ERROR(RequireRunning(run_id, "finish run"));
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("UPDATE sync_runs SET state = ?2, finished_at = ?3, error = ?4 "
                            "WHERE id = ?1",
                            "finish run"));
    TAJO_RETURN_IF_ERROR(q.Bind(run_id, RunStateName(final_state), clock_.NowMicros(),
                                final_state == RunState::kSucceeded ? std::string_view() : error));
    return q.Run();
  });
}

// ---- per-record errors

Result<std::vector<RecordError>> SqliteTx::ListRecordErrors(const RecordErrorQuery& query) {
  return Op([&]() -> Result<std::vector<RecordError>> {
    TAJO_RETURN_IF_ERROR(InRange(query.limit, 10000, "list record errors"));
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q,
        db_.Prepare("SELECT " RECORD_ERROR_COLUMNS " FROM record_errors WHERE connection = ?1 "
                    "AND (?2 IS NULL OR resource = ?2) "
                    "AND (?3 OR resolved_at IS NULL) "
                    "ORDER BY last_seen DESC, resource, record_id LIMIT ?4",
                    "list record errors"));
    TAJO_RETURN_IF_ERROR(
        q.Bind(query.connection, query.resource, query.include_resolved ? 1 : 0, query.limit));
    return AllRows(q, DecodeRecordError);
  });
}

Result<int64_t> SqliteTx::CountUnresolvedErrors(std::string_view connection) {
  return Op([&]() -> Result<int64_t> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("SELECT count(*) FROM record_errors WHERE connection = ?1 "
                            "AND resolved_at IS NULL",
                            "count unresolved errors"));
    TAJO_RETURN_IF_ERROR(q.Bind(connection));
    return CountRows(q);
  });
}

Status SqliteTx::ReportRecordError(std::string_view connection, std::string_view resource,
                                   std::string_view record_id, std::string_view reason,
                                   std::string_view message) {
  return Op([&]() -> Status {
    TAJO_RETURN_IF_ERROR(NonEmpty(resource, "record error resource"));
    TAJO_RETURN_IF_ERROR(NonEmpty(record_id, "record error record id"));
    TAJO_RETURN_IF_ERROR(NonEmpty(reason, "record error reason"));
    // In DO UPDATE, bare column names are the stored row's values (before this update).
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q,
        db_.Prepare("INSERT INTO record_errors (connection, resource, record_id, reason, message, "
                    "first_seen, last_seen, attempts, resolved_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1, NULL) "
                    "ON CONFLICT (connection, resource, record_id) DO UPDATE SET "
                    "reason = excluded.reason, message = excluded.message, "
                    "last_seen = excluded.last_seen, "
                    "first_seen = CASE WHEN resolved_at IS NULL THEN first_seen "
                    "ELSE excluded.first_seen END, "
                    "attempts = CASE WHEN resolved_at IS NULL THEN attempts + 1 ELSE 1 END, "
                    "resolved_at = NULL",
                    "report record error"));
    TAJO_RETURN_IF_ERROR(
        q.Bind(connection, resource, record_id, reason, message, clock_.NowMicros()));
    return Explain(
        db_, q.Run(),
        fmt::format("report record error: connection {} does not exist", Quoted(connection)), "");
  });
}

Result<bool> SqliteTx::ResolveRecordError(std::string_view connection, std::string_view resource,
                                          std::string_view record_id) {
  return Op([&]() -> Result<bool> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("UPDATE record_errors SET resolved_at = ?4 WHERE connection = ?1 "
                            "AND resource = ?2 AND record_id = ?3 AND resolved_at IS NULL",
                            "resolve record error"));
    TAJO_RETURN_IF_ERROR(q.Bind(connection, resource, record_id, clock_.NowMicros()));
    TAJO_RETURN_IF_ERROR(q.Run());
    return q.Changes() > 0;
  });
}

}  // namespace tajo::store
