// SqliteDb: one SQLite connection, its cache of prepared statements, and the translation of
// SQLite result codes into Status. Internal to the SQLite engine of the state store.
//
// Every message names the database path ("database /var/lib/tajo.db: upsert link: UNIQUE
// constraint failed: links.connection, links.brevo_id"). Codes: SQLITE_CORRUPT/NOTADB ->
// kCorruption; IOERR/CANTOPEN/FULL/READONLY/PERM -> kIOError; BUSY/LOCKED -> kUnavailable;
// CONSTRAINT_UNIQUE/PRIMARYKEY -> kAlreadyExists; CONSTRAINT_FOREIGNKEY -> kFailedPrecondition;
// other constraints -> kInvalidArgument; NOMEM -> kResourceExhausted; the rest -> kInternal.
//
// Not thread-safe: the owner serializes every use (SqliteStore holds a mutex). A Stmt must not
// outlive its SqliteDb.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tajo::store {

class SqliteDb;

// Binds as a BLOB (a plain string binds as TEXT).
struct Blob {
  std::string_view bytes;
};

// A prepared statement borrowed from SqliteDb's cache; reset and unbound when destroyed.
class Stmt {
 public:
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binds the arguments to parameters 1..N in order. Supported: string-like (TEXT), int64_t and
  // int (INTEGER), Blob (BLOB), std::nullopt (NULL) and std::optional of those (NULL when empty).
  template <typename... Args>
  Status Bind(const Args&... args) {
    [[maybe_unused]] int i = 0;
    Status s;
    ((s.ok() ? (s = BindOne(++i, args), 0) : 0), ...);
    return s;
  }

  // Steps once. true: a row is ready; false: the statement is done.
  Result<bool> Step();
  // Steps to completion (an INSERT/UPDATE/DELETE, or a query whose rows are ignored).
  Status Run();
  // Rows changed by the last Run().
  int64_t Changes() const;

  sqlite3_stmt* raw() const { return stmt_; }
  SqliteDb& db() const { return *db_; }
  std::string_view what() const { return what_; }

 private:
  friend class SqliteDb;
  Stmt(SqliteDb* db, sqlite3_stmt* stmt, bool* in_use, std::string_view what);

  Status BindOne(int i, std::string_view v);
  Status BindOne(int i, const std::string& v) { return BindOne(i, std::string_view(v)); }
  Status BindOne(int i, const char* v) { return BindOne(i, std::string_view(v)); }
  Status BindOne(int i, int64_t v);
  Status BindOne(int i, int v) { return BindOne(i, static_cast<int64_t>(v)); }
  Status BindOne(int i, Blob v);
  Status BindOne(int i, std::nullopt_t);
  template <typename T>
  Status BindOne(int i, const std::optional<T>& v) {
    return v ? BindOne(i, *v) : BindOne(i, std::nullopt);
  }
  Status Check(int rc) const;

  SqliteDb* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache slot's flag; nullptr when this statement is not cached (owned)
  std::string_view what_;
};

// Reads the columns of the current row of a Stmt, checking each value's type. The first problem
// is kept and reported by status() as kCorruption naming table, column and row, so decoding code
// reads every column and checks once.
class Row {
 public:
  Row(const Stmt& stmt, std::string_view table) : stmt_(stmt), table_(table) {}

  int64_t Int64(int col);                       // INTEGER
  std::optional<int64_t> OptInt64(int col);     // INTEGER or NULL
  std::string Text(int col);                    // TEXT
  std::optional<std::string> OptText(int col);  // TEXT or NULL
  std::string Bytes(int col);                   // BLOB, TEXT or NULL (empty)

  // Names the row in an error message, e.g. "run 3".
  void Describe(std::string row) { row_ = std::move(row); }
  // Records a problem the caller found in column `col` (e.g. an unknown enum name).
  void Fail(int col, std::string problem);
  // OK, or kCorruption: "database P: corrupt value in table.column (row): problem".
  Status status() const;

 private:
  bool Expect(int col, int type, bool null_ok, const char* expected);

  const Stmt& stmt_;
  std::string_view table_;
  std::string row_;
  std::string column_;   // of the first problem
  std::string problem_;  // empty while every value read so far was fine
};

class SqliteDb {
 public:
  // Opens `path` (":memory:" for a private in-memory database) for reading and writing, creating
  // it when missing, with extended result codes and the busy timeout set.
  // kIOError naming the path (and the OS reason) when it cannot be opened.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, int busy_timeout_millis);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  const std::string& path() const { return path_; }
  sqlite3* raw() const { return db_; }

  // Runs one or more SQL statements that return no rows we need.
  Status Exec(const std::string& sql, std::string_view what);
  // The statement for `sql`, from the cache (prepared on first use). `what` names the operation in
  // error messages and must outlive the Stmt (use a literal).
  Result<Stmt> Prepare(std::string_view sql, std::string_view what);
  // The first column of the first row of `sql` as an integer / text (e.g. a PRAGMA).
  Result<int64_t> QueryInt(std::string_view sql, std::string_view what);
  Result<std::string> QueryText(std::string_view sql, std::string_view what);

  // True while a transaction is open on this connection.
  bool InTransaction() const;

  // The Status for SQLite result code `rc` (REQUIRES an error code) during `what`.
  Status Error(int rc, std::string_view what) const;
  // A Status of `code` for this database: "database <path>: <message>".
  Status Fail(StatusCode code, std::string_view message) const;

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // Looks statements up by std::string_view without building a std::string.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>()(sql); }
  };

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;  // by SQL text
};

}  // namespace tajo::store
