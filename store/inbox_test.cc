// The webhook inbox, the dead-letter queue and leases of the StateStore, engine by engine.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <ostream>

#include "store/inbox_records.h"
#include "store/state_store.h"
#include "store/store_test_util.h"

namespace tajo::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::RawExec;
using testing::TempDir;

constexpr int64_t kSecond = 1'000'000;

struct Engine {
  std::string name;
  std::function<std::string(const TempDir&)> location;  // given a fresh temp dir
  bool file = false;  // a file that RawExec can damage
};

void PrintTo(const Engine& engine, std::ostream* os) { *os << engine.name; }

InboxEvent Event(const std::string& key, const std::string& connection = "hubspot") {
  return {.connection = connection,
          .source = "hubspot",
          .dedup_key = key,
          .event_type = "contact.propertyChange",
          .object_type = "contact",
          .object_id = "obj-" + key,
          .occurred_ms = 1'700'000'000'123,
          .payload = R"({"objectId":")" + key + R"("})"};
}

std::vector<int64_t> Ids(const std::vector<InboxEvent>& events) {
  std::vector<int64_t> ids;
  for (const InboxEvent& e : events) ids.push_back(e.id);
  return ids;
}

class InboxTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    path_ = GetParam().location(dir_);
    auto store = OpenStore(path_, {.clock = &clock_});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    t0_ = clock_.NowMicros();
    ASSERT_TRUE(store_->UpsertConnection({.name = "hubspot", .kind = "hubspot"}).ok());
    ASSERT_TRUE(store_->UpsertConnection({.name = "brevo", .kind = "brevo"}).ok());
  }

  // Enqueues events with these keys; returns how many were new (-1 on failure).
  int64_t Enqueue(const std::vector<std::string>& keys,
                  const std::string& connection = "hubspot") {
    std::vector<InboxEvent> events;
    for (const std::string& k : keys) events.push_back(Event(k, connection));
    auto added = store_->EnqueueInbox(events);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? *added : -1;
  }

  std::vector<InboxEvent> List(std::optional<InboxState> state = std::nullopt,
                               const std::string& connection = "hubspot") {
    auto events = store_->ListInbox({.connection = connection, .state = state, .limit = 10000});
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    return events.ok() ? *events : std::vector<InboxEvent>{};
  }

  std::vector<int64_t> Claim(const std::string& owner, int limit, int64_t until,
                             const std::string& connection = "hubspot") {
    auto claimed = store_->ClaimInbox(connection, owner, limit, until);
    EXPECT_TRUE(claimed.ok()) << claimed.status().ToString();
    return claimed.ok() ? Ids(*claimed) : std::vector<int64_t>{};
  }

  InboxEvent Get(int64_t id) {
    auto e = store_->GetInboxEvent(id);
    EXPECT_TRUE(e.ok() && e->has_value()) << "event " << id << ": " << e.status().ToString();
    return e.ok() && e->has_value() ? **e : InboxEvent{};
  }

  InboxCounts Counts(const std::string& connection = "hubspot") {
    auto c = store_->CountInbox(connection);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : InboxCounts{};
  }

  // The id of the only event with this key.
  int64_t IdOf(const std::string& key) {
    for (const InboxEvent& e : List()) {
      if (e.dedup_key == key) return e.id;
    }
    ADD_FAILURE() << "no event " << key;
    return -1;
  }

  TempDir dir_;
  std::string path_;
  ManualClock clock_;
  int64_t t0_ = 0;
  std::unique_ptr<StateStore> store_;
};

// ---- enqueue and dedup

TEST_P(InboxTest, EnqueueStoresNewEventsAsPending) {
  InboxEvent in = Event("k1");
  // The store owns these: what the caller puts there is ignored.
  in.state = InboxState::kDead;
  in.attempts = 7;
  in.last_error = "old";
  in.received_micros = 5;
  in.next_attempt_micros = t0_ + 100 * kSecond;
  in.claimed_by = "someone";
  in.claim_until_micros = t0_ + 100 * kSecond;
  in.finished_micros = 9;
  auto added = store_->EnqueueInbox({in, Event("k2")});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 2);

  std::vector<InboxEvent> events = List();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_LT(events[0].id, events[1].id);
  InboxEvent want = Event("k1");
  want.id = events[0].id;
  want.received_micros = t0_;
  EXPECT_EQ(events[0], want);
  EXPECT_EQ(Get(events[1].id).dedup_key, "k2");
  EXPECT_EQ(store_->GetInboxEvent(events[1].id + 100).value(), std::nullopt);
}

TEST_P(InboxTest, EnqueueSkipsKeysAlreadyThereInAnyState) {
  EXPECT_EQ(Enqueue({"a", "b"}), 2);
  EXPECT_EQ(Enqueue({"a"}), 0);                 // same key again
  EXPECT_EQ(Enqueue({"c", "c", "b", "d"}), 2);  // twice in one call, and one already there
  ASSERT_TRUE(store_->CompleteInbox({IdOf("a")}).ok());
  ASSERT_TRUE(store_->DeadLetterInbox(IdOf("c"), "boom").ok());
  EXPECT_EQ(Enqueue({"a", "c"}), 0);  // after done, after dead
  // The first copy wins: the duplicate's payload is not stored.
  InboxEvent dup = Event("d");
  dup.payload = "{\"other\":1}";
  EXPECT_EQ(store_->EnqueueInbox({dup}).value(), 0);
  EXPECT_EQ(Get(IdOf("d")).payload, Event("d").payload);
  // Keys are per connection.
  EXPECT_EQ(Enqueue({"a", "c"}, "brevo"), 2);
  EXPECT_EQ(Counts(), (InboxCounts{.pending = 2, .dead = 1, .done = 1,
                                   .oldest_pending_received_micros = t0_}));
  EXPECT_EQ(List().size(), 4u);
}

TEST_P(InboxTest, EnqueueOfAnUnknownConnectionFailsAndAddsNothing) {
  auto added = store_->EnqueueInbox({Event("a"), Event("b", "nope")});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(added.status().message(), HasSubstr("event #1"));
  EXPECT_THAT(added.status().message(), HasSubstr("connection 'nope' does not exist"));
  EXPECT_TRUE(List().empty());
}

TEST_P(InboxTest, EnqueueRejectsBrokenEventsNamingFieldAndIndex) {
  struct Case {
    std::function<void(InboxEvent&)> damage;
    std::string field;
  };
  for (const Case& c : {Case{[](InboxEvent& e) { e.dedup_key.clear(); }, "dedup_key"},
                        Case{[](InboxEvent& e) { e.object_id.clear(); }, "object_id"},
                        Case{[](InboxEvent& e) { e.connection.clear(); }, "connection"}}) {
    std::vector<InboxEvent> events = {Event("a"), Event("b"), Event("c")};
    c.damage(events[2]);
    auto added = store_->EnqueueInbox(events);
    ASSERT_FALSE(added.ok()) << c.field;
    EXPECT_EQ(added.status().code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(added.status().message(), HasSubstr("event #2")) << c.field;
    EXPECT_THAT(added.status().message(), HasSubstr(c.field + " must not be empty")) << c.field;
  }
  EXPECT_TRUE(List().empty());
  EXPECT_EQ(store_->EnqueueInbox({}).value(), 0);
}

TEST_P(InboxTest, EventBytesRoundTrip) {
  InboxEvent e = Event("k");
  e.payload = std::string("{\"name\":\"J\xc3\xb6rg \\u0000\"}");
  e.object_id = "j\xc3\xb6rg@example.com";
  e.occurred_ms = -1;
  ASSERT_EQ(store_->EnqueueInbox({e}).value(), 1);
  InboxEvent got = Get(IdOf("k"));
  EXPECT_EQ(got.payload, e.payload);
  EXPECT_EQ(got.object_id, e.object_id);
  EXPECT_EQ(got.occurred_ms, -1);
}

// ---- claims

TEST_P(InboxTest, ClaimTakesTheLowestIdsUpToTheLimit) {
  ASSERT_EQ(Enqueue({"a", "b", "c", "d", "e"}), 5);
  ASSERT_EQ(Enqueue({"x"}, "brevo"), 1);
  std::vector<int64_t> all = Ids(List());
  const int64_t until = t0_ + 30 * kSecond;
  auto claimed = store_->ClaimInbox("hubspot", "w1", 2, until);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_EQ(Ids(*claimed), (std::vector<int64_t>{all[0], all[1]}));
  EXPECT_EQ((*claimed)[0].claimed_by, "w1");
  EXPECT_EQ((*claimed)[0].claim_until_micros, until);
  EXPECT_EQ((*claimed)[0].payload, Event("a").payload);
  EXPECT_EQ(Get(all[1]).claimed_by, "w1");
  EXPECT_EQ(Claim("w1", 10, until), (std::vector<int64_t>{all[2], all[3], all[4]}));
  EXPECT_TRUE(Claim("w1", 10, until).empty());
  // Only pending events are claimed.
  EXPECT_EQ(Claim("w1", 10, until, "brevo").size(), 1u);
}

TEST_P(InboxTest, ClaimSkipsEventsNotYetDue) {
  ASSERT_EQ(Enqueue({"a", "b"}), 2);
  int64_t a = IdOf("a"), b = IdOf("b");
  ASSERT_TRUE(store_->RetryInbox(a, "HubSpot 503", t0_ + 10 * kSecond).ok());
  EXPECT_EQ(Claim("w", 10, t0_ + kSecond), (std::vector<int64_t>{b}));
  ASSERT_TRUE(store_->CompleteInbox({b}).ok());
  clock_.Advance(10 * kSecond - 1);
  EXPECT_TRUE(Claim("w", 10, clock_.NowMicros() + kSecond).empty());
  clock_.Advance(1);  // due at exactly next_attempt_micros
  EXPECT_EQ(Claim("w", 10, clock_.NowMicros() + kSecond), (std::vector<int64_t>{a}));
}

TEST_P(InboxTest, ALiveClaimBlocksEveryOwnerUntilItLapses) {
  ASSERT_EQ(Enqueue({"a", "b"}), 2);
  std::vector<int64_t> ids = Ids(List());
  const int64_t until = t0_ + 30 * kSecond;
  EXPECT_EQ(Claim("w1", 1, until), (std::vector<int64_t>{ids[0]}));
  EXPECT_EQ(Claim("w2", 10, t0_ + 60 * kSecond), (std::vector<int64_t>{ids[1]}));
  EXPECT_TRUE(Claim("w1", 10, until).empty());  // not even its own again
  clock_.Set(until);                            // still held at exactly claim_until
  EXPECT_TRUE(Claim("w3", 10, until + kSecond).empty());
  clock_.Set(until + 1);  // w1's claim lapsed (w1 crashed?); w2's has not
  auto taken = store_->ClaimInbox("hubspot", "w3", 10, until + kSecond);
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(Ids(*taken), (std::vector<int64_t>{ids[0]}));
  EXPECT_EQ((*taken)[0].claimed_by, "w3");
  EXPECT_EQ(Get(ids[1]).claimed_by, "w2");
}

TEST_P(InboxTest, ReleasingClaimsFreesEveryLiveClaimOfTheConnection) {
  ASSERT_EQ(Enqueue({"a", "b", "c"}), 3);
  ASSERT_EQ(Enqueue({"x"}, "brevo"), 1);
  std::vector<int64_t> ids = Ids(List());
  const int64_t until = t0_ + 600 * kSecond;
  ASSERT_EQ(Claim("dead-worker", 2, until).size(), 2u);
  ASSERT_EQ(Claim("dead-worker", 10, until, "brevo").size(), 1u);
  ASSERT_TRUE(store_->CompleteInbox({ids[0]}).ok());
  EXPECT_TRUE(Claim("new-worker", 10, until).size() == 1u);  // only c was free
  EXPECT_EQ(store_->ReleaseInboxClaims("hubspot").value(), 2);  // b (dead-worker) and c (new-worker)
  EXPECT_EQ(Claim("new-worker", 10, until), (std::vector<int64_t>{ids[1], ids[2]}));
  EXPECT_EQ(List(std::nullopt, "brevo").at(0).claimed_by, "dead-worker") << "another connection's claims stay";
  EXPECT_EQ(Get(ids[0]).state, InboxState::kDone);
}

TEST_P(InboxTest, ClaimArgumentsAreChecked) {
  auto empty_owner = store_->ClaimInbox("hubspot", "", 1, t0_);
  EXPECT_EQ(empty_owner.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(empty_owner.status().message(), HasSubstr("owner must not be empty"));
  for (int limit : {0, -1, 10001}) {
    auto claimed = store_->ClaimInbox("hubspot", "w", limit, t0_);
    EXPECT_EQ(claimed.status().code(), StatusCode::kInvalidArgument) << limit;
    EXPECT_THAT(claimed.status().message(), HasSubstr("between 1 and 10000")) << limit;
  }
  EXPECT_TRUE(Claim("w", 10000, t0_).empty());
  EXPECT_TRUE(Claim("w", 1, t0_, "unknown connection").empty());
}

// ---- complete, retry, dead-letter

TEST_P(InboxTest, CompleteMarksPendingEventsDoneAndLeavesTheRestAlone) {
  ASSERT_EQ(Enqueue({"a", "b", "c"}), 3);
  int64_t a = IdOf("a"), b = IdOf("b"), c = IdOf("c");
  ASSERT_EQ(Claim("w", 10, t0_ + kSecond).size(), 3u);
  ASSERT_TRUE(store_->DeadLetterInbox(c, "bad").ok());
  clock_.Advance(5 * kSecond);
  ASSERT_TRUE(store_->CompleteInbox({a, c, b + 1000}).ok());
  InboxEvent done = Get(a);
  EXPECT_EQ(done.state, InboxState::kDone);
  EXPECT_EQ(done.finished_micros, t0_ + 5 * kSecond);
  EXPECT_EQ(done.claimed_by, "");
  EXPECT_EQ(done.claim_until_micros, 0);
  EXPECT_EQ(Get(c).state, InboxState::kDead);  // not revived
  EXPECT_EQ(Get(c).finished_micros, t0_);
  clock_.Advance(kSecond);
  ASSERT_TRUE(store_->CompleteInbox({a}).ok());  // done twice: finished time kept
  EXPECT_EQ(Get(a).finished_micros, t0_ + 5 * kSecond);
  EXPECT_EQ(Get(b).state, InboxState::kPending);
  ASSERT_TRUE(store_->CompleteInbox({}).ok());
}

TEST_P(InboxTest, RetryCountsTheAttemptAndDelaysTheEvent) {
  ASSERT_EQ(Enqueue({"a"}), 1);
  int64_t a = IdOf("a");
  ASSERT_EQ(Claim("w", 1, t0_ + kSecond).size(), 1u);
  ASSERT_TRUE(store_->RetryInbox(a, "Brevo 429", t0_ + 2 * kSecond).ok());
  ASSERT_TRUE(store_->RetryInbox(a, "Brevo 500", t0_ + 4 * kSecond).ok());
  InboxEvent e = Get(a);
  EXPECT_EQ(e.state, InboxState::kPending);
  EXPECT_EQ(e.attempts, 2);
  EXPECT_EQ(e.last_error, "Brevo 500");
  EXPECT_EQ(e.next_attempt_micros, t0_ + 4 * kSecond);
  EXPECT_EQ(e.claimed_by, "");
  EXPECT_EQ(e.claim_until_micros, 0);
  EXPECT_EQ(e.finished_micros, std::nullopt);

  ASSERT_TRUE(store_->CompleteInbox({a}).ok());
  Status s = store_->RetryInbox(a, "again", 0);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("inbox event " + std::to_string(a) + " is done, not pending"));
  s = store_->RetryInbox(a + 1, "again", 0);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("does not exist"));
  EXPECT_EQ(Get(a).attempts, 2);
}

TEST_P(InboxTest, DeadLetterThenReplay) {
  ASSERT_EQ(Enqueue({"a", "b", "c"}), 3);
  int64_t a = IdOf("a"), b = IdOf("b"), c = IdOf("c");
  ASSERT_TRUE(store_->RetryInbox(a, "first", t0_ + kSecond).ok());
  ASSERT_EQ(Claim("w", 10, t0_ + 60 * kSecond).size(), 2u);  // b and c (a is not due)
  clock_.Advance(3 * kSecond);
  ASSERT_TRUE(store_->DeadLetterInbox(a, "second").ok());
  ASSERT_TRUE(store_->DeadLetterInbox(b, "mapping error").ok());
  InboxEvent dead = Get(a);
  EXPECT_EQ(dead.state, InboxState::kDead);
  EXPECT_EQ(dead.attempts, 2);
  EXPECT_EQ(dead.last_error, "second");
  EXPECT_EQ(dead.finished_micros, t0_ + 3 * kSecond);
  EXPECT_EQ(Ids(List(InboxState::kDead)), (std::vector<int64_t>{a, b}));
  EXPECT_EQ(Counts(), (InboxCounts{.pending = 1, .dead = 2, .done = 0,
                                   .oldest_pending_received_micros = t0_}));

  Status again = store_->DeadLetterInbox(a, "third");
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.message(), HasSubstr("is dead, not pending"));

  EXPECT_EQ(store_->ReplayInbox(a).value(), true);
  InboxEvent replayed = Get(a);
  EXPECT_EQ(replayed.state, InboxState::kPending);
  EXPECT_EQ(replayed.attempts, 0);
  EXPECT_EQ(replayed.next_attempt_micros, 0);
  EXPECT_EQ(replayed.finished_micros, std::nullopt);
  EXPECT_EQ(replayed.last_error, "second");  // kept for the operator
  EXPECT_EQ(replayed.received_micros, t0_);
  EXPECT_EQ(store_->ReplayInbox(a).value(), false);  // no longer dead
  EXPECT_EQ(store_->ReplayInbox(c).value(), false);  // pending
  EXPECT_EQ(store_->ReplayInbox(c + 100).value(), false);
  // Replayed events are due at once and free to claim (c is still claimed by w).
  EXPECT_EQ(Claim("w2", 10, clock_.NowMicros() + kSecond), (std::vector<int64_t>{a}));
}

TEST_P(InboxTest, ReplayAllDeadIsPerConnection) {
  ASSERT_EQ(Enqueue({"a", "b", "c"}), 3);
  ASSERT_EQ(Enqueue({"x"}, "brevo"), 1);
  for (const InboxEvent& e : List()) {
    if (e.dedup_key != "c") {
      ASSERT_TRUE(store_->DeadLetterInbox(e.id, "boom").ok());
    }
  }
  ASSERT_TRUE(store_->DeadLetterInbox(List(std::nullopt, "brevo")[0].id, "boom").ok());
  EXPECT_EQ(store_->ReplayAllDead("hubspot").value(), 2);
  EXPECT_EQ(store_->ReplayAllDead("hubspot").value(), 0);
  EXPECT_EQ(Counts(), (InboxCounts{.pending = 3, .oldest_pending_received_micros = t0_}));
  EXPECT_EQ(Counts("brevo").dead, 1);
  for (const InboxEvent& e : List()) EXPECT_EQ(e.attempts, 0) << e.dedup_key;
}

TEST_P(InboxTest, DropDeletesOnlyDeadEventsAndForgetsTheirKeys) {
  ASSERT_EQ(Enqueue({"a", "b", "c", "d"}), 4);
  ASSERT_EQ(Enqueue({"x"}, "brevo"), 1);
  int64_t a = IdOf("a"), b = IdOf("b"), c = IdOf("c"), d = IdOf("d");
  ASSERT_TRUE(store_->DeadLetterInbox(a, "boom").ok());
  ASSERT_TRUE(store_->DeadLetterInbox(b, "boom").ok());
  ASSERT_TRUE(store_->DeadLetterInbox(c, "boom").ok());
  ASSERT_TRUE(store_->DeadLetterInbox(List(std::nullopt, "brevo")[0].id, "boom").ok());
  EXPECT_EQ(store_->DropDeadLetter(d).value(), false);  // pending
  EXPECT_EQ(store_->DropDeadLetter(a).value(), true);
  EXPECT_EQ(store_->DropDeadLetter(a).value(), false);
  EXPECT_EQ(store_->GetInboxEvent(a).value(), std::nullopt);
  EXPECT_EQ(Enqueue({"a"}), 1);  // the key is forgotten: a redelivery is new
  EXPECT_GT(IdOf("a"), d);       // with a new id
  EXPECT_EQ(store_->DropAllDead("hubspot").value(), 2);
  EXPECT_EQ(Counts(), (InboxCounts{.pending = 2, .oldest_pending_received_micros = t0_}));
  EXPECT_EQ(Counts("brevo").dead, 1);
}

TEST_P(InboxTest, PruneDeletesDoneEventsFinishedBeforeTheCutoff) {
  ASSERT_EQ(Enqueue({"old", "new", "dead", "pending"}), 4);
  ASSERT_EQ(Enqueue({"other"}, "brevo"), 1);
  ASSERT_TRUE(store_->CompleteInbox({IdOf("old"), List(std::nullopt, "brevo")[0].id}).ok());
  ASSERT_TRUE(store_->DeadLetterInbox(IdOf("dead"), "boom").ok());
  clock_.Advance(10 * kSecond);
  ASSERT_TRUE(store_->CompleteInbox({IdOf("new")}).ok());
  EXPECT_EQ(store_->PruneInbox("hubspot", t0_).value(), 0);  // strictly before
  EXPECT_EQ(store_->PruneInbox("hubspot", t0_ + 1).value(), 1);
  std::vector<std::string> keys;
  for (const InboxEvent& e : List()) keys.push_back(e.dedup_key);
  EXPECT_THAT(keys, ElementsAre("new", "dead", "pending"));
  EXPECT_EQ(Counts("brevo").done, 1);
  EXPECT_EQ(Enqueue({"old", "new"}), 1);  // only the pruned key is forgotten
  EXPECT_EQ(store_->PruneInbox("hubspot", clock_.NowMicros() + 1).value(), 1);
}

// ---- reads

TEST_P(InboxTest, CountsPerStateAndOldestPending) {
  EXPECT_EQ(Counts(), InboxCounts{});
  EXPECT_EQ(Counts("no such connection"), InboxCounts{});
  ASSERT_EQ(Enqueue({"a"}), 1);
  clock_.Advance(kSecond);
  ASSERT_EQ(Enqueue({"b", "c", "d"}), 3);
  ASSERT_TRUE(store_->CompleteInbox({IdOf("a"), IdOf("b")}).ok());
  ASSERT_TRUE(store_->DeadLetterInbox(IdOf("c"), "x").ok());
  EXPECT_EQ(Counts(), (InboxCounts{.pending = 1, .dead = 1, .done = 2,
                                   .oldest_pending_received_micros = t0_ + kSecond}));
  ASSERT_TRUE(store_->CompleteInbox({IdOf("d")}).ok());
  EXPECT_EQ(Counts(), (InboxCounts{.pending = 0, .dead = 1, .done = 3}));
}

TEST_P(InboxTest, ListPagesInIdOrderWithAStateFilter) {
  ASSERT_EQ(Enqueue({"a", "b", "c", "d", "e"}), 5);
  ASSERT_EQ(Enqueue({"x"}, "brevo"), 1);
  std::vector<int64_t> all = Ids(List());
  ASSERT_EQ(all.size(), 5u);
  ASSERT_TRUE(store_->CompleteInbox({all[1], all[3]}).ok());

  auto page = store_->ListInbox({.connection = "hubspot", .limit = 2});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Ids(*page), (std::vector<int64_t>{all[0], all[1]}));
  page = store_->ListInbox({.connection = "hubspot", .after_id = all[1], .limit = 2});
  EXPECT_EQ(Ids(*page), (std::vector<int64_t>{all[2], all[3]}));
  page = store_->ListInbox(
      {.connection = "hubspot", .state = InboxState::kPending, .after_id = all[0], .limit = 1});
  EXPECT_EQ(Ids(*page), (std::vector<int64_t>{all[2]}));
  EXPECT_EQ(Ids(List(InboxState::kDone)), (std::vector<int64_t>{all[1], all[3]}));
  EXPECT_TRUE(List(InboxState::kDead).empty());

  for (int limit : {0, 10001}) {
    auto bad = store_->ListInbox({.connection = "hubspot", .limit = limit});
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument) << limit;
    EXPECT_THAT(bad.status().message(), HasSubstr("list inbox limit")) << limit;
  }
}

// ---- leases

TEST_P(InboxTest, LeaseHasOneOwnerUntilItExpires) {
  const int64_t until = t0_ + 30 * kSecond;
  EXPECT_EQ(store_->GetLease("serve").value(), std::nullopt);
  EXPECT_EQ(store_->AcquireLease("serve", "host-a:1", until).value(), true);
  EXPECT_EQ(store_->GetLease("serve").value(),
            (Lease{.name = "serve", .owner = "host-a:1", .until_micros = until,
                   .acquired_micros = t0_}));
  EXPECT_EQ(store_->AcquireLease("serve", "host-b:2", until + kSecond).value(), false);
  EXPECT_EQ(store_->GetLease("serve").value()->owner, "host-a:1");  // unchanged
  EXPECT_EQ(store_->GetLease("serve").value()->until_micros, until);
  EXPECT_EQ(store_->AcquireLease("other", "host-b:2", until).value(), true);  // another name

  // Renewal by the owner moves the expiry and keeps the acquisition time.
  clock_.Advance(10 * kSecond);
  const int64_t renewed = clock_.NowMicros() + 30 * kSecond;
  EXPECT_EQ(store_->AcquireLease("serve", "host-a:1", renewed).value(), true);
  EXPECT_EQ(store_->GetLease("serve").value(),
            (Lease{.name = "serve", .owner = "host-a:1", .until_micros = renewed,
                   .acquired_micros = t0_}));

  clock_.Set(renewed);  // held at exactly until
  EXPECT_EQ(store_->AcquireLease("serve", "host-b:2", renewed + kSecond).value(), false);
  clock_.Set(renewed + 1);  // expired: anyone may take it
  EXPECT_EQ(store_->AcquireLease("serve", "host-b:2", renewed + 30 * kSecond).value(), true);
  EXPECT_EQ(store_->GetLease("serve").value(),
            (Lease{.name = "serve", .owner = "host-b:2", .until_micros = renewed + 30 * kSecond,
                   .acquired_micros = renewed + 1}));
  EXPECT_EQ(store_->AcquireLease("serve", "host-a:1", renewed + 60 * kSecond).value(), false);
}

TEST_P(InboxTest, ReleaseOnlyByTheOwner) {
  ASSERT_EQ(store_->AcquireLease("serve", "a", t0_ + kSecond).value(), true);
  EXPECT_EQ(store_->ReleaseLease("serve", "b").value(), false);
  EXPECT_EQ(store_->GetLease("serve").value()->owner, "a");
  EXPECT_EQ(store_->ReleaseLease("serve", "a").value(), true);
  EXPECT_EQ(store_->GetLease("serve").value(), std::nullopt);
  EXPECT_EQ(store_->ReleaseLease("serve", "a").value(), false);
  EXPECT_EQ(store_->AcquireLease("serve", "b", t0_ + kSecond).value(), true);  // free again
  // An expired owner also re-acquires: the acquisition time restarts.
  clock_.Advance(2 * kSecond);
  EXPECT_EQ(store_->AcquireLease("serve", "b", clock_.NowMicros() + kSecond).value(), true);
  EXPECT_EQ(store_->GetLease("serve").value()->acquired_micros, clock_.NowMicros());
}

TEST_P(InboxTest, LeaseArgumentsAreChecked) {
  auto no_name = store_->AcquireLease("", "a", t0_);
  EXPECT_EQ(no_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(no_name.status().message(), HasSubstr("lease name must not be empty"));
  auto no_owner = store_->AcquireLease("serve", "", t0_);
  EXPECT_EQ(no_owner.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(no_owner.status().message(), HasSubstr("lease owner must not be empty"));
  EXPECT_EQ(store_->GetLease("serve").value(), std::nullopt);
}

// ---- connections and transactions

TEST_P(InboxTest, DeleteConnectionDeletesItsInboxInEveryState) {
  ASSERT_EQ(Enqueue({"a", "b", "c"}), 3);
  ASSERT_EQ(Enqueue({"a"}, "brevo"), 1);
  int64_t a = IdOf("a");
  ASSERT_TRUE(store_->CompleteInbox({a}).ok());
  ASSERT_TRUE(store_->DeadLetterInbox(IdOf("b"), "boom").ok());
  ASSERT_EQ(store_->AcquireLease("serve", "w", t0_ + kSecond).value(), true);
  ASSERT_EQ(store_->DeleteConnection("hubspot").value(), true);
  EXPECT_EQ(store_->GetInboxEvent(a).value(), std::nullopt);
  EXPECT_EQ(Counts(), InboxCounts{});
  EXPECT_EQ(Counts("brevo").pending, 1);
  EXPECT_TRUE(store_->GetLease("serve").value().has_value());  // leases are not per connection
  // A connection created again under the name starts with an empty inbox.
  ASSERT_TRUE(store_->UpsertConnection({.name = "hubspot", .kind = "hubspot"}).ok());
  EXPECT_EQ(Enqueue({"a", "b"}), 2);
}

TEST_P(InboxTest, RollbackUndoesEnqueueAndComplete) {
  Status s = store_->Transaction([&](StoreTx& tx) -> Status {
    EXPECT_EQ(tx.EnqueueInbox({Event("a"), Event("b")}).value(), 2);
    EXPECT_EQ(tx.ListInbox({.connection = "hubspot"}).value().size(), 2u);  // seen inside
    return Status::Unavailable("Brevo down");
  });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(List().empty());

  ASSERT_EQ(Enqueue({"a", "b"}), 2);
  int64_t a = IdOf("a");
  s = store_->Transaction([&](StoreTx& tx) -> Status {
    TAJO_RETURN_IF_ERROR(tx.CompleteInbox({a}));
    TAJO_RETURN_IF_ERROR(
        tx.UpsertLink({.connection = "hubspot", .hubspot_id = "1", .email = "a@x.io"}));
    return Status::Internal("crash before commit");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(Get(a).state, InboxState::kPending);
  EXPECT_EQ(store_->GetLinkByHubSpotId("hubspot", "1").value(), std::nullopt);

  // The worker's commit: the sync write and the completion land together.
  ASSERT_EQ(Claim("w", 1, t0_ + kSecond), (std::vector<int64_t>{a}));
  s = store_->Transaction([&](StoreTx& tx) -> Status {
    TAJO_RETURN_IF_ERROR(
        tx.UpsertLink({.connection = "hubspot", .hubspot_id = "1", .email = "a@x.io"}));
    return tx.CompleteInbox({a});
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Get(a).state, InboxState::kDone);
  EXPECT_TRUE(store_->GetLinkByHubSpotId("hubspot", "1").value().has_value());
}

TEST_P(InboxTest, AFailedEnqueueDoomsTheTransaction) {
  Status s = store_->Transaction([&](StoreTx& tx) -> Status {
    EXPECT_EQ(tx.EnqueueInbox({Event("a")}).value(), 1);
    EXPECT_FALSE(tx.EnqueueInbox({Event("b", "nope")}).ok());
    return Status::Ok();  // ignores the failure
  });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(List().empty());
}

TEST_P(InboxTest, WebhookRunsAreRecorded) {
  auto id = store_->StartRun({.connection = "hubspot",
                              .type = SyncType::kWebhook,
                              .resources = {"contacts"},
                              .direction = SyncDirection::kHubSpotToBrevo});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(store_->FinishRun(*id, RunState::kSucceeded, "").ok());
  auto runs = store_->ListRuns({.connection = "hubspot"});
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].type, SyncType::kWebhook);
}

// The tests that damage the database file: file engines only.
class InboxFileTest : public InboxTest {};

TEST_P(InboxFileTest, CorruptValuesNameTableColumnAndRow) {
  ASSERT_EQ(Enqueue({"a"}), 1);
  int64_t a = IdOf("a");
  std::string row = "(event " + std::to_string(a) + ")";
  ASSERT_EQ(RawExec(path_, "UPDATE inbox SET attempts = 'many'"), "");
  auto e = store_->GetInboxEvent(a);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(e.status().message(), HasSubstr("inbox.attempts " + row));

  ASSERT_EQ(RawExec(path_, "UPDATE inbox SET attempts = 0; PRAGMA ignore_check_constraints = 1; "
                           "UPDATE inbox SET state = 'lost'"),
            "");
  auto listed = store_->ListInbox({.connection = "hubspot"});
  EXPECT_EQ(listed.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(listed.status().message(), HasSubstr("inbox.state " + row));
  EXPECT_THAT(listed.status().message(), HasSubstr("'lost', not a valid inbox state"));
  auto counts = store_->CountInbox("hubspot");
  EXPECT_EQ(counts.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(counts.status().message(), HasSubstr("inbox.state"));
  Status retry = store_->RetryInbox(a, "x", 0);
  EXPECT_EQ(retry.code(), StatusCode::kCorruption);

  ASSERT_EQ(store_->AcquireLease("serve", "w", t0_).value(), true);
  ASSERT_EQ(RawExec(path_, "UPDATE leases SET until_at = 'soon'"), "");
  auto lease = store_->GetLease("serve");
  EXPECT_EQ(lease.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(lease.status().message(), HasSubstr("leases.until_at (lease 'serve')"));
}

INSTANTIATE_TEST_SUITE_P(
    Engines, InboxTest,
    ::testing::Values(
        Engine{"SqliteFile", [](const TempDir& d) { return d.File("tajo.db"); }, true},
        Engine{"SqliteMemory", [](const TempDir&) { return std::string(":memory:"); }, false}),
    [](const ::testing::TestParamInfo<Engine>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Engines, InboxFileTest,
    ::testing::Values(Engine{"SqliteFile", [](const TempDir& d) { return d.File("tajo.db"); }, true}),
    [](const ::testing::TestParamInfo<Engine>& info) { return info.param.name; });

}  // namespace
}  // namespace tajo::store
