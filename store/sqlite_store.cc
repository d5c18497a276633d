#include "store/sqlite_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "core/log.h"
#include "store/sqlite_tx.h"

namespace tajo::store {
namespace {

constexpr std::string_view kMemory = ":memory:";

// Clearer messages than SQLite's "unable to open database file" for the usual mistakes.
Status CheckPath(const std::string& path) {
  namespace fs = std::filesystem;
  if (path == kMemory) return Status::Ok();
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (fs::is_directory(st)) {
    return Status::IOError(fmt::format("database {} is a directory, not a database file", path));
  }
  if (st.type() == fs::file_type::not_found) {
    fs::path parent = fs::path(path).parent_path();
    if (parent.empty()) parent = ".";
    fs::file_status ps = fs::status(parent, ec);
    if (!fs::exists(ps)) {
      return Status::IOError(fmt::format(
          "database {} cannot be created: directory {} does not exist", path, parent.string()));
    }
    if (!fs::is_directory(ps)) {
      return Status::IOError(fmt::format("database {} cannot be created: {} is not a directory",
                                         path, parent.string()));
    }
  }
  return Status::Ok();
}

// Applies the connection settings described in sqlite_store.h.
Status Configure(SqliteDb& db) {
  if (sqlite3_db_readonly(db.raw(), "main") == 1) {
    return db.Fail(StatusCode::kIOError,
                   "opened read-only; tajo must write its store (check the permissions of the file "
                   "and of its directory)");
  }
  // Read the header before changing anything: a file that is not a database fails here.
  TAJO_RETURN_IF_ERROR(db.QueryInt("PRAGMA user_version", "read database header").status());
  Result<std::string> mode = db.QueryText("PRAGMA journal_mode = WAL", "enable WAL");
  if (!mode.ok()) return mode.status();
  if (*mode != "wal" && !(db.path() == kMemory && *mode == "memory")) {
    // Still correct, only less concurrent (e.g. a file system without shared memory).
    Log().Warn("store", "WAL journal mode unavailable; other processes will wait for writers",
               {{"path", db.path()}, {"journal_mode", *mode}});
  }
  TAJO_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous = FULL", "set synchronous"));
  // 32 MB of page cache (SQLite's default is 2 MB): the inbox, links and snapshots of a large
  // account stay in memory instead of being read again for every batch.
  TAJO_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size = -32768", "set cache size"));
  TAJO_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON", "enable foreign keys"));
  Result<int64_t> fk = db.QueryInt("PRAGMA foreign_keys", "check foreign keys");
  if (!fk.ok()) return fk.status();
  if (*fk != 1) {
    return db.Fail(StatusCode::kInternal, "this SQLite library does not enforce foreign keys");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const StoreOptions& options,
                                                       std::span<const Migration> migrations) {
  if (path.empty()) return Status::InvalidArgument("store: empty database path");
  TAJO_RETURN_IF_ERROR(CheckPath(path));
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path, options.busy_timeout_millis);
  if (!db.ok()) return db.status();
  TAJO_RETURN_IF_ERROR(Configure(**db));
  TAJO_RETURN_IF_ERROR(Migrate(**db, migrations));
  Clock& clock = options.clock != nullptr ? *options.clock : SystemClock();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db).value(), clock));
}

SqliteStore::~SqliteStore() {
  std::lock_guard<std::mutex> lock(mu_);
  db_.reset();
}

Status SqliteStore::Transaction(const std::function<Status(StoreTx& tx)>& fn) {
  return Run("BEGIN IMMEDIATE", fn);
}

Status SqliteStore::Read(const std::function<Status(StoreReader& reader)>& fn) {
  return Run("BEGIN DEFERRED", [&](StoreTx& tx) { return fn(tx); });
}

Status SqliteStore::Run(const char* begin, const std::function<Status(StoreTx& tx)>& fn) {
  if (owner_.load() == std::this_thread::get_id()) {
    return Status::FailedPrecondition(
        "store: Transaction/Read called inside another transaction of the same store on the same "
        "thread; use the StoreTx you were given");
  }
  std::lock_guard<std::mutex> lock(mu_);
  owner_.store(std::this_thread::get_id());

  // Ends the transaction however the callback leaves (return or exception): rolls back unless
  // committed, and gives up ownership before the mutex is released.
  struct Finish {
    SqliteStore* store;
    bool committed = false;
    ~Finish() {
      SqliteDb& db = *store->db_;
      if (!committed && db.InTransaction()) {
        Result<Stmt> rollback = db.Prepare("ROLLBACK", "roll back");
        Status s = rollback.ok() ? rollback->Run() : rollback.status();
        if (!s.ok()) Log().Error("store", "rollback failed", {{"error", s.ToString()}});
      }
      store->owner_.store(std::thread::id());
    }
  } finish{this};

  {
    Result<Stmt> stmt = db_->Prepare(begin, "begin transaction");
    if (!stmt.ok()) return stmt.status();
    TAJO_RETURN_IF_ERROR(stmt->Run());
  }
  SqliteTx tx(*db_, clock_);
  Status s = fn(tx);
  if (s.ok() && !tx.first_error().ok()) {
    s = tx.first_error().WithContext("store: transaction rolled back because an operation failed");
  }
  if (!s.ok()) return s;
  Result<Stmt> commit = db_->Prepare("COMMIT", "commit");
  if (!commit.ok()) return commit.status();
  TAJO_RETURN_IF_ERROR(commit->Run());
  finish.committed = true;
  return Status::Ok();
}

}  // namespace tajo::store
