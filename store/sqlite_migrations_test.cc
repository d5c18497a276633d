#include "store/sqlite_migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace tajo::store {
namespace {

using ::testing::HasSubstr;
using testing::RawExec;
using testing::RawQuery;
using testing::TempDir;

std::string Latest() { return std::to_string(SqliteMigrations().size()); }

TEST(SqliteMigrationsTest, ListIsNumberedFromOne) {
  auto migrations = SqliteMigrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(migrations[i].name.empty());
  }
}

TEST(SqliteMigrationsTest, FreshFileGetsTheWholeSchema) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), Latest());
  EXPECT_EQ(RawQuery(path, "PRAGMA application_id"), std::to_string(kTajoApplicationId));
  for (const char* table : {"connections", "links", "snapshots", "cursors", "sync_runs",
                            "sync_run_counts", "sync_run_calls", "record_errors", "inbox",
                            "leases"}) {
    EXPECT_EQ(RawQuery(path, std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                         "AND name = '") +
                                 table + "'"),
              "1")
        << table;
  }
  EXPECT_EQ(RawQuery(path, "PRAGMA journal_mode"), "wal");
}

TEST(SqliteMigrationsTest, ReopenAppliesNothingAndKeepsData) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->UpsertConnection({.name = "hubspot", .kind = "hubspot"}).ok());
  }
  for (int i = 0; i < 2; ++i) {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto c = (*store)->GetConnection("hubspot");
    ASSERT_TRUE(c.ok() && c->has_value());
  }
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), Latest());
}

TEST(SqliteMigrationsTest, Version2KeepsEveryRunAndNeverReusesARunId) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  {
    auto v1 = SqliteStore::Open(path, {}, SqliteMigrations().first(1));
    ASSERT_TRUE(v1.ok()) << v1.status().ToString();
    StateStore& store = **v1;
    ASSERT_TRUE(store.UpsertConnection({.name = "hubspot", .kind = "hubspot"}).ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(store.StartRun({.connection = "hubspot", .resources = {"contacts"}}).ok());
    }
    ASSERT_TRUE(store.AddRunCounts(1, "contacts", {.created = 4, .deleted = 1}).ok());
    ASSERT_TRUE(store.AddRunCalls(1, "hubspot", 7).ok());
    ASSERT_TRUE(store.SaveRunCheckpoint(1, "page-9").ok());
    ASSERT_TRUE(store.FinishRun(1, RunState::kFailed, "HubSpot 500").ok());
    // v1 refuses webhook runs.
    EXPECT_FALSE(store.StartRun({.connection = "hubspot", .type = SyncType::kWebhook}).ok());
  }
  ASSERT_EQ(RawExec(path, "DELETE FROM sync_runs WHERE id = 3"), "");
  ASSERT_EQ(RawQuery(path, "PRAGMA user_version"), "1");

  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), Latest());
  auto run = (*store)->GetRun(1);
  ASSERT_TRUE(run.ok() && run->has_value()) << run.status().ToString();
  EXPECT_EQ((*run)->state, RunState::kFailed);
  EXPECT_EQ((*run)->error, "HubSpot 500");
  EXPECT_EQ((*run)->checkpoint, "page-9");
  EXPECT_EQ((*run)->counts.at("contacts"), (RunCounts{.created = 4, .deleted = 1}));
  EXPECT_EQ((*run)->calls.at("hubspot"), 7);
  EXPECT_TRUE((*store)->GetRun(2).value().has_value());
  auto webhook = (*store)->StartRun({.connection = "hubspot", .type = SyncType::kWebhook});
  ASSERT_TRUE(webhook.ok()) << webhook.status().ToString();
  EXPECT_EQ(*webhook, 4);  // not 3: that id was used before the upgrade
  EXPECT_EQ(RawQuery(path, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(RawQuery(path, "PRAGMA foreign_key_check"), "");
  // The rebuilt tables still cascade.
  ASSERT_TRUE((*store)->DeleteConnection("hubspot").ok());
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sync_run_counts"), "0");
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sync_run_calls"), "0");
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sync_runs"), "0");
}

TEST(SqliteMigrationsTest, AppliesOnlyTheMissingSteps) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  const Migration v1[] = {{1, "one", "CREATE TABLE one (x INTEGER);"}};
  ASSERT_TRUE(SqliteStore::Open(path, {}, v1).ok());
  ASSERT_EQ(RawExec(path, "INSERT INTO one VALUES (7)"), "");
  // Step 1 must not run again (it would fail: table one already exists).
  const Migration v2[] = {{1, "one", "CREATE TABLE one (x INTEGER);"},
                          {2, "two", "CREATE TABLE two (y TEXT); INSERT INTO two VALUES ('b');"}};
  auto store = SqliteStore::Open(path, {}, v2);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), "2");
  EXPECT_EQ(RawQuery(path, "SELECT x FROM one"), "7");
  EXPECT_EQ(RawQuery(path, "SELECT y FROM two"), "b");
}

TEST(SqliteMigrationsTest, FailedStepRollsBackToThePreviousVersion) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  const Migration broken[] = {
      {1, "one", "CREATE TABLE one (x INTEGER);"},
      {2, "half done", "CREATE TABLE two (y TEXT); THIS IS NOT SQL;"},
  };
  auto store = SqliteStore::Open(path, {}, broken);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr("migration 2 (half done)"));
  EXPECT_THAT(store.status().message(), HasSubstr(path));
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), "1");
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'two'"), "0");
}

TEST(SqliteMigrationsTest, RefusesADatabaseFromANewerTajo) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  ASSERT_EQ(RawExec(path, "PRAGMA user_version = 7"), "");
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(), "database " + path +
                                          " has schema version 7, this tajo supports up to " +
                                          Latest() + ": upgrade tajo");
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), "7");  // untouched
}

TEST(SqliteMigrationsTest, RefusesAnotherProgramsDatabase) {
  TempDir dir;
  std::string tables = dir.File("other.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(tables.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE notes (t TEXT)", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = SqliteStore::Open(tables);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr(tables + " is not a tajo store"));
  EXPECT_EQ(RawQuery(tables, "SELECT count(*) FROM sqlite_schema"), "1");  // nothing added

  // A tajo store whose mark was changed by another program.
  std::string marked = dir.File("marked.db");
  ASSERT_TRUE(SqliteStore::Open(marked).ok());
  ASSERT_EQ(RawExec(marked, "PRAGMA application_id = 42"), "");
  store = SqliteStore::Open(marked);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr("application_id is 0x2a"));
}

TEST(SqliteMigrationsTest, RejectsAMisnumberedList) {
  TempDir dir;
  const Migration gap[] = {{1, "one", "SELECT 1;"}, {3, "three", "SELECT 1;"}};
  auto store = SqliteStore::Open(dir.File("tajo.db"), {}, gap);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInternal);
}

TEST(SqliteMigrationsTest, ProcessesOpeningAFreshFileTogetherMigrateOnce) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  // Step 1 fails if it runs twice; each opener is its own connection, as another process would be.
  const Migration once[] = {
      {1, "one", "CREATE TABLE one (x INTEGER); INSERT INTO one VALUES (1);"}};
  constexpr int kOpeners = 4;
  std::vector<Status> results(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] { results[i] = SqliteStore::Open(path, {}, once).status(); });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM one"), "1");
}

}  // namespace
}  // namespace tajo::store
