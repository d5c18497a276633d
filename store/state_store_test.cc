// The StateStore contract, engine by engine: every entity's reads and writes, and transactions.
// A new engine (PostgreSQL) joins by adding a line to INSTANTIATE_TEST_SUITE_P below.
#include "store/state_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <stdexcept>

#include "store/store_test_util.h"

namespace tajo::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;

constexpr int64_t kSecond = 1'000'000;

struct Engine {
  std::string name;
  // The location to open, given a fresh temp dir.
  std::function<std::string(const TempDir&)> location;
};

void PrintTo(const Engine& engine, std::ostream* os) { *os << engine.name; }

class StateStoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    auto store = OpenStore(GetParam().location(dir_), {.clock = &clock_});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    t0_ = clock_.NowMicros();
    ASSERT_TRUE(store_->UpsertConnection({.name = "hubspot", .kind = "hubspot"}).ok());
  }

  Status AddLink(const std::string& hubspot_id, std::optional<int64_t> brevo_id,
                 const std::string& email, const std::string& connection = "hubspot") {
    return store_->UpsertLink(
        {.connection = connection, .hubspot_id = hubspot_id, .brevo_id = brevo_id, .email = email});
  }

  int64_t Start(const std::string& connection = "hubspot") {
    auto run = store_->StartRun({.connection = connection,
                                 .type = SyncType::kFull,
                                 .resources = {"contacts", "companies"},
                                 .direction = SyncDirection::kHubSpotToBrevo});
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? *run : -1;
  }

  SyncRun Run(int64_t id) {
    auto run = store_->GetRun(id);
    EXPECT_TRUE(run.ok() && run->has_value()) << run.status().ToString();
    return run.ok() && run->has_value() ? **run : SyncRun{};
  }

  TempDir dir_;
  ManualClock clock_;
  int64_t t0_ = 0;
  std::unique_ptr<StateStore> store_;
};

// ---- connections

TEST_P(StateStoreTest, ConnectionUpsertReplacesAndKeepsCreatedTime) {
  clock_.Advance(5 * kSecond);
  Connection updated{.name = "hubspot",
                     .kind = "hubspot",
                     .status = ConnectionStatus::kError,
                     .status_detail = "token refresh: 401",
                     .settings_json = R"({"plan":"enterprise"})",
                     .sealed_secrets = std::string("\x00sealed\x00", 8)};
  ASSERT_TRUE(store_->UpsertConnection(updated).ok());
  ASSERT_TRUE(store_->UpsertConnection({.name = "brevo", .kind = "brevo"}).ok());

  auto got = store_->GetConnection("hubspot");
  ASSERT_TRUE(got.ok() && got->has_value());
  updated.created_micros = t0_;
  updated.updated_micros = t0_ + 5 * kSecond;
  EXPECT_EQ(**got, updated);

  auto all = store_->ListConnections();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "brevo");
  EXPECT_EQ((*all)[1].name, "hubspot");
  EXPECT_EQ(store_->GetConnection("nope").value(), std::nullopt);
}

TEST_P(StateStoreTest, ConnectionArgumentsAreChecked) {
  EXPECT_EQ(store_->UpsertConnection({.name = "", .kind = "hubspot"}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->UpsertConnection({.name = "x", .kind = ""}).code(),
            StatusCode::kInvalidArgument);
  Status bad_json = store_->UpsertConnection({.name = "x", .kind = "brevo", .settings_json = "{"});
  EXPECT_EQ(bad_json.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_json.message(), HasSubstr("not valid JSON"));
  EXPECT_EQ(store_->ListConnections()->size(), 1u);
}

TEST_P(StateStoreTest, DeletingAConnectionDeletesWhatBelongsToIt) {
  ASSERT_TRUE(AddLink("1", 10, "a@x.io").ok());
  ASSERT_TRUE(store_->WriteSnapshot("hubspot", "1", {{"firstname", {"A", "A"}}}).ok());
  ASSERT_TRUE(store_->SetCursor("hubspot", "contacts", "incremental", "5").ok());
  int64_t run = Start();
  ASSERT_TRUE(store_->AddRunCounts(run, "contacts", {.created = 1}).ok());
  ASSERT_TRUE(store_->ReportRecordError("hubspot", "contacts", "2", "missing_email", "").ok());

  EXPECT_EQ(store_->DeleteConnection("hubspot").value(), true);
  EXPECT_EQ(store_->DeleteConnection("hubspot").value(), false);
  EXPECT_EQ(store_->CountLinks("hubspot").value(), 0);
  EXPECT_TRUE(store_->GetSnapshot("hubspot", "1")->empty());
  EXPECT_TRUE(store_->ListCursors("hubspot")->empty());
  EXPECT_EQ(store_->GetRun(run).value(), std::nullopt);
  EXPECT_TRUE(
      store_->ListRecordErrors({.connection = "hubspot", .include_resolved = true})->empty());
}

// ---- links

TEST_P(StateStoreTest, LinksAreFoundFromEitherSideAndByEmail) {
  clock_.Advance(kSecond);
  ASSERT_TRUE(AddLink("101", 9001, "ann@x.io").ok());
  ASSERT_TRUE(AddLink("102", std::nullopt, "bob@x.io").ok());  // Brevo id not known yet
  ASSERT_TRUE(AddLink("103", std::nullopt, "cy@x.io").ok());   // several unknown ids are fine

  auto by_hubspot = store_->GetLinkByHubSpotId("hubspot", "101");
  ASSERT_TRUE(by_hubspot.ok() && by_hubspot->has_value());
  EXPECT_EQ(**by_hubspot, (Link{.connection = "hubspot",
                                .hubspot_id = "101",
                                .brevo_id = 9001,
                                .email = "ann@x.io",
                                .created_micros = t0_ + kSecond,
                                .updated_micros = t0_ + kSecond}));
  auto by_brevo = store_->GetLinkByBrevoId("hubspot", 9001);
  ASSERT_TRUE(by_brevo.ok() && by_brevo->has_value());
  EXPECT_EQ((*by_brevo)->hubspot_id, "101");
  auto by_email = store_->FindLinksByEmail("hubspot", "bob@x.io");
  ASSERT_TRUE(by_email.ok());
  ASSERT_EQ(by_email->size(), 1u);
  EXPECT_EQ((*by_email)[0].hubspot_id, "102");
  EXPECT_EQ((*by_email)[0].brevo_id, std::nullopt);

  EXPECT_EQ(store_->GetLinkByHubSpotId("hubspot", "999").value(), std::nullopt);
  EXPECT_EQ(store_->GetLinkByBrevoId("hubspot", 1).value(), std::nullopt);
  EXPECT_TRUE(store_->FindLinksByEmail("hubspot", "ANN@x.io")->empty());  // exact match only
  EXPECT_EQ(store_->CountLinks("hubspot").value(), 3);
}

TEST_P(StateStoreTest, LinkUpsertReplacesButKeepsCreatedTimeAndSnapshot) {
  ASSERT_TRUE(AddLink("101", std::nullopt, "old@x.io").ok());
  ASSERT_TRUE(store_->WriteSnapshot("hubspot", "101", {{"email", {"old@x.io", "old@x.io"}}}).ok());
  clock_.Advance(kSecond);
  ASSERT_TRUE(AddLink("101", 55, "new@x.io").ok());
  auto link = store_->GetLinkByHubSpotId("hubspot", "101");
  ASSERT_TRUE(link.ok() && link->has_value());
  EXPECT_EQ((*link)->brevo_id, 55);
  EXPECT_EQ((*link)->email, "new@x.io");
  EXPECT_EQ((*link)->created_micros, t0_);
  EXPECT_EQ((*link)->updated_micros, t0_ + kSecond);
  EXPECT_TRUE(store_->FindLinksByEmail("hubspot", "old@x.io")->empty());
  EXPECT_EQ(store_->GetSnapshot("hubspot", "101")->size(), 1u);
  EXPECT_EQ(store_->CountLinks("hubspot").value(), 1);
}

TEST_P(StateStoreTest, ABrevoContactIsLinkedOnce) {
  ASSERT_TRUE(AddLink("101", 55, "a@x.io").ok());
  Status taken = AddLink("102", 55, "b@x.io");
  EXPECT_EQ(taken.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(taken.message(), HasSubstr("Brevo contact 55 is already linked"));
  EXPECT_EQ(store_->GetLinkByHubSpotId("hubspot", "102").value(), std::nullopt);
}

TEST_P(StateStoreTest, AnEmailSharedByTwoLinksReturnsBoth) {
  // Happens when records change email between two reads; the caller decides.
  ASSERT_TRUE(AddLink("2", 20, "same@x.io").ok());
  ASSERT_TRUE(AddLink("1", 10, "same@x.io").ok());
  auto links = store_->FindLinksByEmail("hubspot", "same@x.io");
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0].hubspot_id, "1");
  EXPECT_EQ((*links)[1].hubspot_id, "2");
}

TEST_P(StateStoreTest, LinksBelongToOneConnection) {
  ASSERT_TRUE(store_->UpsertConnection({.name = "hubspot-eu", .kind = "hubspot"}).ok());
  ASSERT_TRUE(AddLink("101", 55, "a@x.io").ok());
  ASSERT_TRUE(AddLink("101", 55, "b@x.io", "hubspot-eu").ok());
  EXPECT_EQ(store_->GetLinkByBrevoId("hubspot-eu", 55).value()->email, "b@x.io");
  EXPECT_EQ(store_->GetLinkByBrevoId("hubspot", 55).value()->email, "a@x.io");

  Status unknown = AddLink("101", 55, "a@x.io", "salesforce");
  EXPECT_EQ(unknown.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(unknown.message(), HasSubstr("connection 'salesforce' does not exist"));
}

TEST_P(StateStoreTest, LinkArgumentsAreChecked) {
  EXPECT_EQ(AddLink("", 1, "a@x.io").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AddLink("1", 1, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListLinks("hubspot", "", 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListLinks("hubspot", "", 10001).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StateStoreTest, ListLinksPagesInIdOrder) {
  ASSERT_TRUE(store_
                  ->Transaction([&](StoreTx& tx) -> Status {
                    for (int i = 0; i < 25; ++i) {
                      std::string id = "id" + std::to_string(100 + i);
                      TAJO_RETURN_IF_ERROR(tx.UpsertLink(
                          {.connection = "hubspot", .hubspot_id = id, .email = id + "@x.io"}));
                    }
                    return Status::Ok();
                  })
                  .ok());
  std::vector<size_t> sizes;
  std::vector<std::string> ids;
  std::string after;
  while (true) {
    auto page = store_->ListLinks("hubspot", after, 10);
    ASSERT_TRUE(page.ok());
    sizes.push_back(page->size());
    if (page->empty()) break;
    for (const Link& l : *page) ids.push_back(l.hubspot_id);
    after = page->back().hubspot_id;
  }
  EXPECT_THAT(sizes, ElementsAre(10u, 10u, 5u, 0u));
  ASSERT_EQ(ids.size(), 25u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(ids.front(), "id100");
}

TEST_P(StateStoreTest, DeletingALinkDeletesItsSnapshot) {
  ASSERT_TRUE(AddLink("101", 55, "a@x.io").ok());
  ASSERT_TRUE(store_->WriteSnapshot("hubspot", "101", {{"firstname", {"A", "A"}}}).ok());
  EXPECT_EQ(store_->DeleteLink("hubspot", "101").value(), true);
  EXPECT_EQ(store_->DeleteLink("hubspot", "101").value(), false);
  EXPECT_TRUE(store_->GetSnapshot("hubspot", "101")->empty());
  // The Brevo id is free again.
  EXPECT_TRUE(AddLink("102", 55, "a@x.io").ok());
}

// ---- snapshots

TEST_P(StateStoreTest, SnapshotWritesMergeFields) {
  ASSERT_TRUE(AddLink("101", 55, "a@x.io").ok());
  ASSERT_TRUE(store_
                  ->WriteSnapshot("hubspot", "101",
                                  {{"firstname", {"Ann", "Ann"}}, {"phone", {"", std::nullopt}}})
                  .ok());
  ASSERT_TRUE(store_
                  ->WriteSnapshot("hubspot", "101",
                                  {{"firstname", {"Anne", "Ann"}}, {"lastname", {"Lee", "Lee"}}})
                  .ok());
  auto snap = store_->GetSnapshot("hubspot", "101");
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(*snap, (Snapshot{{"firstname", {"Anne", "Ann"}},
                             {"lastname", {"Lee", "Lee"}},
                             {"phone", {"", std::nullopt}}}));  // "" and "no value" stay distinct
  EXPECT_TRUE(store_->GetSnapshot("hubspot", "404")->empty());
}

TEST_P(StateStoreTest, SnapshotNeedsALink) {
  Status s = store_->WriteSnapshot("hubspot", "404", {{"firstname", {"A", "A"}}});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("HubSpot record '404' has no link"));
  ASSERT_TRUE(AddLink("101", 55, "a@x.io").ok());
  EXPECT_EQ(store_->WriteSnapshot("hubspot", "101", {{"", {"A", "A"}}}).code(),
            StatusCode::kInvalidArgument);
}

// ---- cursors

TEST_P(StateStoreTest, CursorsAreSetReplacedAndDeleted) {
  ASSERT_TRUE(store_->SetCursor("hubspot", "contacts", "incremental", "100").ok());
  ASSERT_TRUE(store_->SetCursor("hubspot", "contacts", "archived", "7").ok());
  clock_.Advance(kSecond);
  ASSERT_TRUE(store_->SetCursor("hubspot", "contacts", "incremental", "200").ok());

  auto c = store_->GetCursor("hubspot", "contacts", "incremental");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ(**c, (Cursor{.connection = "hubspot",
                         .resource = "contacts",
                         .kind = "incremental",
                         .value = "200",
                         .updated_micros = t0_ + kSecond}));
  auto all = store_->ListCursors("hubspot");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].kind, "archived");
  EXPECT_EQ((*all)[1].kind, "incremental");

  EXPECT_EQ(store_->DeleteCursor("hubspot", "contacts", "incremental").value(), true);
  EXPECT_EQ(store_->DeleteCursor("hubspot", "contacts", "incremental").value(), false);
  EXPECT_EQ(store_->GetCursor("hubspot", "contacts", "incremental").value(), std::nullopt);

  EXPECT_EQ(store_->SetCursor("nope", "contacts", "incremental", "1").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->SetCursor("hubspot", "", "incremental", "1").code(),
            StatusCode::kInvalidArgument);
}

// ---- sync runs

TEST_P(StateStoreTest, RunLifecycle) {
  int64_t id = Start();
  SyncRun run = Run(id);
  EXPECT_EQ(run.connection, "hubspot");
  EXPECT_EQ(run.type, SyncType::kFull);
  EXPECT_EQ(run.direction, SyncDirection::kHubSpotToBrevo);
  EXPECT_THAT(run.resources, ElementsAre("contacts", "companies"));
  EXPECT_EQ(run.state, RunState::kRunning);
  EXPECT_EQ(run.started_micros, t0_);
  EXPECT_EQ(run.finished_micros, std::nullopt);
  EXPECT_TRUE(run.counts.empty());
  EXPECT_TRUE(run.checkpoint.empty());

  ASSERT_TRUE(store_->SaveRunCheckpoint(id, "after=100").ok());
  ASSERT_TRUE(store_
                  ->SaveRunCheckpoint(id, std::string("page\x00"
                                                      "2",
                                                      6))
                  .ok());
  ASSERT_TRUE(store_->AddRunCounts(id, "contacts", {.created = 2, .skipped = 1}).ok());
  ASSERT_TRUE(store_->AddRunCounts(id, "contacts", {.created = 1, .updated = 4}).ok());
  ASSERT_TRUE(store_->AddRunCounts(id, "companies", {.unchanged = 7, .deleted = 1}).ok());
  ASSERT_TRUE(store_->AddRunCalls(id, "hubspot", 3).ok());
  ASSERT_TRUE(store_->AddRunCalls(id, "hubspot", 2).ok());
  ASSERT_TRUE(store_->AddRunCalls(id, "brevo", 1).ok());
  clock_.Advance(60 * kSecond);
  ASSERT_TRUE(store_->FinishRun(id, RunState::kSucceeded, "dropped for a success").ok());

  run = Run(id);
  EXPECT_EQ(run.state, RunState::kSucceeded);
  EXPECT_EQ(run.finished_micros, t0_ + 60 * kSecond);
  EXPECT_EQ(run.error, "");
  EXPECT_EQ(run.checkpoint, std::string("page\x00"
                                        "2",
                                        6));
  EXPECT_EQ(run.counts.at("contacts"), (RunCounts{.created = 3, .updated = 4, .skipped = 1}));
  EXPECT_EQ(run.counts.at("companies"), (RunCounts{.unchanged = 7, .deleted = 1}));
  EXPECT_EQ(run.TotalCounts().created, 3);
  EXPECT_EQ(run.calls, (std::map<std::string, int64_t>{{"brevo", 1}, {"hubspot", 5}}));
}

TEST_P(StateStoreTest, AFinishedRunRefusesChanges) {
  int64_t id = Start();
  ASSERT_TRUE(store_->FinishRun(id, RunState::kFailed, "HubSpot 401").ok());
  EXPECT_EQ(Run(id).error, "HubSpot 401");
  Status s = store_->AddRunCounts(id, "contacts", {.created = 1});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("already failed"));
  EXPECT_EQ(store_->SaveRunCheckpoint(id, "x").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->AddRunCalls(id, "hubspot", 1).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->FinishRun(id, RunState::kSucceeded, "").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Run(id).state, RunState::kFailed);

  int64_t cancelled = Start();
  ASSERT_TRUE(store_->FinishRun(cancelled, RunState::kCancelled, "tajo is shutting down").ok());
  EXPECT_EQ(Run(cancelled).state, RunState::kCancelled);
  EXPECT_EQ(Run(cancelled).error, "tajo is shutting down");
}

TEST_P(StateStoreTest, RunArgumentsAreChecked) {
  int64_t id = Start();
  EXPECT_EQ(store_->AddRunCounts(id, "contacts", {.created = -1}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddRunCalls(id, "hubspot", -1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->FinishRun(id, RunState::kRunning, "").code(), StatusCode::kInvalidArgument);
  Status missing = store_->AddRunCounts(999, "contacts", {.created = 1});
  EXPECT_EQ(missing.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.message(), HasSubstr("run 999 does not exist"));
  EXPECT_EQ(store_->GetRun(999).value(), std::nullopt);
  EXPECT_EQ(store_->StartRun({.connection = "nope"}).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->StartRun({.connection = "hubspot", .resources = {""}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListRuns({.connection = "hubspot", .limit = 0}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(StateStoreTest, ListRunsNewestFirstWithFilters) {
  ASSERT_TRUE(store_->UpsertConnection({.name = "other", .kind = "hubspot"}).ok());
  int64_t r1 = Start();
  int64_t r2 = Start();
  int64_t r3 = Start();
  int64_t elsewhere = Start("other");
  EXPECT_LT(r1, r2);
  EXPECT_LT(r2, r3);
  ASSERT_TRUE(store_->FinishRun(r1, RunState::kSucceeded, "").ok());
  ASSERT_TRUE(store_->FinishRun(r2, RunState::kFailed, "boom").ok());

  auto ids = [&](const RunQuery& q) {
    std::vector<int64_t> out;
    auto runs = store_->ListRuns(q);
    EXPECT_TRUE(runs.ok()) << runs.status().ToString();
    if (runs.ok()) {
      for (const SyncRun& r : *runs) out.push_back(r.id);
    }
    return out;
  };
  EXPECT_THAT(ids({.connection = "hubspot"}), ElementsAre(r3, r2, r1));
  EXPECT_THAT(ids({.connection = "hubspot", .state = RunState::kFailed}), ElementsAre(r2));
  EXPECT_THAT(ids({.connection = "hubspot", .state = RunState::kRunning}), ElementsAre(r3));
  EXPECT_THAT(ids({.connection = "hubspot", .limit = 2}), ElementsAre(r3, r2));
  EXPECT_THAT(ids({.connection = "other"}), ElementsAre(elsewhere));
  EXPECT_THAT(ids({.connection = "nobody"}), ElementsAre());
}

// ---- per-record errors

TEST_P(StateStoreTest, RecordErrorLifecycle) {
  ASSERT_TRUE(store_
                  ->ReportRecordError("hubspot", "contacts", "501", "missing_email",
                                      "contact 501 has no email")
                  .ok());
  clock_.Advance(kSecond);
  ASSERT_TRUE(store_->ReportRecordError("hubspot", "contacts", "501", "brevo_400", "bad SMS").ok());
  auto open = store_->ListRecordErrors({.connection = "hubspot"});
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0], (RecordError{.connection = "hubspot",
                                     .resource = "contacts",
                                     .record_id = "501",
                                     .reason = "brevo_400",
                                     .message = "bad SMS",
                                     .first_seen_micros = t0_,
                                     .last_seen_micros = t0_ + kSecond,
                                     .attempts = 2}));
  EXPECT_EQ(store_->CountUnresolvedErrors("hubspot").value(), 1);

  clock_.Advance(kSecond);
  EXPECT_EQ(store_->ResolveRecordError("hubspot", "contacts", "501").value(), true);
  EXPECT_EQ(store_->ResolveRecordError("hubspot", "contacts", "501").value(), false);
  EXPECT_EQ(store_->ResolveRecordError("hubspot", "contacts", "never").value(), false);
  EXPECT_TRUE(store_->ListRecordErrors({.connection = "hubspot"})->empty());
  EXPECT_EQ(store_->CountUnresolvedErrors("hubspot").value(), 0);
  auto all = store_->ListRecordErrors({.connection = "hubspot", .include_resolved = true});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].resolved_micros, t0_ + 2 * kSecond);

  // Failing again after being resolved starts a new episode.
  clock_.Advance(kSecond);
  ASSERT_TRUE(store_->ReportRecordError("hubspot", "contacts", "501", "brevo_400", "again").ok());
  auto again = store_->ListRecordErrors({.connection = "hubspot"});
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 1);
  EXPECT_EQ((*again)[0].first_seen_micros, t0_ + 3 * kSecond);
  EXPECT_FALSE((*again)[0].resolved());
}

TEST_P(StateStoreTest, ListRecordErrorsMostRecentFirst) {
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_TRUE(store_->ReportRecordError("hubspot", "contacts", id, "r", "").ok());
    clock_.Advance(kSecond);
  }
  ASSERT_TRUE(store_->ReportRecordError("hubspot", "deals", "d", "r", "").ok());
  auto ids = [&](const RecordErrorQuery& q) {
    std::vector<std::string> out;
    auto errors = store_->ListRecordErrors(q);
    EXPECT_TRUE(errors.ok()) << errors.status().ToString();
    if (errors.ok()) {
      for (const RecordError& e : *errors) out.push_back(e.record_id);
    }
    return out;
  };
  EXPECT_THAT(ids({.connection = "hubspot"}), ElementsAre("d", "c", "b", "a"));
  EXPECT_THAT(ids({.connection = "hubspot", .resource = "contacts"}), ElementsAre("c", "b", "a"));
  EXPECT_THAT(ids({.connection = "hubspot", .limit = 2}), ElementsAre("d", "c"));
  EXPECT_EQ(store_->CountUnresolvedErrors("hubspot").value(), 4);

  EXPECT_EQ(store_->ReportRecordError("hubspot", "contacts", "e", "", "").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ReportRecordError("nope", "contacts", "e", "r", "").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->ListRecordErrors({.connection = "hubspot", .limit = 0}).status().code(),
            StatusCode::kInvalidArgument);
}

// ---- transactions

// One page of a full sync as the engine will write it (DESIGN.md §3.5): links, snapshots, counts,
// resolved errors and the checkpoint, together. `fail_with` makes the callback fail at the end.
Status WritePage(StateStore& store, int64_t run, const std::string& checkpoint,
                 const Status& fail_with) {
  return store.Transaction([&](StoreTx& tx) -> Status {
    for (std::string id : {"1", "2"}) {
      TAJO_RETURN_IF_ERROR(tx.UpsertLink({.connection = "hubspot",
                                          .hubspot_id = id,
                                          .brevo_id = std::stoi(id) * 10,
                                          .email = id + "@x.io"}));
      TAJO_RETURN_IF_ERROR(
          tx.WriteSnapshot("hubspot", id, {{"email", {id + "@x.io", id + "@x.io"}}}));
      TAJO_RETURN_IF_ERROR(tx.ResolveRecordError("hubspot", "contacts", id).status());
    }
    TAJO_RETURN_IF_ERROR(tx.AddRunCounts(run, "contacts", {.created = 2}));
    TAJO_RETURN_IF_ERROR(tx.AddRunCalls(run, "brevo", 1));
    TAJO_RETURN_IF_ERROR(tx.SetCursor("hubspot", "contacts", "full", checkpoint));
    TAJO_RETURN_IF_ERROR(tx.SaveRunCheckpoint(run, checkpoint));
    return fail_with;
  });
}

TEST_P(StateStoreTest, TransactionCommitsEverythingTogether) {
  int64_t run = Start();
  ASSERT_TRUE(store_->ReportRecordError("hubspot", "contacts", "1", "brevo_500", "").ok());
  ASSERT_TRUE(WritePage(*store_, run, "page-1", Status::Ok()).ok());
  EXPECT_EQ(store_->CountLinks("hubspot").value(), 2);
  EXPECT_EQ(store_->GetSnapshot("hubspot", "2")->size(), 1u);
  EXPECT_EQ(store_->CountUnresolvedErrors("hubspot").value(), 0);
  SyncRun r = Run(run);
  EXPECT_EQ(r.checkpoint, "page-1");
  EXPECT_EQ(r.counts.at("contacts").created, 2);
  EXPECT_EQ(store_->GetCursor("hubspot", "contacts", "full").value()->value, "page-1");
}

TEST_P(StateStoreTest, AFailedCallbackRollsEverythingBack) {
  int64_t run = Start();
  ASSERT_TRUE(store_->SaveRunCheckpoint(run, "page-0").ok());
  ASSERT_TRUE(store_->ReportRecordError("hubspot", "contacts", "1", "brevo_500", "").ok());

  Status s = WritePage(*store_, run, "page-1", Status::Aborted("killed mid-page"));
  EXPECT_EQ(s, Status::Aborted("killed mid-page"));

  EXPECT_EQ(store_->CountLinks("hubspot").value(), 0);
  EXPECT_TRUE(store_->GetSnapshot("hubspot", "1")->empty());
  EXPECT_EQ(store_->CountUnresolvedErrors("hubspot").value(), 1);
  SyncRun r = Run(run);
  EXPECT_EQ(r.checkpoint, "page-0");
  EXPECT_TRUE(r.counts.empty());
  EXPECT_TRUE(r.calls.empty());
  EXPECT_EQ(store_->GetCursor("hubspot", "contacts", "full").value(), std::nullopt);

  // The store is fine afterwards: the same page now commits.
  ASSERT_TRUE(WritePage(*store_, run, "page-1", Status::Ok()).ok());
  EXPECT_EQ(Run(run).checkpoint, "page-1");
}

TEST_P(StateStoreTest, AFailedOperationDoomsTheTransaction) {
  Status s = store_->Transaction([&](StoreTx& tx) -> Status {
    EXPECT_TRUE(
        tx.UpsertLink({.connection = "hubspot", .hubspot_id = "1", .email = "a@x.io"}).ok());
    // Ignored by the callback, which then claims success.
    (void)tx.UpsertLink({.connection = "missing", .hubspot_id = "2", .email = "b@x.io"});
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("rolled back"));
  EXPECT_THAT(s.message(), HasSubstr("connection 'missing' does not exist"));
  EXPECT_EQ(store_->CountLinks("hubspot").value(), 0);
}

TEST_P(StateStoreTest, AnExceptionRollsBackAndPropagates) {
  EXPECT_THROW(store_->Transaction([&](StoreTx& tx) -> Status {
    EXPECT_TRUE(
        tx.UpsertLink({.connection = "hubspot", .hubspot_id = "1", .email = "a@x.io"}).ok());
    throw std::runtime_error("bug in the caller");
  }),
               std::runtime_error);
  EXPECT_EQ(store_->CountLinks("hubspot").value(), 0);
  EXPECT_TRUE(AddLink("1", 1, "a@x.io").ok());
}

TEST_P(StateStoreTest, NestedUseOnTheSameThreadIsRefusedNotDeadlocked) {
  Status inner_tx, inner_read, inner_call;
  Status outer = store_->Transaction([&](StoreTx& tx) -> Status {
    inner_tx = store_->Transaction([](StoreTx&) { return Status::Ok(); });
    inner_read = store_->Read([](StoreReader&) { return Status::Ok(); });
    inner_call = store_->GetConnection("hubspot").status();
    return tx.SetCursor("hubspot", "contacts", "incremental", "1");
  });
  EXPECT_TRUE(outer.ok()) << outer.ToString();
  EXPECT_EQ(inner_tx.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(inner_read.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(inner_call.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(inner_tx.message(), HasSubstr("use the StoreTx you were given"));
  EXPECT_TRUE(store_->GetCursor("hubspot", "contacts", "incremental").value().has_value());
}

TEST_P(StateStoreTest, ReadReturnsTheCallbacksResult) {
  ASSERT_TRUE(AddLink("1", 1, "a@x.io").ok());
  int64_t count = -1;
  size_t listed = 0;
  Status s = store_->Read([&](StoreReader& r) -> Status {
    auto n = r.CountLinks("hubspot");
    if (!n.ok()) return n.status();
    count = *n;
    auto page = r.ListLinks("hubspot", "", 100);
    if (!page.ok()) return page.status();
    listed = page->size();
    return Status::NotFound("stop here");
  });
  EXPECT_EQ(s, Status::NotFound("stop here"));
  EXPECT_EQ(count, 1);
  EXPECT_EQ(listed, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Engines, StateStoreTest,
    ::testing::Values(Engine{"SqliteFile", [](const TempDir& d) { return d.File("tajo.db"); }},
                      Engine{"SqliteMemory",
                             [](const TempDir&) { return std::string(":memory:"); }}),
    [](const ::testing::TestParamInfo<Engine>& info) { return info.param.name; });

}  // namespace
}  // namespace tajo::store
