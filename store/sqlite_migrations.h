// The numbered schema migrations of the SQLite engine, and the runner that applies them.
//
// Migration N takes the schema from version N-1 to N. The version lives in PRAGMA user_version
// (0 = empty database) and the file is marked as a tajo store by PRAGMA application_id, so the
// sqlite3 shell shows both and no extra table is needed. Each migration runs in one IMMEDIATE
// transaction together with the version bump: a failed migration leaves the previous version
// intact, and two processes opening a fresh file at once apply each step exactly once.
//
// Rules for a new migration: append, never edit a released one; no statements that cannot run in a
// transaction (VACUUM, journal_mode). A later PostgreSQL engine keeps its own list in its dialect.
//
// Not thread-safe by itself: Migrate runs on a SqliteDb its caller owns.
#pragma once

#include <span>
#include <string_view>

#include "core/status.h"

namespace tajo::store {

class SqliteDb;

struct Migration {
  int version;            // 1, 2, 3, ... in order
  std::string_view name;  // what it does, for messages
  std::string_view sql;   // one or more statements
};

// PRAGMA application_id of a tajo store ("tajo" in ASCII).
inline constexpr int kTajoApplicationId = 0x74616a6f;

// Every migration of the SQLite schema, oldest first.
std::span<const Migration> SqliteMigrations();

// Brings `db` to the newest version in `migrations` (REQUIRES versions 1..N in order).
// kFailedPrecondition when the database was written by a newer tajo ("database P has schema
// version 7, this tajo supports up to 3: upgrade tajo") or is some other program's database;
// the error of the failing statement (named with the migration) when a migration fails, the
// database then staying at the previous version.
Status Migrate(SqliteDb& db, std::span<const Migration> migrations);

}  // namespace tajo::store
