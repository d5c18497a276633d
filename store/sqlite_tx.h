// SqliteTx: the StoreTx of the SQLite engine — every read and write of the state store as SQL on
// one SqliteDb, inside a transaction that SqliteStore opened. Internal to the SQLite engine.
//
// It remembers the first failed operation, so the transaction is rolled back even if the callback
// ignores the failure.
//
// Not thread-safe: used only by the thread running the transaction callback.
#pragma once

#include "core/clock.h"
#include "store/sqlite_db.h"
#include "store/state_store.h"

namespace tajo::store {

class SqliteTx final : public StoreTx {
 public:
  SqliteTx(SqliteDb& db, Clock& clock) : db_(db), clock_(clock) {}
  SqliteTx(const SqliteTx&) = delete;
  SqliteTx& operator=(const SqliteTx&) = delete;

  // The first operation that failed, or OK.
  const Status& first_error() const { return first_error_; }

  Result<std::optional<Connection>> GetConnection(std::string_view name) override;
  Result<std::vector<Connection>> ListConnections() override;
  Result<std::optional<Link>> GetLinkByHubSpotId(std::string_view connection,
                                                 std::string_view hubspot_id) override;
  Result<std::optional<Link>> GetLinkByBrevoId(std::string_view connection,
                                               int64_t brevo_id) override;
  Result<std::vector<Link>> FindLinksByEmail(std::string_view connection,
                                             std::string_view email) override;
  Result<std::vector<Link>> ListLinks(std::string_view connection,
                                      std::string_view after_hubspot_id, int limit) override;
  Result<int64_t> CountLinks(std::string_view connection) override;
  Result<Snapshot> GetSnapshot(std::string_view connection, std::string_view hubspot_id) override;
  Result<std::optional<Cursor>> GetCursor(std::string_view connection, std::string_view resource,
                                          std::string_view kind) override;
  Result<std::vector<Cursor>> ListCursors(std::string_view connection) override;
  Result<std::optional<SyncRun>> GetRun(int64_t run_id) override;
  Result<std::vector<SyncRun>> ListRuns(const RunQuery& query) override;
  Result<std::vector<RecordError>> ListRecordErrors(const RecordErrorQuery& query) override;
  Result<int64_t> CountUnresolvedErrors(std::string_view connection) override;
  Result<std::optional<InboxEvent>> GetInboxEvent(int64_t id) override;
  Result<std::vector<InboxEvent>> ListInbox(const InboxQuery& query) override;
  Result<InboxCounts> CountInbox(std::string_view connection) override;
  Result<std::optional<Lease>> GetLease(std::string_view name) override;

  Status UpsertConnection(const Connection& c) override;
  Result<bool> DeleteConnection(std::string_view name) override;
  Status UpsertLink(const Link& link) override;
  Result<bool> DeleteLink(std::string_view connection, std::string_view hubspot_id) override;
  Status WriteSnapshot(std::string_view connection, std::string_view hubspot_id,
                       const Snapshot& fields) override;
  Status SetCursor(std::string_view connection, std::string_view resource, std::string_view kind,
                   std::string_view value) override;
  Result<bool> DeleteCursor(std::string_view connection, std::string_view resource,
                            std::string_view kind) override;
  Result<int64_t> StartRun(const RunStart& start) override;
  Status SaveRunCheckpoint(int64_t run_id, std::string_view checkpoint) override;
  Status AddRunCounts(int64_t run_id, std::string_view resource, const RunCounts& delta) override;
  Status AddRunCalls(int64_t run_id, std::string_view service, int64_t calls) override;
  Status FinishRun(int64_t run_id, RunState final_state, std::string_view error) override;
  Status ReportRecordError(std::string_view connection, std::string_view resource,
                           std::string_view record_id, std::string_view reason,
                           std::string_view message) override;
  Result<bool> ResolveRecordError(std::string_view connection, std::string_view resource,
                                  std::string_view record_id) override;
  Result<int64_t> EnqueueInbox(const std::vector<InboxEvent>& events) override;
  Result<std::vector<InboxEvent>> ClaimInbox(std::string_view connection, std::string_view owner,
                                             int limit, int64_t claim_until_micros) override;
  Status CompleteInbox(const std::vector<int64_t>& ids) override;
  Status RetryInbox(int64_t id, std::string_view error, int64_t next_attempt_micros) override;
  Status DeadLetterInbox(int64_t id, std::string_view error) override;
  Result<bool> ReplayInbox(int64_t id) override;
  Result<int64_t> ReplayAllDead(std::string_view connection) override;
  Result<bool> DropDeadLetter(int64_t id) override;
  Result<int64_t> DropAllDead(std::string_view connection) override;
  Result<int64_t> ReleaseInboxClaims(std::string_view connection) override;
  Result<int64_t> PruneInbox(std::string_view connection, int64_t finished_before_micros) override;
  Result<bool> AcquireLease(std::string_view name, std::string_view owner,
                            int64_t until_micros) override;
  Result<bool> ReleaseLease(std::string_view name, std::string_view owner) override;

 private:
  // Runs one operation and remembers its failure.
  template <typename Fn>
  auto Op(Fn&& fn) -> decltype(fn()) {
    auto result = fn();
    const Status& s = StatusOf(result);
    if (!s.ok() && first_error_.ok()) first_error_ = s;
    return result;
  }
  static const Status& StatusOf(const Status& s) { return s; }
  template <typename T>
  static Status StatusOf(const Result<T>& r) {
    return r.status();
  }

  Result<std::vector<Link>> QueryLinks(Stmt& stmt);
  Result<SyncRun> ReadRun(Stmt& stmt);  // decodes the current row, then loads counts and calls
  Status RequireRunning(int64_t run_id, std::string_view what);
  Status RequirePending(int64_t id, std::string_view what);  // the inbox event exists, pending

  SqliteDb& db_;
  Clock& clock_;
  Status first_error_;
};

}  // namespace tajo::store
