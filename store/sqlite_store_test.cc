// The SQLite engine's own promises: opening files (good, damaged, missing, forbidden), reading
// values edited by hand, and sharing one file between threads, instances and processes.
#include "store/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "store/store_test_util.h"

namespace tajo::store {
namespace {

using ::testing::HasSubstr;
using testing::RawExec;
using testing::RawQuery;
using ::testing::StartsWith;
using testing::TempDir;
using testing::WriteFile;

std::unique_ptr<SqliteStore> OpenOrDie(const std::string& path, const StoreOptions& options = {}) {
  auto store = SqliteStore::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

Status AddConnection(StateStore& store, const std::string& name = "hubspot") {
  return store.UpsertConnection({.name = name, .kind = "hubspot"});
}

// Reads every link of connection "hubspot", page by page.
Status ScanLinks(StoreReader& r) {
  std::string after;
  while (true) {
    auto page = r.ListLinks("hubspot", after, 500);
    if (!page.ok()) return page.status();
    if (page->empty()) return Status::Ok();
    after = page->back().hubspot_id;
  }
}

// A store with `n` links, closed.
void MakeStoreWithLinks(const std::string& path, int n) {
  auto store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AddConnection(*store).ok());
  Status s = store->Transaction([&](StoreTx& tx) -> Status {
    for (int i = 0; i < n; ++i) {
      std::string id = std::to_string(100000 + i);
      TAJO_RETURN_IF_ERROR(tx.UpsertLink({.connection = "hubspot",
                                          .hubspot_id = id,
                                          .brevo_id = i,
                                          .email = "c" + id + "@example.com"}));
      TAJO_RETURN_IF_ERROR(tx.WriteSnapshot("hubspot", id, {{"firstname", {"Ann", "Ann"}}}));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
}

// Damage must show as kCorruption naming the file, when opening or at the latest when reading.
void ExpectCorruption(const std::string& path) {
  auto store = SqliteStore::Open(path);
  Status s = store.status();
  if (store.ok()) s = (*store)->Read(ScanLinks);
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr(path));
}

// ---- opening

TEST(SqliteStoreTest, GarbageFileIsCorruption) {
  TempDir dir;
  std::string path = dir.File("garbage.db");
  std::string garbage(8192, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 131 + 7) % 251);
  WriteFile(path, garbage);
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(store.status().message(), HasSubstr("database " + path));
  EXPECT_THAT(store.status().message(), HasSubstr("file is not a database"));

  std::string text = dir.File("notes.txt");
  WriteFile(text, "meeting notes, not a database\n");
  store = SqliteStore::Open(text);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(store.status().message(), HasSubstr(text));
}

TEST(SqliteStoreTest, EmptyFileBecomesAStore) {
  TempDir dir;
  std::string path = dir.File("empty.db");
  WriteFile(path, "");
  auto store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(AddConnection(*store).ok());
}

TEST(SqliteStoreTest, TruncatedDatabaseIsCorruption) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  MakeStoreWithLinks(path, 2000);
  auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 64u * 1024);
  std::filesystem::resize_file(path, size / 2);
  ExpectCorruption(path);
}

TEST(SqliteStoreTest, DamagedPagesAreCorruption) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  MakeStoreWithLinks(path, 2000);
  std::string bytes(std::filesystem::file_size(path), '\0');
  {
    std::ifstream in(path, std::ios::binary);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  // Keep the header and the first pages (schema); overwrite everything from 16 KiB on.
  for (size_t i = 16 * 1024; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xA5);
  WriteFile(path, bytes);
  ExpectCorruption(path);
}

TEST(SqliteStoreTest, DirectoryIsAnIOError) {
  TempDir dir;
  auto store = SqliteStore::Open(dir.path().string());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIOError);
  EXPECT_EQ(store.status().message(),
            "database " + dir.path().string() + " is a directory, not a database file");
}

TEST(SqliteStoreTest, MissingDirectoryIsAnIOError) {
  TempDir dir;
  std::string path = dir.File("no/such/dir/tajo.db");
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIOError);
  EXPECT_THAT(store.status().message(), HasSubstr(path));
  EXPECT_THAT(store.status().message(), HasSubstr("does not exist"));
  EXPECT_FALSE(std::filesystem::exists(dir.File("no")));  // nothing created
}

TEST(SqliteStoreTest, FileUnderARegularFileIsAnIOError) {
  TempDir dir;
  WriteFile(dir.File("plain"), "x");
  std::string path = dir.File("plain/tajo.db");
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIOError);
  EXPECT_THAT(store.status().message(), HasSubstr(path));
}

// Opens `path` as an unprivileged user and returns Status::ToString() ("OK" on success).
std::optional<std::string> OpenUnprivileged(const std::string& path) {
  return testing::RunUnprivileged([&]() -> std::string {
    auto store = SqliteStore::Open(path);
    return store.status().ToString();
  });
}

TEST(SqliteStoreTest, UnreadableFileIsAnIOError) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  std::optional<std::string> result = OpenUnprivileged(path);
  chmod(path.c_str(), 0644);
  if (!result) GTEST_SKIP() << "running as root and cannot drop privileges";
  EXPECT_THAT(*result, StartsWith("IOError: database " + path));
  EXPECT_THAT(*result, HasSubstr("Permission denied"));
}

TEST(SqliteStoreTest, ReadOnlyFileIsAnIOError) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
  ASSERT_EQ(chmod(path.c_str(), 0444), 0);
  std::optional<std::string> result = OpenUnprivileged(path);
  chmod(path.c_str(), 0644);
  if (!result) GTEST_SKIP() << "running as root and cannot drop privileges";
  EXPECT_THAT(*result, StartsWith("IOError: database " + path));
  EXPECT_THAT(*result, HasSubstr("read-only"));
}

TEST(SqliteStoreTest, OpenStoreChoosesTheEngineByLocation) {
  TempDir dir;
  auto file = OpenStore(dir.File("plain.db"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(dir.File("plain.db")));

  auto url = OpenStore("sqlite://" + dir.File("url.db"));
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(dir.File("url.db")));

  auto memory = OpenStore(":memory:");
  ASSERT_TRUE(memory.ok()) << memory.status().ToString();
  EXPECT_TRUE(AddConnection(**memory).ok());

  for (std::string pg : {"postgresql://tajo:s3cr3t-pw@db.internal/tajo",
                         "postgres://tajo:s3cr3t-pw@db.internal/tajo"}) {
    auto store = OpenStore(pg);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(store.status().message(), HasSubstr("not yet supported"));
    EXPECT_THAT(store.status().message(), ::testing::Not(HasSubstr("s3cr3t-pw")));
  }
  auto unknown = OpenStore("mysql://localhost/tajo");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown scheme"));
  EXPECT_EQ(OpenStore("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("sqlite://").status().code(), StatusCode::kInvalidArgument);
}

// ---- values edited by hand

class CorruptRowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("tajo.db");
    auto store = OpenOrDie(path_);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(AddConnection(*store).ok());
    auto run = store->StartRun({.connection = "hubspot", .resources = {"contacts"}});
    ASSERT_TRUE(run.ok());
    run_ = *run;
    ASSERT_TRUE(store->AddRunCounts(run_, "contacts", {.created = 3}).ok());
    ASSERT_TRUE(store->AddRunCalls(run_, "hubspot", 2).ok());
    ASSERT_TRUE(
        store->UpsertLink({.connection = "hubspot", .hubspot_id = "1", .email = "a@x.io"}).ok());
  }

  // Applies `sql` behind the store's back, then reopens it.
  std::unique_ptr<SqliteStore> Damage(const std::string& sql) {
    std::string error = RawExec(path_, "PRAGMA ignore_check_constraints = ON; " + sql);
    EXPECT_EQ(error, "");
    return OpenOrDie(path_);
  }

  void ExpectCorrupt(const Status& s, const std::string& where) {
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
    EXPECT_THAT(s.message(), HasSubstr("database " + path_));
    EXPECT_THAT(s.message(), HasSubstr(where));
  }

  TempDir dir_;
  std::string path_;
  int64_t run_ = 0;
};

TEST_F(CorruptRowTest, NonNumericCount) {
  auto store = Damage("UPDATE sync_run_counts SET created = 'lots'");
  ASSERT_NE(store, nullptr);
  ExpectCorrupt(store->GetRun(run_).status(),
                "corrupt value in sync_run_counts.created (run 1, resource 'contacts'): holds "
                "text, expected an integer");
  ExpectCorrupt(store->ListRuns({.connection = "hubspot"}).status(), "sync_run_counts.created");
}

TEST_F(CorruptRowTest, UnknownEnumName) {
  auto store = Damage("UPDATE sync_runs SET state = 'exploded'");
  ASSERT_NE(store, nullptr);
  ExpectCorrupt(store->GetRun(run_).status(),
                "sync_runs.state (run 1): holds 'exploded', not a run state");
  ExpectCorrupt(store->FinishRun(run_, RunState::kSucceeded, ""), "sync_runs.state");
}

TEST_F(CorruptRowTest, BadResourceList) {
  auto store = Damage("UPDATE sync_runs SET resources_json = '{\"contacts\"'");
  ASSERT_NE(store, nullptr);
  ExpectCorrupt(store->GetRun(run_).status(), "sync_runs.resources_json (run 1)");
}

TEST_F(CorruptRowTest, WrongTypeInLink) {
  auto store = Damage("UPDATE links SET brevo_id = 'x7'");
  ASSERT_NE(store, nullptr);
  ExpectCorrupt(store->GetLinkByHubSpotId("hubspot", "1").status(),
                "links.brevo_id (connection 'hubspot', HubSpot id '1')");
  ExpectCorrupt(store->Read(ScanLinks), "links.brevo_id");
}

// ---- sharing

TEST(SqliteStoreTest, ReopenAfterClosePreservesEverything) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  ManualClock clock;
  int64_t run = 0;
  {
    auto store = OpenOrDie(path, {.clock = &clock});
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->UpsertConnection({.name = "hubspot",
                                        .kind = "hubspot",
                                        .status = ConnectionStatus::kConnected,
                                        .settings_json = R"({"plan":"pro"})",
                                        .sealed_secrets = std::string("\x00\x01\xff", 3)})
                    .ok());
    ASSERT_TRUE(
        store
            ->UpsertLink(
                {.connection = "hubspot", .hubspot_id = "7", .brevo_id = 70, .email = "a@x.io"})
            .ok());
    ASSERT_TRUE(store->WriteSnapshot("hubspot", "7", {{"firstname", {"Ann", std::nullopt}}}).ok());
    ASSERT_TRUE(store->SetCursor("hubspot", "contacts", "incremental", "1700").ok());
    auto started = store->StartRun({.connection = "hubspot", .resources = {"contacts"}});
    ASSERT_TRUE(started.ok());
    run = *started;
    ASSERT_TRUE(store->SaveRunCheckpoint(run, "page=3").ok());
    ASSERT_TRUE(
        store->ReportRecordError("hubspot", "contacts", "9", "missing_email", "no email").ok());
  }
  auto store = OpenOrDie(path, {.clock = &clock});
  ASSERT_NE(store, nullptr);
  auto c = store->GetConnection("hubspot");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->sealed_secrets, std::string("\x00\x01\xff", 3));
  EXPECT_EQ((*c)->settings_json, R"({"plan":"pro"})");
  auto link = store->GetLinkByBrevoId("hubspot", 70);
  ASSERT_TRUE(link.ok() && link->has_value());
  EXPECT_EQ((*link)->hubspot_id, "7");
  auto snap = store->GetSnapshot("hubspot", "7");
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(*snap, (Snapshot{{"firstname", {"Ann", std::nullopt}}}));
  auto cursor = store->GetCursor("hubspot", "contacts", "incremental");
  ASSERT_TRUE(cursor.ok() && cursor->has_value());
  EXPECT_EQ((*cursor)->value, "1700");
  auto r = store->GetRun(run);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->checkpoint, "page=3");
  EXPECT_EQ(store->CountUnresolvedErrors("hubspot").value(), 1);
}

TEST(SqliteStoreTest, ThreadsShareOneStore) {
  TempDir dir;
  auto store = OpenOrDie(dir.File("tajo.db"));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AddConnection(*store).ok());
  auto run = store->StartRun({.connection = "hubspot"});
  ASSERT_TRUE(run.ok());

  constexpr int kThreads = 4, kWrites = 50;
  std::vector<std::vector<Status>> failures(kThreads + 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        std::string id = std::to_string(t * 1000 + i);
        Status s = store->Transaction([&](StoreTx& tx) -> Status {
          TAJO_RETURN_IF_ERROR(
              tx.UpsertLink({.connection = "hubspot", .hubspot_id = id, .email = id + "@x.io"}));
          TAJO_RETURN_IF_ERROR(tx.WriteSnapshot("hubspot", id, {{"email", {id, id}}}));
          return tx.AddRunCounts(*run, "contacts", {.created = 1});
        });
        if (!s.ok()) failures[t].push_back(s);
      }
    });
  }
  threads.emplace_back([&] {  // a reader alongside
    for (int i = 0; i < kWrites; ++i) {
      auto n = store->CountLinks("hubspot");
      if (!n.ok()) failures[kThreads].push_back(n.status());
    }
  });
  for (auto& th : threads) th.join();
  for (const auto& f : failures) EXPECT_TRUE(f.empty()) << f.front().ToString();
  EXPECT_EQ(store->CountLinks("hubspot").value(), kThreads * kWrites);
  EXPECT_EQ(store->GetRun(*run).value()->counts.at("contacts").created, kThreads * kWrites);
}

// Adds 1 to the run's `service` call count `n` times, one transaction each. Returns the failures.
std::vector<Status> CountCalls(StateStore& store, int64_t run, const std::string& service, int n) {
  std::vector<Status> failures;
  for (int i = 0; i < n; ++i) {
    Status s = store.Transaction([&](StoreTx& tx) -> Status {
      TAJO_RETURN_IF_ERROR(tx.AddRunCalls(run, service, 1));
      std::string id = service + std::to_string(i);
      return tx.UpsertLink({.connection = "hubspot", .hubspot_id = id, .email = id + "@x.io"});
    });
    if (!s.ok()) failures.push_back(s);
  }
  return failures;
}

TEST(SqliteStoreTest, TwoInstancesOnOneFileBothWrite) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  auto a = OpenOrDie(path);
  auto b = OpenOrDie(path);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(AddConnection(*a).ok());
  auto run = a->StartRun({.connection = "hubspot"});
  ASSERT_TRUE(run.ok());

  constexpr int kWrites = 100;
  std::vector<Status> fa, fb;
  std::thread ta([&] { fa = CountCalls(*a, *run, "hubspot", kWrites); });
  std::thread tb([&] { fb = CountCalls(*b, *run, "brevo", kWrites); });
  ta.join();
  tb.join();
  EXPECT_TRUE(fa.empty()) << fa.front().ToString();
  EXPECT_TRUE(fb.empty()) << fb.front().ToString();
  auto seen_by_b = b->GetRun(*run);
  ASSERT_TRUE(seen_by_b.ok() && seen_by_b->has_value());
  EXPECT_EQ((*seen_by_b)->calls,
            (std::map<std::string, int64_t>{{"brevo", kWrites}, {"hubspot", kWrites}}));
}

TEST(SqliteStoreTest, TwoProcessesOnOneFileBothWrite) {
  TempDir dir;
  std::string path = dir.File("tajo.db");
  int64_t run = 0;
  {
    auto store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(AddConnection(*store).ok());
    auto started = store->StartRun({.connection = "hubspot"});
    ASSERT_TRUE(started.ok());
    run = *started;
  }  // closed: no connection to this file crosses the fork

  constexpr int kWrites = 100;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  // Reaps the child however the test ends, before the temp dir is removed.
  struct Child {
    pid_t pid = -1;
    int status = 0;
    int Wait() {
      if (pid > 0 && waitpid(pid, &status, 0) == pid) pid = -1;
      return status;
    }
    ~Child() { Wait(); }
  } child;
  child.pid = fork();
  ASSERT_GE(child.pid, 0);
  if (child.pid == 0) {
    close(ready[0]);
    auto store = SqliteStore::Open(path);
    if (!store.ok()) _exit(2);
    if (write(ready[1], "r", 1) != 1) _exit(3);
    close(ready[1]);
    _exit(CountCalls(**store, run, "brevo", kWrites).empty() ? 0 : 1);
  }
  close(ready[1]);
  char byte = 0;
  ssize_t got = read(ready[0], &byte, 1);
  close(ready[0]);
  ASSERT_EQ(got, 1) << "the child process could not open the store";
  auto store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  std::vector<Status> failures = CountCalls(*store, run, "hubspot", kWrites);
  int status = child.Wait();
  EXPECT_TRUE(failures.empty()) << failures.front().ToString();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child process had write failures";
  auto r = store->GetRun(run);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->calls,
            (std::map<std::string, int64_t>{{"brevo", kWrites}, {"hubspot", kWrites}}));
}

}  // namespace
}  // namespace tajo::store
