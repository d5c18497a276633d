#include "store/sqlite_migrations.h"

#include <fmt/format.h>

#include "store/sqlite_db.h"

namespace tajo::store {
namespace {

// Times are Unix microseconds (UTC). Enums are stored by their names (store/records.h).
// Tables are not STRICT: the reader checks every value's type anyway (a value edited by hand is
// reported as kCorruption naming table, column and row), and files stay readable by older sqlite3
// shells.
constexpr std::string_view kInitialSchema = R"sql(
-- Accounts tajo talks to, e.g. name 'hubspot' of kind 'hubspot'.
CREATE TABLE connections (
  name           TEXT NOT NULL PRIMARY KEY,
  kind           TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('disconnected', 'connected', 'error')),
  status_detail  TEXT NOT NULL,
  settings_json  TEXT NOT NULL,
  sealed_secrets BLOB NOT NULL,   -- opaque, sealed (encrypted) by the caller
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

-- HubSpot record <-> Brevo contact, per connection.
CREATE TABLE links (
  connection TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE,
  hubspot_id TEXT NOT NULL,
  brevo_id   INTEGER,             -- NULL until Brevo reports the contact's id
  email      TEXT NOT NULL,       -- normalized by the caller
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (connection, hubspot_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX links_by_brevo_id ON links(connection, brevo_id) WHERE brevo_id IS NOT NULL;
CREATE INDEX links_by_email ON links(connection, email);

-- Last synced value of each mapped field of a link, on each side (NULL = no value).
CREATE TABLE snapshots (
  connection    TEXT NOT NULL,
  hubspot_id    TEXT NOT NULL,
  field         TEXT NOT NULL,
  hubspot_value TEXT,
  brevo_value   TEXT,
  PRIMARY KEY (connection, hubspot_id, field),
  FOREIGN KEY (connection, hubspot_id) REFERENCES links(connection, hubspot_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE cursors (
  connection TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE,
  resource   TEXT NOT NULL,
  kind       TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (connection, resource, kind)
) WITHOUT ROWID;

-- AUTOINCREMENT: a run id is never reused, even after the newest runs are deleted.
CREATE TABLE sync_runs (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  connection     TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE,
  type           TEXT NOT NULL CHECK (type IN ('full', 'incremental')),
  resources_json TEXT NOT NULL,   -- JSON array of resource names
  direction      TEXT NOT NULL
                 CHECK (direction IN ('bidirectional', 'hubspot_to_brevo', 'brevo_to_hubspot')),
  state          TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER,
  error          TEXT NOT NULL,
  checkpoint     BLOB NOT NULL    -- opaque resume point; empty = none
);
CREATE INDEX sync_runs_by_connection ON sync_runs(connection, id);

CREATE TABLE sync_run_counts (
  run_id    INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
  resource  TEXT NOT NULL,
  created   INTEGER NOT NULL,
  updated   INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  skipped   INTEGER NOT NULL,
  failed    INTEGER NOT NULL,
  deleted   INTEGER NOT NULL,
  PRIMARY KEY (run_id, resource)
) WITHOUT ROWID;

CREATE TABLE sync_run_calls (
  run_id  INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
  service TEXT NOT NULL,
  calls   INTEGER NOT NULL,
  PRIMARY KEY (run_id, service)
) WITHOUT ROWID;

-- Records that failed to sync; one row per record, updated on every new failure.
CREATE TABLE record_errors (
  connection  TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE,
  resource    TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  reason      TEXT NOT NULL,
  message     TEXT NOT NULL,
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  attempts    INTEGER NOT NULL,
  resolved_at INTEGER,            -- NULL while unresolved
  PRIMARY KEY (connection, resource, record_id)
) WITHOUT ROWID;
CREATE INDEX record_errors_by_last_seen ON record_errors(connection, last_seen);
)sql";

// Webhook runs, the webhook inbox (its dead-letter queue is the rows in state 'dead') and leases.
//
// SQLite cannot change a CHECK constraint in place, so sync_runs is rebuilt to accept type
// 'webhook'. Its children are set aside first: with foreign keys on, dropping sync_runs would
// cascade into them. The AUTOINCREMENT high-water mark is carried over so run ids never repeat.
constexpr std::string_view kInboxSchema = R"sql(
CREATE TEMP TABLE migrate_run_counts AS SELECT * FROM sync_run_counts;
CREATE TEMP TABLE migrate_run_calls AS SELECT * FROM sync_run_calls;
CREATE TEMP TABLE migrate_run_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'sync_runs';
DROP TABLE sync_run_counts;
DROP TABLE sync_run_calls;

CREATE TABLE sync_runs_v2 (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  connection     TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE,
  type           TEXT NOT NULL CHECK (type IN ('full', 'incremental', 'webhook')),
  resources_json TEXT NOT NULL,   -- JSON array of resource names
  direction      TEXT NOT NULL
                 CHECK (direction IN ('bidirectional', 'hubspot_to_brevo', 'brevo_to_hubspot')),
  state          TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER,
  error          TEXT NOT NULL,
  checkpoint     BLOB NOT NULL    -- opaque resume point; empty = none
);
INSERT INTO sync_runs_v2 (id, connection, type, resources_json, direction, state, started_at,
                          finished_at, error, checkpoint)
  SELECT id, connection, type, resources_json, direction, state, started_at, finished_at, error,
         checkpoint FROM sync_runs;
DROP TABLE sync_runs;
ALTER TABLE sync_runs_v2 RENAME TO sync_runs;
DELETE FROM sqlite_sequence WHERE name = 'sync_runs';
INSERT INTO sqlite_sequence (name, seq) SELECT 'sync_runs', seq FROM migrate_run_seq;
CREATE INDEX sync_runs_by_connection ON sync_runs(connection, id);

CREATE TABLE sync_run_counts (
  run_id    INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
  resource  TEXT NOT NULL,
  created   INTEGER NOT NULL,
  updated   INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  skipped   INTEGER NOT NULL,
  failed    INTEGER NOT NULL,
  deleted   INTEGER NOT NULL,
  PRIMARY KEY (run_id, resource)
) WITHOUT ROWID;
INSERT INTO sync_run_counts SELECT run_id, resource, created, updated, unchanged, skipped, failed,
                                   deleted FROM migrate_run_counts;

CREATE TABLE sync_run_calls (
  run_id  INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
  service TEXT NOT NULL,
  calls   INTEGER NOT NULL,
  PRIMARY KEY (run_id, service)
) WITHOUT ROWID;
INSERT INTO sync_run_calls SELECT run_id, service, calls FROM migrate_run_calls;

DROP TABLE migrate_run_counts;
DROP TABLE migrate_run_calls;
DROP TABLE migrate_run_seq;

-- Webhook events to apply (pending), applied ones kept to recognise redeliveries (done), and the
-- dead-letter queue (dead). AUTOINCREMENT: an id is never reused, even after pruning.
CREATE TABLE inbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  connection      TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE,
  source          TEXT NOT NULL,
  dedup_key       TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  object_type     TEXT NOT NULL,
  object_id       TEXT NOT NULL,
  occurred_ms     INTEGER NOT NULL,   -- the event's own time, Unix milliseconds
  payload         TEXT NOT NULL,      -- the event as JSON
  state           TEXT NOT NULL CHECK (state IN ('pending', 'done', 'dead')),
  attempts        INTEGER NOT NULL,
  last_error      TEXT NOT NULL,
  received_at     INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  claimed_by      TEXT NOT NULL,      -- '' when free
  claim_until     INTEGER NOT NULL,
  finished_at     INTEGER             -- NULL while pending
);
-- Dedup (and the cascade from connections); then the claim, count, list and prune scans.
CREATE UNIQUE INDEX inbox_by_dedup_key ON inbox(connection, dedup_key);
CREATE INDEX inbox_by_state ON inbox(connection, state, id);

-- One owner of a named piece of work at a time, e.g. the `tajo serve` of a store.
CREATE TABLE leases (
  name        TEXT NOT NULL PRIMARY KEY,
  owner       TEXT NOT NULL,
  until_at    INTEGER NOT NULL,
  acquired_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema", kInitialSchema},
    {2, "webhook inbox and leases", kInboxSchema},
};

Status NotATajoStore(const SqliteDb& db, std::string_view why) {
  return Status::FailedPrecondition(fmt::format(
      "database {} is not a tajo store ({}); point the store at a new file", db.path(), why));
}

// The schema version of `db`, refusing a database this tajo must not touch.
Result<int64_t> CheckedVersion(SqliteDb& db, int latest) {
  Result<int64_t> version = db.QueryInt("PRAGMA user_version", "read schema version");
  if (!version.ok()) return version.status();
  Result<int64_t> app = db.QueryInt("PRAGMA application_id", "read application id");
  if (!app.ok()) return app.status();
  if (*app != 0 && *app != kTajoApplicationId) {
    return NotATajoStore(db, fmt::format("its application_id is {:#x}", *app));
  }
  if (*version > latest) {
    return Status::FailedPrecondition(
        fmt::format("database {} has schema version {}, this tajo supports up to {}: upgrade tajo",
                    db.path(), *version, latest));
  }
  if (*version < 0) return db.Fail(StatusCode::kCorruption, "negative schema version");
  if (*app == 0) {
    if (*version > 0) return NotATajoStore(db, "it has a schema version but no tajo mark");
    Result<int64_t> objects = db.QueryInt("SELECT count(*) FROM sqlite_schema", "read schema");
    if (!objects.ok()) return objects.status();
    if (*objects > 0) return NotATajoStore(db, "it already has tables");
  }
  return version;
}

// Applies `m` inside the open transaction unless another process already did.
Status ApplyOne(SqliteDb& db, const Migration& m, int latest) {
  Result<int64_t> version = CheckedVersion(db, latest);
  if (!version.ok()) return version.status();
  if (*version >= m.version) return Status::Ok();
  std::string what = fmt::format("migration {} ({})", m.version, m.name);
  TAJO_RETURN_IF_ERROR(db.Exec(std::string(m.sql), what));
  return db.Exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}",
                             kTajoApplicationId, m.version),
                 what);
}

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

Status Migrate(SqliteDb& db, std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Status::Internal(fmt::format("migration #{} has version {}, expected {}", i,
                                          migrations[i].version, i + 1));
    }
  }
  const int latest = static_cast<int>(migrations.size());
  Result<int64_t> version = CheckedVersion(db, latest);
  if (!version.ok()) return version.status();
  for (const Migration& m : migrations) {
    if (m.version <= *version) continue;
    // IMMEDIATE: take the write lock now, so two processes migrating at once queue up (busy
    // timeout) instead of failing when a reader tries to become a writer.
    TAJO_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE", "begin migration"));
    Status s = ApplyOne(db, m, latest);
    if (s.ok()) s = db.Exec("COMMIT", "commit migration");
    if (!s.ok()) {
      if (db.InTransaction()) (void)db.Exec("ROLLBACK", "roll back migration");
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace tajo::store
