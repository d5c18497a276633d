// SqliteTx, part 3: the webhook inbox, its dead-letter queue (the rows in state 'dead') and
// leases.
//
// Speed: EnqueueInbox is on the webhook path (the sender waits for the commit), so it runs one
// cached INSERT ... ON CONFLICT DO NOTHING per event and nothing else; the unique index on
// (connection, dedup_key) does the dedup and the foreign key checks the connection.
// A state change is one UPDATE guarded by the expected state; only when it changes nothing is a
// second statement run to say why.
#include <algorithm>
#include <climits>
#include <utility>

#include <fmt/format.h>

#include "store/sqlite_rows.h"
#include "store/sqlite_tx.h"

namespace tajo::store {
namespace {

#define INBOX_COLUMNS                                                                       \
  "id, connection, source, dedup_key, event_type, object_type, object_id, occurred_ms, "    \
  "payload, state, attempts, last_error, received_at, next_attempt_at, claimed_by, "       \
  "claim_until, finished_at"

// The SET clause that frees an event's claim.
#define NO_CLAIM "claimed_by = '', claim_until = 0"

Result<InboxEvent> DecodeInboxEvent(const Stmt& q) {
  Row r(q, "inbox");
  InboxEvent e;
  e.id = r.Int64(0);
  r.Describe(fmt::format("event {}", e.id));
  e.connection = r.Text(1);
  e.source = r.Text(2);
  e.dedup_key = r.Text(3);
  e.event_type = r.Text(4);
  e.object_type = r.Text(5);
  e.object_id = r.Text(6);
  e.occurred_ms = r.Int64(7);
  e.payload = r.Text(8);
  e.state = EnumColumn(r, 9, ParseInboxState, InboxState::kDead, "valid inbox state");
  int64_t attempts = r.Int64(10);
  if (r.status().ok() && (attempts < 0 || attempts > INT_MAX)) {
    r.Fail(10, fmt::format("holds {}, not an attempt count", attempts));
  }
  e.attempts = static_cast<int>(attempts);
  e.last_error = r.Text(11);
  e.received_micros = r.Int64(12);
  e.next_attempt_micros = r.Int64(13);
  e.claimed_by = r.Text(14);
  e.claim_until_micros = r.Int64(15);
  e.finished_micros = r.OptInt64(16);
  TAJO_RETURN_IF_ERROR(r.status());
  return e;
}

Result<Lease> DecodeLease(const Stmt& q) {
  Row r(q, "leases");
  Lease l;
  l.name = r.Text(0);
  r.Describe(fmt::format("lease {}", Quoted(l.name)));
  l.owner = r.Text(1);
  l.until_micros = r.Int64(2);
  l.acquired_micros = r.Int64(3);
  TAJO_RETURN_IF_ERROR(r.status());
  return l;
}

// kInvalidArgument naming the event's index when one of its REQUIRES is broken.
Status CheckEvent(const InboxEvent& e, size_t index) {
  const char* missing = e.connection.empty() ? "connection"
                        : e.dedup_key.empty() ? "dedup_key"
                        : e.object_id.empty()  ? "object_id"
                                               : nullptr;
  if (missing == nullptr) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("store: enqueue inbox: event #{} (dedup_key {}): {} must not be empty", index,
                  Quoted(e.dedup_key), missing));
}

}  // namespace

// ---- reads

Result<std::optional<InboxEvent>> SqliteTx::GetInboxEvent(int64_t id) {
  return Op([&]() -> Result<std::optional<InboxEvent>> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("SELECT " INBOX_COLUMNS " FROM inbox WHERE id = ?1", "get inbox event"));
    TAJO_RETURN_IF_ERROR(q.Bind(id));
    return OptionalRow(q, DecodeInboxEvent);
  });
}

Result<std::vector<InboxEvent>> SqliteTx::ListInbox(const InboxQuery& query) {
  return Op([&]() -> Result<std::vector<InboxEvent>> {
    TAJO_RETURN_IF_ERROR(InRange(query.limit, 10000, "list inbox"));
    if (query.state) {
      // Walks inbox_by_state from after_id: never visits the events of other states (a dead-letter
      // listing stays fast however many done events are kept).
      TAJO_STORE_ASSIGN_OR_RETURN(
          Stmt q, db_.Prepare("SELECT " INBOX_COLUMNS " FROM inbox WHERE connection = ?1 AND "
                              "state = ?2 AND id > ?3 ORDER BY id LIMIT ?4",
                              "list inbox"));
      TAJO_RETURN_IF_ERROR(
          q.Bind(query.connection, InboxStateName(*query.state), query.after_id, query.limit));
      return AllRows(q, DecodeInboxEvent);
    }
    // Walks the ids from after_id and stops at the limit ('+' keeps SQLite off inbox_by_state,
    // which would read and sort every event of the connection first).
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("SELECT " INBOX_COLUMNS " FROM inbox WHERE +connection = ?1 AND "
                            "id > ?2 ORDER BY id LIMIT ?3",
                            "list inbox"));
    TAJO_RETURN_IF_ERROR(q.Bind(query.connection, query.after_id, query.limit));
    return AllRows(q, DecodeInboxEvent);
  });
}

Result<InboxCounts> SqliteTx::CountInbox(std::string_view connection) {
  return Op([&]() -> Result<InboxCounts> {
    InboxCounts out;
    {
      // Counted on inbox_by_state alone (a covering index): no event row is read.
      TAJO_STORE_ASSIGN_OR_RETURN(
          Stmt q, db_.Prepare("SELECT state, count(*) FROM inbox WHERE connection = ?1 "
                              "GROUP BY state",
                              "count inbox"));
      TAJO_RETURN_IF_ERROR(q.Bind(connection));
      while (true) {
        TAJO_STORE_ASSIGN_OR_RETURN(bool more, q.Step());
        if (!more) break;
        Row r(q, "inbox");
        r.Describe(fmt::format("connection {}", Quoted(connection)));
        InboxState state = EnumColumn(r, 0, ParseInboxState, InboxState::kDead, "valid inbox state");
        int64_t n = r.Int64(1);
        TAJO_RETURN_IF_ERROR(r.status());
        switch (state) {
          case InboxState::kPending:
            out.pending = n;
            break;
          case InboxState::kDone:
            out.done = n;
            break;
          case InboxState::kDead:
            out.dead = n;
            break;
        }
      }
    }
    if (out.pending > 0) {
      TAJO_STORE_ASSIGN_OR_RETURN(
          Stmt q, db_.Prepare("SELECT min(received_at) FROM inbox WHERE connection = ?1 AND "
                              "state = 'pending'",
                              "oldest pending inbox event"));
      TAJO_RETURN_IF_ERROR(q.Bind(connection));
      TAJO_STORE_ASSIGN_OR_RETURN(bool found, q.Step());
      if (found) {
        Row r(q, "inbox");
        r.Describe(fmt::format("oldest pending event of connection {}", Quoted(connection)));
        out.oldest_pending_received_micros = r.OptInt64(0);
        TAJO_RETURN_IF_ERROR(r.status());
      }
    }
    return out;
  });
}

// ---- writes

Result<int64_t> SqliteTx::EnqueueInbox(const std::vector<InboxEvent>& events) {
  return Op([&]() -> Result<int64_t> {
    for (size_t i = 0; i < events.size(); ++i) TAJO_RETURN_IF_ERROR(CheckEvent(events[i], i));
    const int64_t now = clock_.NowMicros();
    int64_t added = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      const InboxEvent& e = events[i];
      TAJO_STORE_ASSIGN_OR_RETURN(
          Stmt q,
          db_.Prepare("INSERT INTO inbox (connection, source, dedup_key, event_type, object_type, "
                      "object_id, occurred_ms, payload, state, attempts, last_error, received_at, "
                      "next_attempt_at, claimed_by, claim_until, finished_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, '', ?9, 0, '', 0, "
                      "NULL) ON CONFLICT (connection, dedup_key) DO NOTHING",
                      "enqueue inbox event"));
      TAJO_RETURN_IF_ERROR(q.Bind(e.connection, e.source, e.dedup_key, e.event_type, e.object_type,
                                  e.object_id, e.occurred_ms, e.payload, now));
      TAJO_RETURN_IF_ERROR(Explain(
          db_, q.Run(),
          fmt::format("enqueue inbox: event #{} (dedup_key {}): connection {} does not exist", i,
                      Quoted(e.dedup_key), Quoted(e.connection)),
          ""));
      added += q.Changes();
    }
    return added;
  });
}

Result<std::vector<InboxEvent>> SqliteTx::ClaimInbox(std::string_view connection,
                                                     std::string_view owner, int limit,
                                                     int64_t claim_until_micros) {
  return Op([&]() -> Result<std::vector<InboxEvent>> {
    TAJO_RETURN_IF_ERROR(NonEmpty(owner, "inbox claim owner"));
    TAJO_RETURN_IF_ERROR(InRange(limit, 10000, "claim inbox"));
    // The inner SELECT walks inbox_by_state (connection, 'pending', id) in id order.
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q,
        db_.Prepare("UPDATE inbox SET claimed_by = ?2, claim_until = ?3 WHERE id IN ("
                    "SELECT id FROM inbox WHERE connection = ?1 AND state = 'pending' AND "
                    "next_attempt_at <= ?4 AND (claimed_by = '' OR claim_until < ?4) "
                    "ORDER BY id LIMIT ?5) RETURNING " INBOX_COLUMNS,
                    "claim inbox events"));
    TAJO_RETURN_IF_ERROR(q.Bind(connection, owner, claim_until_micros, clock_.NowMicros(), limit));
    TAJO_STORE_ASSIGN_OR_RETURN(std::vector<InboxEvent> claimed, AllRows(q, DecodeInboxEvent));
    // RETURNING gives no order guarantee.
    std::sort(claimed.begin(), claimed.end(),
              [](const InboxEvent& a, const InboxEvent& b) { return a.id < b.id; });
    return claimed;
  });
}

Status SqliteTx::CompleteInbox(const std::vector<int64_t>& ids) {
  return Op([&]() -> Status {
    const int64_t now = clock_.NowMicros();
    for (int64_t id : ids) {
      TAJO_STORE_ASSIGN_OR_RETURN(
          Stmt q, db_.Prepare("UPDATE inbox SET state = 'done', finished_at = ?2, " NO_CLAIM
                              " WHERE id = ?1 AND state = 'pending'",
                              "complete inbox event"));
      TAJO_RETURN_IF_ERROR(q.Bind(id, now));
      TAJO_RETURN_IF_ERROR(q.Run());
    }
    return Status::Ok();
  });
}

Status SqliteTx::RequirePending(int64_t id, std::string_view what) {
  TAJO_STORE_ASSIGN_OR_RETURN(
      Stmt q, db_.Prepare("SELECT state FROM inbox WHERE id = ?1", "read inbox event state"));
  TAJO_RETURN_IF_ERROR(q.Bind(id));
  TAJO_STORE_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return db_.Fail(StatusCode::kFailedPrecondition,
                    fmt::format("{}: inbox event {} does not exist", what, id));
  }
  Row r(q, "inbox");
  r.Describe(fmt::format("event {}", id));
  InboxState state = EnumColumn(r, 0, ParseInboxState, InboxState::kDead, "valid inbox state");
  TAJO_RETURN_IF_ERROR(r.status());
  if (state != InboxState::kPending) {
    return db_.Fail(
        StatusCode::kFailedPrecondition,
        fmt::format("{}: inbox event {} is {}, not pending", what, id, InboxStateName(state)));
  }
  return Status::Ok();
}

Status SqliteTx::RetryInbox(int64_t id, std::string_view error, int64_t next_attempt_micros) {
  return Op([&]() -> Status {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("UPDATE inbox SET attempts = attempts + 1, last_error = ?2, "
                            "next_attempt_at = ?3, " NO_CLAIM " WHERE id = ?1 AND state = 'pending'",
                            "retry inbox event"));
    TAJO_RETURN_IF_ERROR(q.Bind(id, error, next_attempt_micros));
    TAJO_RETURN_IF_ERROR(q.Run());
    if (q.Changes() > 0) return Status::Ok();
    TAJO_RETURN_IF_ERROR(RequirePending(id, "retry inbox event"));
    return db_.Fail(StatusCode::kInternal,
                    fmt::format("retry inbox event: event {} is pending but was not updated", id));
  });
}

Status SqliteTx::DeadLetterInbox(int64_t id, std::string_view error) {
  return Op([&]() -> Status {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("UPDATE inbox SET attempts = attempts + 1, last_error = ?2, "
                            "state = 'dead', finished_at = ?3, " NO_CLAIM
                            " WHERE id = ?1 AND state = 'pending'",
                            "dead-letter inbox event"));
    TAJO_RETURN_IF_ERROR(q.Bind(id, error, clock_.NowMicros()));
    TAJO_RETURN_IF_ERROR(q.Run());
    if (q.Changes() > 0) return Status::Ok();
    TAJO_RETURN_IF_ERROR(RequirePending(id, "dead-letter inbox event"));
    return db_.Fail(
        StatusCode::kInternal,
        fmt::format("dead-letter inbox event: event {} is pending but was not updated", id));
  });
}

Result<bool> SqliteTx::ReplayInbox(int64_t id) {
  return Op([&]() -> Result<bool> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("UPDATE inbox SET state = 'pending', attempts = 0, "
                            "next_attempt_at = 0, finished_at = NULL, " NO_CLAIM
                            " WHERE id = ?1 AND state = 'dead'",
                            "replay dead inbox event"));
    TAJO_RETURN_IF_ERROR(q.Bind(id));
    TAJO_RETURN_IF_ERROR(q.Run());
    return q.Changes() > 0;
  });
}

Result<int64_t> SqliteTx::ReplayAllDead(std::string_view connection) {
  return Op([&]() -> Result<int64_t> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("UPDATE inbox SET state = 'pending', attempts = 0, "
                            "next_attempt_at = 0, finished_at = NULL, " NO_CLAIM
                            " WHERE connection = ?1 AND state = 'dead'",
                            "replay dead inbox events"));
    TAJO_RETURN_IF_ERROR(q.Bind(connection));
    TAJO_RETURN_IF_ERROR(q.Run());
    return q.Changes();
  });
}

Result<bool> SqliteTx::DropDeadLetter(int64_t id) {
  return Op([&]() -> Result<bool> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("DELETE FROM inbox WHERE id = ?1 AND state = 'dead'",
                            "drop dead inbox event"));
    TAJO_RETURN_IF_ERROR(q.Bind(id));
    TAJO_RETURN_IF_ERROR(q.Run());
    return q.Changes() > 0;
  });
}

Result<int64_t> SqliteTx::DropAllDead(std::string_view connection) {
  return Op([&]() -> Result<int64_t> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("DELETE FROM inbox WHERE connection = ?1 AND state = 'dead'",
                            "drop dead inbox events"));
    TAJO_RETURN_IF_ERROR(q.Bind(connection));
    TAJO_RETURN_IF_ERROR(q.Run());
    return q.Changes();
  });
}

Result<int64_t> SqliteTx::ReleaseInboxClaims(std::string_view connection) {
  return Op([&]() -> Result<int64_t> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("UPDATE inbox SET " NO_CLAIM " WHERE connection = ?1 AND state = 'pending' AND "
                            "claimed_by <> ''",
                            "release inbox claims"));
    TAJO_RETURN_IF_ERROR(q.Bind(connection));
    TAJO_RETURN_IF_ERROR(q.Run());
    return q.Changes();
  });
}

Result<int64_t> SqliteTx::PruneInbox(std::string_view connection, int64_t finished_before_micros) {
  return Op([&]() -> Result<int64_t> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("DELETE FROM inbox WHERE connection = ?1 AND state = 'done' AND "
                            "finished_at < ?2",
                            "prune inbox"));
    TAJO_RETURN_IF_ERROR(q.Bind(connection, finished_before_micros));
    TAJO_RETURN_IF_ERROR(q.Run());
    return q.Changes();
  });
}

// ---- leases

Result<std::optional<Lease>> SqliteTx::GetLease(std::string_view name) {
  return Op([&]() -> Result<std::optional<Lease>> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("SELECT name, owner, until_at, acquired_at FROM leases WHERE name = ?1",
                            "get lease"));
    TAJO_RETURN_IF_ERROR(q.Bind(name));
    return OptionalRow(q, DecodeLease);
  });
}

Result<bool> SqliteTx::AcquireLease(std::string_view name, std::string_view owner,
                                    int64_t until_micros) {
  return Op([&]() -> Result<bool> {
    TAJO_RETURN_IF_ERROR(NonEmpty(name, "lease name"));
    TAJO_RETURN_IF_ERROR(NonEmpty(owner, "lease owner"));
    // In DO UPDATE, bare column names are the stored lease; excluded.acquired_at is now. The
    // WHERE leaves another owner's unexpired lease alone (no row changed: not acquired).
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q, db_.Prepare("INSERT INTO leases (name, owner, until_at, acquired_at) "
                            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET "
                            "acquired_at = CASE WHEN owner = excluded.owner AND "
                            "until_at >= excluded.acquired_at THEN acquired_at "
                            "ELSE excluded.acquired_at END, "
                            "owner = excluded.owner, until_at = excluded.until_at "
                            "WHERE owner = excluded.owner OR until_at < excluded.acquired_at",
                            "acquire lease"));
    TAJO_RETURN_IF_ERROR(q.Bind(name, owner, until_micros, clock_.NowMicros()));
    TAJO_RETURN_IF_ERROR(q.Run());
    return q.Changes() > 0;
  });
}

Result<bool> SqliteTx::ReleaseLease(std::string_view name, std::string_view owner) {
  return Op([&]() -> Result<bool> {
    TAJO_STORE_ASSIGN_OR_RETURN(
        Stmt q,
        db_.Prepare("DELETE FROM leases WHERE name = ?1 AND owner = ?2", "release lease"));
    TAJO_RETURN_IF_ERROR(q.Bind(name, owner));
    TAJO_RETURN_IF_ERROR(q.Run());
    return q.Changes() > 0;
  });
}

}  // namespace tajo::store
