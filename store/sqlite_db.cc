#include "store/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstring>
#include <utility>

namespace tajo::store {
namespace {

StatusCode CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StatusCode::kCorruption;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
      return StatusCode::kIOError;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StatusCode::kUnavailable;
    case SQLITE_NOMEM:
      return StatusCode::kResourceExhausted;
    case SQLITE_INTERRUPT:
      return StatusCode::kAborted;
    case SQLITE_TOOBIG:
      return StatusCode::kInvalidArgument;
    case SQLITE_CONSTRAINT:
      switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
          return StatusCode::kAlreadyExists;
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return StatusCode::kFailedPrecondition;
        default:
          return StatusCode::kInvalidArgument;
      }
    default:
      return StatusCode::kInternal;
  }
}

const char* TypeName(int type) {
  switch (type) {
    case SQLITE_INTEGER:
      return "an integer";
    case SQLITE_FLOAT:
      return "a real number";
    case SQLITE_TEXT:
      return "text";
    case SQLITE_BLOB:
      return "a blob";
    case SQLITE_NULL:
      return "NULL";
  }
  return "an unknown type";
}

}  // namespace

// ---- Stmt

Stmt::Stmt(SqliteDb* db, sqlite3_stmt* stmt, bool* in_use, std::string_view what)
    : db_(db), stmt_(stmt), in_use_(in_use), what_(what) {}

Stmt::Stmt(Stmt&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), in_use_(other.in_use_), what_(other.what_) {
  other.stmt_ = nullptr;
  other.in_use_ = nullptr;
}

Stmt::~Stmt() {
  if (stmt_ == nullptr) return;
  if (in_use_ != nullptr) {
    // Errors from reset repeat the last step's error, which was already reported.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

Status Stmt::Check(int rc) const { return rc == SQLITE_OK ? Status::Ok() : db_->Error(rc, what_); }

Status Stmt::BindOne(int i, std::string_view v) {
  // A null data pointer would bind NULL; an empty string_view is still the empty text.
  const char* data = v.data() != nullptr ? v.data() : "";
  return Check(sqlite3_bind_text64(stmt_, i, data, v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}
Status Stmt::BindOne(int i, int64_t v) { return Check(sqlite3_bind_int64(stmt_, i, v)); }
Status Stmt::BindOne(int i, Blob v) {
  // A zero-length blob is still a blob (sqlite3_bind_blob64 with a null pointer binds NULL).
  if (v.bytes.empty()) return Check(sqlite3_bind_zeroblob(stmt_, i, 0));
  return Check(sqlite3_bind_blob64(stmt_, i, v.bytes.data(), v.bytes.size(), SQLITE_TRANSIENT));
}
Status Stmt::BindOne(int i, std::nullopt_t) { return Check(sqlite3_bind_null(stmt_, i)); }

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(rc, what_);
}

Status Stmt::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

int64_t Stmt::Changes() const { return sqlite3_changes64(db_->raw()); }

// ---- Row

bool Row::Expect(int col, int type, bool null_ok, const char* expected) {
  int actual = sqlite3_column_type(stmt_.raw(), col);
  if (actual == type || (null_ok && actual == SQLITE_NULL)) return true;
  Fail(col, fmt::format("holds {}, expected {}", TypeName(actual), expected));
  return false;
}

int64_t Row::Int64(int col) {
  return Expect(col, SQLITE_INTEGER, false, "an integer") ? sqlite3_column_int64(stmt_.raw(), col)
                                                          : 0;
}

std::optional<int64_t> Row::OptInt64(int col) {
  if (!Expect(col, SQLITE_INTEGER, true, "an integer or NULL")) return std::nullopt;
  if (sqlite3_column_type(stmt_.raw(), col) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt_.raw(), col);
}

std::string Row::Text(int col) {
  if (!Expect(col, SQLITE_TEXT, false, "text")) return {};
  return Bytes(col);
}

std::optional<std::string> Row::OptText(int col) {
  if (!Expect(col, SQLITE_TEXT, true, "text or NULL")) return std::nullopt;
  if (sqlite3_column_type(stmt_.raw(), col) == SQLITE_NULL) return std::nullopt;
  return Bytes(col);
}

std::string Row::Bytes(int col) {
  sqlite3_stmt* s = stmt_.raw();
  int type = sqlite3_column_type(s, col);
  if (type == SQLITE_NULL) return {};
  if (type != SQLITE_TEXT && type != SQLITE_BLOB) {
    Fail(col, fmt::format("holds {}, expected text or a blob", TypeName(type)));
    return {};
  }
  // Ask for the pointer first, then the size (the order SQLite documents as safe).
  const void* data = type == SQLITE_TEXT ? static_cast<const void*>(sqlite3_column_text(s, col))
                                         : sqlite3_column_blob(s, col);
  int size = sqlite3_column_bytes(s, col);
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

void Row::Fail(int col, std::string problem) {
  if (!problem_.empty()) return;
  const char* name = sqlite3_column_name(stmt_.raw(), col);
  column_ = name != nullptr ? name : fmt::format("column {}", col);
  problem_ = std::move(problem);
}

Status Row::status() const {
  if (problem_.empty()) return Status::Ok();
  std::string where = fmt::format("{}.{}", table_, column_);
  if (!row_.empty()) where += fmt::format(" ({})", row_);
  return stmt_.db().Fail(StatusCode::kCorruption,
                         fmt::format("corrupt value in {}: {}", where, problem_));
}

// ---- SqliteDb

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, int busy_timeout_millis) {
  sqlite3* db = nullptr;
  // NOMUTEX: the owner serializes all use. No SQLITE_OPEN_URI: a location is always a file name.
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (db == nullptr) {
    return Status::ResourceExhausted(fmt::format("database {}: out of memory opening it", path));
  }
  std::unique_ptr<SqliteDb> out(new SqliteDb(db, path));
  if (rc != SQLITE_OK) return out->Error(rc, "cannot open");
  sqlite3_extended_result_codes(db, 1);
  rc = sqlite3_busy_timeout(db, busy_timeout_millis);
  if (rc != SQLITE_OK) return out->Error(rc, "set busy timeout");
  return out;
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  // Every Stmt is gone by now (REQUIRES), so close cannot be refused for open statements.
  sqlite3_close_v2(db_);
}

Status SqliteDb::Exec(const std::string& sql, std::string_view what) {
  char* msg = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg);
  sqlite3_free(msg);  // the same text sqlite3_errmsg returns
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, what);
}

Result<Stmt> SqliteDb::Prepare(std::string_view sql, std::string_view what) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Stmt(this, it->second.stmt, &it->second.in_use, what);
  }
  sqlite3_stmt* stmt = nullptr;
  // PERSISTENT: these statements live as long as the connection.
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              it == cache_.end() ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, what);
  if (stmt == nullptr) return Fail(StatusCode::kInternal, fmt::format("{}: empty SQL", what));
  if (it != cache_.end()) {
    // The cached one is busy (a statement used while iterating itself): use a private copy.
    return Stmt(this, stmt, nullptr, what);
  }
  Cached& slot = cache_.try_emplace(std::string(sql)).first->second;
  slot.stmt = stmt;
  slot.in_use = true;
  return Stmt(this, stmt, &slot.in_use, what);
}

Result<int64_t> SqliteDb::QueryInt(std::string_view sql, std::string_view what) {
  Result<Stmt> stmt = Prepare(sql, what);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Fail(StatusCode::kInternal, fmt::format("{}: no result row", what));
  Row r(*stmt, what);
  int64_t v = r.Int64(0);
  TAJO_RETURN_IF_ERROR(r.status());
  return v;
}

Result<std::string> SqliteDb::QueryText(std::string_view sql, std::string_view what) {
  Result<Stmt> stmt = Prepare(sql, what);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Fail(StatusCode::kInternal, fmt::format("{}: no result row", what));
  Row r(*stmt, what);
  std::string v = r.Text(0);
  TAJO_RETURN_IF_ERROR(r.status());
  return v;
}

bool SqliteDb::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Status SqliteDb::Error(int rc, std::string_view what) const {
  // sqlite3_errmsg describes the most recent failure on this connection, which is `rc`'s when
  // called right after it; fall back to the generic text if they disagree.
  std::string detail =
      sqlite3_extended_errcode(db_) == rc ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  int sys = sqlite3_system_errno(db_);
  int primary = rc & 0xff;
  if (sys != 0 && (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
                   primary == SQLITE_READONLY || primary == SQLITE_FULL)) {
    detail += fmt::format(" ({})", std::strerror(sys));
  }
  return Fail(CodeFor(rc), fmt::format("{}: {}", what, detail));
}

Status SqliteDb::Fail(StatusCode code, std::string_view message) const {
  return Status(code, fmt::format("database {}: {}", path_, message));
}

}  // namespace tajo::store
