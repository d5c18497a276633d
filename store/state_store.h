// StateStore: everything tajo remembers between calls — connections, links (HubSpot id <-> Brevo
// id/email), per-field snapshots, cursors, sync runs, per-record errors, the webhook inbox (with
// its dead-letter queue) and leases — behind one
// engine-neutral interface. Nothing here names a SQL engine; the SQLite engine lives in
// store/sqlite_store.h, and a PostgreSQL engine can be added behind the same interface.
//
// Four names for one set of operations:
//   StoreReader  the reads.
//   StoreWriter  the reads and the writes.
//   StoreTx      a StoreWriter whose writes all commit together or not at all; handed to the
//                callback of StateStore::Transaction (and, as a StoreReader, to Read).
//   StateStore   a StoreWriter where each call is its own transaction, plus Transaction/Read.
// Code that needs several writes to land atomically takes a StoreTx& (DESIGN.md §3.5: the
// snapshot is updated in the same transaction that saves the checkpoint), so a StateStore cannot
// be passed there by mistake.
//
// Errors: every method returns a Status/Result; a lookup that finds nothing is not an error
// (nullopt / empty / false). kInvalidArgument: a REQUIRES on the arguments was broken.
// kFailedPrecondition: the operation refers to something missing (e.g. a link of an unknown
// connection) or a run that already finished. kAlreadyExists: a uniqueness rule was broken.
// kCorruption: a stored value cannot be read (names the table, column and row). kIOError: the
// storage failed. kUnavailable: the database stayed locked by another process past the busy
// timeout (worth retrying).
//
// Thread-safety: a StateStore is safe to use from several threads at once; engines serialize
// work as they need (SQLite: one connection behind a mutex). Several processes may open the same
// store. A StoreTx is only valid inside its callback and on the callback's thread.
//
// The webhook inbox (store/inbox_records.h): events are inserted if new by dedup key, claimed
// ("up to N items for owner O until time T" — SQLite does it with UPDATE ... RETURNING under its
// single writer, PostgreSQL would use SELECT ... FOR UPDATE SKIP LOCKED inside the transaction),
// completed in the same transaction as the sync writes they caused, retried, dead-lettered,
// replayed or dropped. Leases give one owner a named piece of work across processes. The
// interface speaks of owners and expiry times, never of locks.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/inbox_records.h"
#include "store/records.h"

namespace tajo::store {

class StoreReader {
 public:
  virtual ~StoreReader() = default;

  // ---- connections
  // The connection named `name`, or nullopt.
  virtual Result<std::optional<Connection>> GetConnection(std::string_view name) = 0;
  // Every connection, by name.
  virtual Result<std::vector<Connection>> ListConnections() = 0;

  // ---- links
  virtual Result<std::optional<Link>> GetLinkByHubSpotId(std::string_view connection,
                                                         std::string_view hubspot_id) = 0;
  virtual Result<std::optional<Link>> GetLinkByBrevoId(std::string_view connection,
                                                       int64_t brevo_id) = 0;
  // Links whose email equals `email` exactly (REQUIRES normalized, see Link::email). Usually zero
  // or one; more than one means records changed email between reads and the caller must decide.
  virtual Result<std::vector<Link>> FindLinksByEmail(std::string_view connection,
                                                     std::string_view email) = 0;
  // Up to `limit` links with hubspot_id > `after_hubspot_id` (byte order), in that order: pass
  // the last id of a page to get the next. REQUIRES 1 <= limit <= 10000.
  virtual Result<std::vector<Link>> ListLinks(std::string_view connection,
                                              std::string_view after_hubspot_id, int limit) = 0;
  virtual Result<int64_t> CountLinks(std::string_view connection) = 0;

  // ---- snapshots
  // Every field snapshot of the link; empty when the link has none (or does not exist).
  virtual Result<Snapshot> GetSnapshot(std::string_view connection,
                                       std::string_view hubspot_id) = 0;

  // ---- cursors
  virtual Result<std::optional<Cursor>> GetCursor(std::string_view connection,
                                                  std::string_view resource,
                                                  std::string_view kind) = 0;
  // Every cursor of the connection, by (resource, kind).
  virtual Result<std::vector<Cursor>> ListCursors(std::string_view connection) = 0;

  // ---- sync runs
  virtual Result<std::optional<SyncRun>> GetRun(int64_t run_id) = 0;
  // Runs matching `query`, newest first.
  virtual Result<std::vector<SyncRun>> ListRuns(const RunQuery& query) = 0;

  // ---- per-record errors
  // Errors matching `query`, most recently seen first.
  virtual Result<std::vector<RecordError>> ListRecordErrors(const RecordErrorQuery& query) = 0;
  // Number of unresolved errors of the connection.
  virtual Result<int64_t> CountUnresolvedErrors(std::string_view connection) = 0;

  // ---- webhook inbox and dead-letter queue
  // The event with this id (in any state), or nullopt.
  virtual Result<std::optional<InboxEvent>> GetInboxEvent(int64_t id) = 0;
  // Events matching `query`, ascending id. REQUIRES 1 <= query.limit <= 10000.
  virtual Result<std::vector<InboxEvent>> ListInbox(const InboxQuery& query) = 0;
  // How many events of the connection are in each state (zeros for an unknown connection).
  virtual Result<InboxCounts> CountInbox(std::string_view connection) = 0;

  // ---- leases
  // The lease as stored (possibly expired: compare until_micros with now), or nullopt when
  // nobody holds it.
  virtual Result<std::optional<Lease>> GetLease(std::string_view name) = 0;
};

class StoreWriter : public StoreReader {
 public:
  // ---- connections
  // Creates the connection or replaces every field of the existing one with `c`'s (created time
  // kept). REQUIRES non-empty name and kind; settings_json is valid JSON.
  virtual Status UpsertConnection(const Connection& c) = 0;
  // Deletes the connection and everything that belongs to it (links, snapshots, cursors, runs,
  // errors, inbox events in every state). Leases are not per connection and stay. Returns whether
  // it existed.
  virtual Result<bool> DeleteConnection(std::string_view name) = 0;

  // ---- links
  // Creates or replaces the link keyed by (connection, hubspot_id); its snapshot is kept.
  // kFailedPrecondition when the connection does not exist; kAlreadyExists when another link of
  // the connection holds the same brevo_id. REQUIRES non-empty hubspot_id and email.
  virtual Status UpsertLink(const Link& link) = 0;
  // Deletes the link and its snapshot. Returns whether it existed.
  virtual Result<bool> DeleteLink(std::string_view connection, std::string_view hubspot_id) = 0;

  // ---- snapshots
  // Sets the listed fields of the link's snapshot (other fields are kept).
  // kFailedPrecondition when the link does not exist (checked when `fields` is not empty).
  // REQUIRES non-empty field names.
  virtual Status WriteSnapshot(std::string_view connection, std::string_view hubspot_id,
                               const Snapshot& fields) = 0;

  // ---- cursors
  // Creates or replaces the cursor. kFailedPrecondition when the connection does not exist.
  // REQUIRES non-empty resource and kind.
  virtual Status SetCursor(std::string_view connection, std::string_view resource,
                           std::string_view kind, std::string_view value) = 0;
  // Returns whether the cursor existed.
  virtual Result<bool> DeleteCursor(std::string_view connection, std::string_view resource,
                                    std::string_view kind) = 0;

  // ---- sync runs
  // Records a new run in state kRunning, started now. Returns its id (ids only grow).
  // kFailedPrecondition when the connection does not exist.
  virtual Result<int64_t> StartRun(const RunStart& start) = 0;
  // Replaces the run's checkpoint. kFailedPrecondition unless the run exists and is running.
  virtual Status SaveRunCheckpoint(int64_t run_id, std::string_view checkpoint) = 0;
  // Adds `delta` to the run's counts for `resource`. REQUIRES every delta >= 0.
  // kFailedPrecondition unless the run exists and is running.
  virtual Status AddRunCounts(int64_t run_id, std::string_view resource,
                              const RunCounts& delta) = 0;
  // Adds `calls` to the run's API call count for `service` (e.g. "hubspot"). REQUIRES calls >= 0.
  // kFailedPrecondition unless the run exists and is running.
  virtual Status AddRunCalls(int64_t run_id, std::string_view service, int64_t calls) = 0;
  // Moves a running run to `final_state` (REQUIRES not kRunning), finished now, with `error`
  // (why it failed or was cancelled; dropped for kSucceeded). kFailedPrecondition unless the run
  // exists and is running.
  virtual Status FinishRun(int64_t run_id, RunState final_state, std::string_view error) = 0;

  // ---- per-record errors
  // Records that a record failed: creates the error (attempts 1) or updates the existing one
  // (attempts + 1, last seen now, reason and message replaced, unresolved again).
  // kFailedPrecondition when the connection does not exist. REQUIRES non-empty resource,
  // record_id and reason.
  virtual Status ReportRecordError(std::string_view connection, std::string_view resource,
                                   std::string_view record_id, std::string_view reason,
                                   std::string_view message) = 0;
  // Marks the record's error resolved (call it when the record syncs). Returns whether there was
  // an unresolved error.
  virtual Result<bool> ResolveRecordError(std::string_view connection, std::string_view resource,
                                          std::string_view record_id) = 0;

  // ---- webhook inbox and dead-letter queue
  // Inserts the events not already there (same connection + dedup_key, in any state, also
  // duplicates inside `events`): state pending, attempts 0, received now, no claim; the state,
  // attempts, last_error, claim and *_micros fields of `events` are ignored, next_attempt_micros
  // included (0). Returns how many were new. kFailedPrecondition when a connection does not
  // exist; kInvalidArgument when a REQUIRES of InboxEvent is broken (names the field and the
  // index in `events`); nothing is inserted then.
  virtual Result<int64_t> EnqueueInbox(const std::vector<InboxEvent>& events) = 0;
  // Claims up to `limit` pending events of `connection` that are due (next_attempt_micros <= now)
  // and not claimed (claimed_by empty or claim_until_micros < now; an unexpired claim blocks
  // every owner, `owner` included, so a worker never gets an event it is still working on),
  // lowest id first: sets claimed_by = owner and claim_until_micros. Returns them, with the claim
  // set, ascending id. REQUIRES non-empty owner, 1 <= limit <= 10000.
  virtual Result<std::vector<InboxEvent>> ClaimInbox(std::string_view connection,
                                                     std::string_view owner, int limit,
                                                     int64_t claim_until_micros) = 0;
  // Marks the events done (finished now, claim cleared). Ids that are not pending (done, dead,
  // missing) are left alone: not an error. Does not check who claimed them.
  virtual Status CompleteInbox(const std::vector<int64_t>& ids) = 0;
  // A failed attempt: attempts + 1, last_error = error, next_attempt_micros, claim cleared; stays
  // pending. kFailedPrecondition unless the event exists and is pending.
  virtual Status RetryInbox(int64_t id, std::string_view error, int64_t next_attempt_micros) = 0;
  // Into the dead-letter queue: attempts + 1, last_error = error, state dead, finished now, claim
  // cleared. kFailedPrecondition unless the event exists and is pending.
  virtual Status DeadLetterInbox(int64_t id, std::string_view error) = 0;
  // A dead event back to pending: attempts 0, next_attempt 0, finished cleared, claim cleared,
  // last_error kept. Returns false when there is no dead event with this id.
  virtual Result<bool> ReplayInbox(int64_t id) = 0;
  // Every dead event of the connection back to pending (as ReplayInbox). Returns how many.
  virtual Result<int64_t> ReplayAllDead(std::string_view connection) = 0;
  // Deletes a dead event (its dedup key is forgotten). Returns false when there is no dead event
  // with this id.
  virtual Result<bool> DropDeadLetter(int64_t id) = 0;
  // Deletes every dead event of the connection. Returns how many.
  virtual Result<int64_t> DropAllDead(std::string_view connection) = 0;
  // Frees every claim on the connection's pending events, whoever holds it and however long it
  // still runs (call it only while holding the lease that makes this process the one worker: a
  // killed predecessor's claims would otherwise block its events until they lapse). Returns how
  // many events were claimed.
  virtual Result<int64_t> ReleaseInboxClaims(std::string_view connection) = 0;
  // Deletes the connection's done events finished before `finished_before_micros` (their dedup
  // keys are forgotten: a redelivery after that is enqueued again). Returns how many.
  virtual Result<int64_t> PruneInbox(std::string_view connection,
                                     int64_t finished_before_micros) = 0;

  // ---- leases
  // Takes or renews the lease `name` for `owner` until `until_micros`: true when it was free,
  // expired (until < now) or already owner's (acquired time kept on a renewal); false when
  // another owner holds it unexpired (nothing changes). REQUIRES non-empty name and owner.
  virtual Result<bool> AcquireLease(std::string_view name, std::string_view owner,
                                    int64_t until_micros) = 0;
  // Gives the lease up if `owner` holds it (expired or not). Returns whether it did.
  virtual Result<bool> ReleaseLease(std::string_view name, std::string_view owner) = 0;
};

// The operations of one transaction. Any failed operation dooms the transaction: it is rolled
// back even if the callback then returns OK (PostgreSQL aborts a transaction on any error, so
// code written against SQLite must not rely on continuing after one).
class StoreTx : public StoreWriter {};

class StateStore : public StoreWriter {
 public:
  StateStore() = default;
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // Runs `fn` in a read-write transaction and commits if it returns OK and no operation in it
  // failed; otherwise rolls back and returns the failure. Other writers wait meanwhile, so keep
  // `fn` short and free of network calls. An engine may run `fn` more than once when it must
  // retry (PostgreSQL serialization failures): keep it free of effects outside `tx`.
  // REQUIRES: not called from inside another Transaction/Read of this store on the same thread
  // (returns kFailedPrecondition instead of deadlocking).
  virtual Status Transaction(const std::function<Status(StoreTx& tx)>& fn) = 0;

  // Runs `fn` on one consistent snapshot of the store; writes are impossible through `reader`.
  // Same REQUIRES as Transaction.
  virtual Status Read(const std::function<Status(StoreReader& reader)>& fn) = 0;

  // Each StoreWriter method below is one transaction of its own (Read or Transaction).
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
  // Run `fn` (which returns a Result<T>) in a Read / Transaction of its own.
  template <typename T, typename Fn>
  Result<T> ReadValue(Fn&& fn);
  template <typename T, typename Fn>
  Result<T> WriteValue(Fn&& fn);
};

struct StoreOptions {
  // Stamps created/updated/started/seen times. nullptr means SystemClock(). Must outlive the store.
  Clock* clock = nullptr;
  // How long a write waits for another process holding the database before failing with
  // kUnavailable.
  int busy_timeout_millis = 5000;
};

// Opens (creating if needed) the store at `location` and brings its schema up to date.
//   "path/to/tajo.db" or "sqlite://path/to/tajo.db"   a SQLite file (parent directory must exist)
//   ":memory:"                                       a private in-memory SQLite store (tests)
//   "postgresql://..." / "postgres://..."            not yet supported: kInvalidArgument
// Failure: kInvalidArgument for a bad location; kIOError when the file cannot be opened, is a
// directory or is read-only; kCorruption when it is not a readable database;
// kFailedPrecondition when it was written by a newer tajo or is not a tajo store. Every message
// names the path (never a password of a URL).
Result<std::unique_ptr<StateStore>> OpenStore(const std::string& location,
                                              const StoreOptions& options = {});

}  // namespace tajo::store
