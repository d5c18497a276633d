// SqliteStore: the embedded SQLite engine of the StateStore — one database file, opened in WAL
// mode so that readers never wait for the writer and several processes can share the file.
//
// Settings, applied on every open:
//   journal_mode=WAL       readers and one writer at a time; other processes welcome.
//   synchronous=FULL       a commit is on disk before Transaction returns. NORMAL would be
//                          faster, but in WAL mode it can lose the last commits on power loss;
//                          tajo acknowledges webhooks and advances checkpoints on commit
//                          (DESIGN.md §3.3, §3.5), and commits once per batch, not per record, so
//                          the fsync per commit is cheap next to the API calls it records.
//   foreign_keys=ON        links, cursors, runs and errors need an existing connection;
//                          deleting one cascades.
//   busy timeout           StoreOptions::busy_timeout_millis (5 s): a writer waits for another
//                          process's transaction instead of failing with SQLITE_BUSY.
// Writes run in BEGIN IMMEDIATE transactions (the write lock is taken up front, so two writers
// queue on the busy timeout instead of deadlocking on a lock upgrade); reads in BEGIN DEFERRED.
//
// Thread-safe: one connection, serialized by a mutex held for a whole transaction.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>

#include "core/clock.h"
#include "store/sqlite_db.h"
#include "store/sqlite_migrations.h"
#include "store/state_store.h"

namespace tajo::store {

class SqliteStore final : public StateStore {
 public:
  // Opens or creates the database file at `path` (":memory:" for a private in-memory store),
  // applies the settings above and `migrations` (by default the tajo schema).
  // Failure (the message names the path): kIOError when the file cannot be opened or written
  // (missing directory, a directory, no permission, read-only); kCorruption when it is not a
  // readable SQLite database; kFailedPrecondition when it has a newer schema or belongs to
  // another program.
  static Result<std::unique_ptr<SqliteStore>> Open(
      const std::string& path, const StoreOptions& options = {},
      std::span<const Migration> migrations = SqliteMigrations());

  ~SqliteStore() override;

  Status Transaction(const std::function<Status(StoreTx& tx)>& fn) override;
  Status Read(const std::function<Status(StoreReader& reader)>& fn) override;

  const std::string& path() const { return db_->path(); }

 private:
  SqliteStore(std::unique_ptr<SqliteDb> db, Clock& clock) : db_(std::move(db)), clock_(clock) {}

  // Runs `fn` between `begin` and COMMIT (ROLLBACK on any failure), holding the mutex.
  Status Run(const char* begin, const std::function<Status(StoreTx& tx)>& fn);

  std::mutex mu_;
  std::atomic<std::thread::id> owner_;  // the thread inside a transaction, if any
  std::unique_ptr<SqliteDb> db_;        // guarded by mu_
  Clock& clock_;
};

}  // namespace tajo::store
