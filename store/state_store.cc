// The one-call-one-transaction half of StateStore, written once for every engine on top of its
// Read and Transaction.
#include "store/state_store.h"

#include <utility>

namespace tajo::store {

template <typename T, typename Fn>
Result<T> StateStore::ReadValue(Fn&& fn) {
  std::optional<T> out;
  Status s = Read([&](StoreReader& r) -> Status {
    Result<T> v = fn(r);
    if (!v.ok()) return v.status();
    out.emplace(std::move(v).value());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::move(*out);
}

template <typename T, typename Fn>
Result<T> StateStore::WriteValue(Fn&& fn) {
  std::optional<T> out;
  Status s = Transaction([&](StoreTx& tx) -> Status {
    Result<T> v = fn(tx);
    if (!v.ok()) return v.status();
    out.emplace(std::move(v).value());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::move(*out);
}

// ---- reads

Result<std::optional<Connection>> StateStore::GetConnection(std::string_view name) {
  return ReadValue<std::optional<Connection>>(
      [&](StoreReader& r) { return r.GetConnection(name); });
}
Result<std::vector<Connection>> StateStore::ListConnections() {
  return ReadValue<std::vector<Connection>>([&](StoreReader& r) { return r.ListConnections(); });
}
Result<std::optional<Link>> StateStore::GetLinkByHubSpotId(std::string_view connection,
                                                           std::string_view hubspot_id) {
  return ReadValue<std::optional<Link>>(
      [&](StoreReader& r) { return r.GetLinkByHubSpotId(connection, hubspot_id); });
}
Result<std::optional<Link>> StateStore::GetLinkByBrevoId(std::string_view connection,
                                                         int64_t brevo_id) {
  return ReadValue<std::optional<Link>>(
      [&](StoreReader& r) { return r.GetLinkByBrevoId(connection, brevo_id); });
}
Result<std::vector<Link>> StateStore::FindLinksByEmail(std::string_view connection,
                                                       std::string_view email) {
  return ReadValue<std::vector<Link>>(
      [&](StoreReader& r) { return r.FindLinksByEmail(connection, email); });
}
Result<std::vector<Link>> StateStore::ListLinks(std::string_view connection,
                                                std::string_view after_hubspot_id, int limit) {
  return ReadValue<std::vector<Link>>(
      [&](StoreReader& r) { return r.ListLinks(connection, after_hubspot_id, limit); });
}
Result<int64_t> StateStore::CountLinks(std::string_view connection) {
  return ReadValue<int64_t>([&](StoreReader& r) { return r.CountLinks(connection); });
}
Result<Snapshot> StateStore::GetSnapshot(std::string_view connection, std::string_view hubspot_id) {
  return ReadValue<Snapshot>([&](StoreReader& r) { return r.GetSnapshot(connection, hubspot_id); });
}
Result<std::optional<Cursor>> StateStore::GetCursor(std::string_view connection,
                                                    std::string_view resource,
                                                    std::string_view kind) {
  return ReadValue<std::optional<Cursor>>(
      [&](StoreReader& r) { return r.GetCursor(connection, resource, kind); });
}
Result<std::vector<Cursor>> StateStore::ListCursors(std::string_view connection) {
  return ReadValue<std::vector<Cursor>>([&](StoreReader& r) { return r.ListCursors(connection); });
}
Result<std::optional<SyncRun>> StateStore::GetRun(int64_t run_id) {
  return ReadValue<std::optional<SyncRun>>([&](StoreReader& r) { return r.GetRun(run_id); });
}
Result<std::vector<SyncRun>> StateStore::ListRuns(const RunQuery& query) {
  return ReadValue<std::vector<SyncRun>>([&](StoreReader& r) { return r.ListRuns(query); });
}
Result<std::vector<RecordError>> StateStore::ListRecordErrors(const RecordErrorQuery& query) {
  return ReadValue<std::vector<RecordError>>(
      [&](StoreReader& r) { return r.ListRecordErrors(query); });
}
Result<int64_t> StateStore::CountUnresolvedErrors(std::string_view connection) {
  return ReadValue<int64_t>([&](StoreReader& r) { return r.CountUnresolvedErrors(connection); });
}
Result<std::optional<InboxEvent>> StateStore::GetInboxEvent(int64_t id) {
  return ReadValue<std::optional<InboxEvent>>([&](StoreReader& r) { return r.GetInboxEvent(id); });
}
Result<std::vector<InboxEvent>> StateStore::ListInbox(const InboxQuery& query) {
  return ReadValue<std::vector<InboxEvent>>([&](StoreReader& r) { return r.ListInbox(query); });
}
Result<InboxCounts> StateStore::CountInbox(std::string_view connection) {
  return ReadValue<InboxCounts>([&](StoreReader& r) { return r.CountInbox(connection); });
}
Result<std::optional<Lease>> StateStore::GetLease(std::string_view name) {
  return ReadValue<std::optional<Lease>>([&](StoreReader& r) { return r.GetLease(name); });
}

// ---- writes

Status StateStore::UpsertConnection(const Connection& c) {
  return Transaction([&](StoreTx& tx) { return tx.UpsertConnection(c); });
}
Result<bool> StateStore::DeleteConnection(std::string_view name) {
  return WriteValue<bool>([&](StoreTx& tx) { return tx.DeleteConnection(name); });
}
Status StateStore::UpsertLink(const Link& link) {
  return Transaction([&](StoreTx& tx) { return tx.UpsertLink(link); });
}
Result<bool> StateStore::DeleteLink(std::string_view connection, std::string_view hubspot_id) {
  return WriteValue<bool>([&](StoreTx& tx) { return tx.DeleteLink(connection, hubspot_id); });
}
Status StateStore::WriteSnapshot(std::string_view connection, std::string_view hubspot_id,
                                 const Snapshot& fields) {
  return Transaction([&](StoreTx& tx) { return tx.WriteSnapshot(connection, hubspot_id, fields); });
}
Status StateStore::SetCursor(std::string_view connection, std::string_view resource,
                             std::string_view kind, std::string_view value) {
  return Transaction([&](StoreTx& tx) { return tx.SetCursor(connection, resource, kind, value); });
}
Result<bool> StateStore::DeleteCursor(std::string_view connection, std::string_view resource,
                                      std::string_view kind) {
  return WriteValue<bool>([&](StoreTx& tx) { return tx.DeleteCursor(connection, resource, kind); });
}
Result<int64_t> StateStore::StartRun(const RunStart& start) {
  return WriteValue<int64_t>([&](StoreTx& tx) { return tx.StartRun(start); });
}
Status StateStore::SaveRunCheckpoint(int64_t run_id, std::string_view checkpoint) {
  return Transaction([&](StoreTx& tx) { return tx.SaveRunCheckpoint(run_id, checkpoint); });
}
Status StateStore::AddRunCounts(int64_t run_id, std::string_view resource, const RunCounts& delta) {
  return Transaction([&](StoreTx& tx) { return tx.AddRunCounts(run_id, resource, delta); });
}
Status StateStore::AddRunCalls(int64_t run_id, std::string_view service, int64_t calls) {
  return Transaction([&](StoreTx& tx) { return tx.AddRunCalls(run_id, service, calls); });
}
Status StateStore::FinishRun(int64_t run_id, RunState final_state, std::string_view error) {
  return Transaction([&](StoreTx& tx) { return tx.FinishRun(run_id, final_state, error); });
}
Status StateStore::ReportRecordError(std::string_view connection, std::string_view resource,
                                     std::string_view record_id, std::string_view reason,
                                     std::string_view message) {
  return Transaction([&](StoreTx& tx) {
    return tx.ReportRecordError(connection, resource, record_id, reason, message);
  });
}
Result<bool> StateStore::ResolveRecordError(std::string_view connection, std::string_view resource,
                                            std::string_view record_id) {
  return WriteValue<bool>(
      [&](StoreTx& tx) { return tx.ResolveRecordError(connection, resource, record_id); });
}

Result<int64_t> StateStore::EnqueueInbox(const std::vector<InboxEvent>& events) {
  return WriteValue<int64_t>([&](StoreTx& tx) { return tx.EnqueueInbox(events); });
}
Result<std::vector<InboxEvent>> StateStore::ClaimInbox(std::string_view connection,
                                                       std::string_view owner, int limit,
                                                       int64_t claim_until_micros) {
  return WriteValue<std::vector<InboxEvent>>(
      [&](StoreTx& tx) { return tx.ClaimInbox(connection, owner, limit, claim_until_micros); });
}
Status StateStore::CompleteInbox(const std::vector<int64_t>& ids) {
  return Transaction([&](StoreTx& tx) { return tx.CompleteInbox(ids); });
}
Status StateStore::RetryInbox(int64_t id, std::string_view error, int64_t next_attempt_micros) {
  return Transaction([&](StoreTx& tx) { return tx.RetryInbox(id, error, next_attempt_micros); });
}
Status StateStore::DeadLetterInbox(int64_t id, std::string_view error) {
  return Transaction([&](StoreTx& tx) { return tx.DeadLetterInbox(id, error); });
}
Result<bool> StateStore::ReplayInbox(int64_t id) {
  return WriteValue<bool>([&](StoreTx& tx) { return tx.ReplayInbox(id); });
}
Result<int64_t> StateStore::ReplayAllDead(std::string_view connection) {
  return WriteValue<int64_t>([&](StoreTx& tx) { return tx.ReplayAllDead(connection); });
}
Result<bool> StateStore::DropDeadLetter(int64_t id) {
  return WriteValue<bool>([&](StoreTx& tx) { return tx.DropDeadLetter(id); });
}
Result<int64_t> StateStore::DropAllDead(std::string_view connection) {
  return WriteValue<int64_t>([&](StoreTx& tx) { return tx.DropAllDead(connection); });
}

Result<int64_t> StateStore::ReleaseInboxClaims(std::string_view connection) {
  return WriteValue<int64_t>([&](StoreTx& tx) { return tx.ReleaseInboxClaims(connection); });
}
Result<int64_t> StateStore::PruneInbox(std::string_view connection,
                                       int64_t finished_before_micros) {
  return WriteValue<int64_t>(
      [&](StoreTx& tx) { return tx.PruneInbox(connection, finished_before_micros); });
}
Result<bool> StateStore::AcquireLease(std::string_view name, std::string_view owner,
                                      int64_t until_micros) {
  return WriteValue<bool>([&](StoreTx& tx) { return tx.AcquireLease(name, owner, until_micros); });
}
Result<bool> StateStore::ReleaseLease(std::string_view name, std::string_view owner) {
  return WriteValue<bool>([&](StoreTx& tx) { return tx.ReleaseLease(name, owner); });
}

}  // namespace tajo::store
