// `tajo connectors sync hubspot` killed with SIGKILL mid-run, again and again, as a real process:
// both emulators run in this test process on loopback (with a few milliseconds of latency per
// request), the tajo binary (TAJO_BINARY) syncs them into a SQLite file, and this test kills it at
// pseudo-random points (fixed seed) once its run has saved a checkpoint past the previous kill's.
// A later attempt must continue from the checkpoint, and once one finishes the Brevo account must
// equal the mapping of the HubSpot portal with no contact twice and one link per HubSpot contact.
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/sync_test_config.h"
#include "core/redact.h"
#include "sync/sync_test_env.h"

namespace tajo::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using sync::kConnectionName;
using sync::testing::EnvOptions;
using sync::testing::ExpectMirrored;
using sync::testing::SyncTestEnv;

constexpr int64_t kContacts = 3000;
constexpr auto kAttemptTimeout = std::chrono::seconds(60);

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// How one attempt ended.
struct Attempt {
  bool killed = false;       // by this test's SIGKILL, while running
  int exit_code = -1;        // when it exited by itself
  int64_t run_id = 0;        // the store's run of this attempt (0 if none was seen)
  int64_t done_at_kill = 0;  // the checkpoint's "done" when it was killed
  std::string out, err;
};

class SyncKillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTestDir("tajo_sync_kill");
    store_path_ = (dir_ / "tajo.db").string();
    // A Brevo account that already holds a share of the portal's people: the full run creates
    // most contacts and updates the others.
    env_ = std::make_unique<SyncTestEnv>(EnvOptions{
        .hubspot_seed = "contacts=" + std::to_string(kContacts),
        .brevo_seed = "contacts=400,overlap=0.75,hubspot_contacts=" + std::to_string(kContacts) +
                      ",hubspot_companies=0,lists=2",
        .extra_yaml = testing::kSyncTestLists,
        .store = store_path_});
    SetLatency(3, 3);
    config_path_ = testing::WriteSyncConfig(*env_, dir_ / "tajo.yaml", store_path_, testing::kSyncTestLists);
  }
  void TearDown() override {
    env_.reset();
    std::filesystem::remove_all(dir_);
    ClearRegisteredSecrets();
  }

  void SetLatency(int hubspot_ms, int brevo_ms) {
    env_->HubSpotAdmin("PUT", "/_sandbox/settings", {{"latencyMs", hubspot_ms}});
    env_->BrevoAdmin("PUT", "/_sandbox/settings", {{"latencyMs", brevo_ms}});
  }

  std::optional<store::SyncRun> NewestRun() {
    auto runs = env_->store().ListRuns({kConnectionName, std::nullopt, 1});
    EXPECT_TRUE(runs.ok()) << runs.status().ToString();
    if (!runs.ok() || runs->empty()) return std::nullopt;
    return runs->front();
  }

  static int64_t CheckpointDone(const store::SyncRun& run) {
    auto cp = nlohmann::json::parse(run.checkpoint, nullptr, false);
    if (!cp.is_object()) return -1;  // none saved yet
    return cp.value("done", int64_t{-1});
  }

  // Starts `tajo --config F connectors sync hubspot --type TYPE ...` with stdout and stderr in files.
  pid_t Spawn(const std::string& type, int n) {
    return SpawnTajo({"connectors", "sync", "hubspot", "--type", type, "--batch-size", "200", "--progress", "none"},
                     n);
  }
  // Starts `tajo --config F <command...>` with stdout in dir/outN and stderr in dir/errN.
  pid_t SpawnTajo(const std::vector<std::string>& command, int n) {
    std::vector<std::string> args = {TAJO_BINARY, "--config", config_path_};
    args.insert(args.end(), command.begin(), command.end());
    return testing::SpawnProcess(args, (dir_ / ("out" + std::to_string(n))).string(),
                                 (dir_ / ("err" + std::to_string(n))).string());
  }

  // `tajo connectors status hubspot --json`, run to completion; the document it printed.
  nlohmann::json StatusJson(int n) {
    const pid_t pid = SpawnTajo({"connectors", "status", "hubspot", "--json"}, n);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadFile(dir_ / ("err" + std::to_string(n)));
    return nlohmann::json::parse(ReadFile(dir_ / ("out" + std::to_string(n))), nullptr, false);
  }

  // Runs one sync attempt. While the attempt's run is in the store and running, kill_when(run)
  // says when to SIGKILL it (after `extra_delay` more); an empty kill_when lets it finish.
  Attempt RunAttempt(const std::string& type, int n, int64_t previous_run_id,
                     const std::function<bool(const store::SyncRun&)>& kill_when, std::chrono::milliseconds extra_delay) {
    Attempt a;
    const pid_t pid = Spawn(type, n);
    EXPECT_GT(pid, 0);
    if (pid <= 0) return a;
    const auto deadline = std::chrono::steady_clock::now() + kAttemptTimeout;
    int status = 0;
    while (true) {
      const pid_t w = ::waitpid(pid, &status, WNOHANG);
      if (w == pid) break;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "attempt " << n << " did not finish in time";
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        break;
      }
      if (kill_when) {
        auto run = NewestRun();
        if (run && run->id > previous_run_id && run->state == store::RunState::kRunning && kill_when(*run)) {
          std::this_thread::sleep_for(extra_delay);
          ::kill(pid, SIGKILL);
          ::waitpid(pid, &status, 0);
          break;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (WIFSIGNALED(status)) {
      EXPECT_EQ(WTERMSIG(status), SIGKILL) << "attempt " << n;
      a.killed = true;
    } else if (WIFEXITED(status)) {
      a.exit_code = WEXITSTATUS(status);
    }
    if (auto run = NewestRun(); run && run->id > previous_run_id) {
      a.run_id = run->id;
      a.done_at_kill = CheckpointDone(*run);
      // A run killed after it finished its work is not "mid-run": it would be recorded succeeded.
      if (a.killed) {
        EXPECT_EQ(run->state, store::RunState::kRunning) << "attempt " << n << " was not mid-run";
      }
    }
    a.out = ReadFile(dir_ / ("out" + std::to_string(n)));
    a.err = ReadFile(dir_ / ("err" + std::to_string(n)));
    return a;
  }

  // Kills up to `kills` attempts, each once its run's checkpoint is a pseudo-random step past the
  // previous kill's (so every killed attempt made progress) plus a pseudo-random 0-25 ms (so the
  // kill lands anywhere: in a read, a write, a store transaction); then lets one finish.
  // Returns every attempt; the last one is the one that was not killed.
  std::vector<Attempt> KillRepeatedly(const std::string& type, int kills, int64_t step_lo, int64_t step_hi,
                                      std::mt19937& rng, int first_attempt) {
    std::vector<Attempt> attempts;
    int64_t last_done = 0;
    int64_t last_run = NewestRun() ? NewestRun()->id : 0;
    constexpr int kMaxAttempts = 10;
    for (int i = 0; i < kMaxAttempts; ++i) {
      const bool kill = static_cast<int>(attempts.size()) < kills;
      const int64_t target = last_done + std::uniform_int_distribution<int64_t>(step_lo, step_hi)(rng);
      const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 25)(rng));
      std::function<bool(const store::SyncRun&)> when;
      if (kill) when = [target](const store::SyncRun& r) { return CheckpointDone(r) >= target; };
      Attempt a = RunAttempt(type, first_attempt + i, last_run, when, delay);
      std::cout << "  " << type << " attempt " << i << ": run #" << a.run_id
                << (a.killed ? " killed at checkpoint " + std::to_string(a.done_at_kill) + " (+" +
                                   std::to_string(delay.count()) + " ms)"
                             : " exited " + std::to_string(a.exit_code))
                << "\n";
      attempts.push_back(a);
      if (a.run_id > 0) last_run = a.run_id;
      if (!a.killed) break;
      EXPECT_GT(a.done_at_kill, last_done) << "attempt " << i << " made no progress";
      last_done = a.done_at_kill;
    }
    return attempts;
  }

  // Every Brevo contact, page by page, as Brevo lists them (not deduplicated).
  std::vector<brevo::Contact> RawBrevoContacts() {
    std::vector<brevo::Contact> out;
    brevo::ContactListOptions o;
    while (true) {
      auto page = env_->clients().brevo().ListContacts(o);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      for (brevo::Contact& c : page->contacts) out.push_back(std::move(c));
      if (page->contacts.size() < static_cast<size_t>(o.limit)) break;
      o.offset += o.limit;
    }
    return out;
  }

  // No Brevo contact twice; one link per HubSpot contact that has an email of its own.
  void ExpectNoDuplicatesAndOneLinkEach() {
    std::set<std::string> brevo_emails;
    std::set<int64_t> brevo_ids;
    for (const brevo::Contact& c : RawBrevoContacts()) {
      // (Brevo contacts without an email — SMS-only ones of the Brevo seed — are not tajo's.)
      if (!c.email.empty()) {
        EXPECT_TRUE(brevo_emails.insert(c.email).second) << c.email << " is in Brevo twice";
      }
      EXPECT_TRUE(brevo_ids.insert(c.id).second) << "Brevo id " << c.id << " listed twice";
    }
    std::map<std::string, int> by_email;  // normalized email -> HubSpot contacts with it
    std::set<std::string> live_ids;
    for (const hubspot::CrmObject& c : env_->HubSpotContacts({"email"})) {
      live_ids.insert(c.id);
      std::string e = c.Get("email").value_or("");
      e.erase(0, e.find_first_not_of(" \t"));
      e.erase(e.find_last_not_of(" \t") + 1);
      for (char& ch : e) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (!e.empty()) ++by_email[e];
    }
    std::vector<store::Link> links;
    std::string after;
    while (true) {
      auto page = env_->store().ListLinks(kConnectionName, after, 10000);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      if (page->empty()) break;
      after = page->back().hubspot_id;
      links.insert(links.end(), page->begin(), page->end());
    }
    std::set<std::string> link_emails;
    std::set<std::string> link_ids;
    for (const store::Link& l : links) {
      EXPECT_TRUE(link_ids.insert(l.hubspot_id).second) << "HubSpot " << l.hubspot_id << " linked twice";
      EXPECT_TRUE(link_emails.insert(l.email).second) << l.email << " is linked twice";
      EXPECT_TRUE(live_ids.contains(l.hubspot_id)) << "link to HubSpot " << l.hubspot_id << ", which is gone";
      EXPECT_TRUE(brevo_emails.contains(l.email)) << "link to " << l.email << ", which Brevo lacks";
    }
    // Each distinct email is linked once (its first HubSpot contact; the others are duplicates).
    EXPECT_EQ(links.size(), by_email.size());
  }

  // Sum of what the run recorded for every contact it read.
  int64_t RecordsCounted(int64_t run_id) {
    auto run = env_->store().GetRun(run_id);
    EXPECT_TRUE(run.ok() && run->has_value());
    if (!run.ok() || !run->has_value()) return -1;
    const store::RunCounts c = (*run)->TotalCounts();
    return c.created + c.updated + c.unchanged + c.skipped + c.failed;
  }

  std::filesystem::path dir_;
  std::string store_path_;
  std::string config_path_;
  std::unique_ptr<SyncTestEnv> env_;
};

TEST_F(SyncKillTest, FullThenIncrementalKilledRepeatedlyStillMirror) {
  std::mt19937 rng(20240611);

  // ---- full, killed three times mid-run
  std::vector<Attempt> full = KillRepeatedly("full", 3, 300, 700, rng, 0);
  int kills = 0;
  for (const Attempt& a : full) kills += a.killed ? 1 : 0;
  ASSERT_GE(kills, 2) << "the full run finished before it could be killed twice";
  const Attempt& done = full.back();
  ASSERT_FALSE(done.killed);
  ASSERT_EQ(done.exit_code, 0) << done.out << done.err;
  EXPECT_THAT(done.out, HasSubstr("Full sync of HubSpot contacts -> Brevo succeeded"));
  EXPECT_THAT(done.out, HasSubstr("continuing an interrupted run")) << done.out;
  // It continued from the last checkpoint: it did not read the portal again from the start.
  EXPECT_LE(RecordsCounted(done.run_id), kContacts - full[full.size() - 2].done_at_kill);
  // Every killed run is recorded as interrupted and continued.
  for (size_t i = 0; i + 1 < full.size(); ++i) {
    auto run = env_->store().GetRun(full[i].run_id).value();
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->state, store::RunState::kFailed);
    EXPECT_THAT(run->error, HasSubstr("interrupted"));
  }
  ExpectMirrored(*env_);
  ExpectNoDuplicatesAndOneLinkEach();

  // ---- ~2,000 HubSpot changes (names, lifecycle stages that move lists, a few new emails, a few
  // deletions), then incremental runs killed twice mid-run
  auto contacts = env_->HubSpotContacts({"email", "firstname"});
  ASSERT_GE(contacts.size(), 2100u);
  nlohmann::json actions = nlohmann::json::array();
  std::set<std::string> archived_emails;
  const char* stages[] = {"lead", "marketingqualifiedlead", "customer", "subscriber"};
  for (size_t i = 0; i < 2000; ++i) {
    const hubspot::CrmObject& c = contacts[i];
    nlohmann::json props = {{"firstname", "Renamed" + std::to_string(i)}, {"lifecyclestage", stages[i % 4]}};
    if (i % 400 == 7 && c.Get("email")) props["email"] = "moved." + std::to_string(i) + "@example.org";
    actions.push_back({{"op", "update"}, {"objectType", "contacts"}, {"id", c.id}, {"properties", props}});
  }
  for (size_t i = 2000; i < 2015; ++i) {
    if (auto e = contacts[i].Get("email"); e && !e->empty()) archived_emails.insert(*e);
    actions.push_back({{"op", "archive"}, {"objectType", "contacts"}, {"id", contacts[i].id}});
  }
  for (size_t p = 0; p < actions.size(); p += 500) {
    nlohmann::json chunk(actions.begin() + static_cast<std::ptrdiff_t>(p),
                         actions.begin() + static_cast<std::ptrdiff_t>(std::min(p + 500, actions.size())));
    env_->HubSpotAdmin("POST", "/_sandbox/mutate", {{"actions", chunk}});
  }

  std::vector<Attempt> inc = KillRepeatedly("incremental", 2, 300, 600, rng, 100);
  kills = 0;
  for (const Attempt& a : inc) kills += a.killed ? 1 : 0;
  ASSERT_GE(kills, 2) << "the incremental run finished before it could be killed twice";
  const Attempt& inc_done = inc.back();
  ASSERT_EQ(inc_done.exit_code, 0) << inc_done.out << inc_done.err;
  EXPECT_THAT(inc_done.out, HasSubstr("Incremental sync of HubSpot contacts -> Brevo succeeded"));
  EXPECT_THAT(inc_done.out, HasSubstr("continuing an interrupted run")) << inc_done.out;
  ExpectMirrored(*env_);
  ExpectNoDuplicatesAndOneLinkEach();
  auto brevo = env_->BrevoContacts();
  for (const std::string& e : archived_emails) {
    std::string lower = e;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_FALSE(brevo.contains(lower)) << lower << " was archived in HubSpot but is still in Brevo";
  }
  // No secret in anything tajo printed.
  const std::string token = env_->config().connectors.hubspot.access_token;
  const std::string key = env_->config().brevo.api_key;
  for (const auto* list : {&full, &inc}) {
    for (const Attempt& a : *list) {
      EXPECT_THAT(a.out + a.err, Not(HasSubstr(token)));
      EXPECT_THAT(a.out + a.err, Not(HasSubstr(key)));
    }
  }
}

// A run that continued an interrupted one and is itself killed before its first checkpoint must
// not lose the checkpoint it started from: the next run continues from there too.
TEST_F(SyncKillTest, ARunKilledBeforeItsFirstCheckpointKeepsTheOneItContinued) {
  Attempt first = RunAttempt("full", 0, 0, [](const store::SyncRun& r) { return CheckpointDone(r) >= 1200; },
                             std::chrono::milliseconds(0));
  ASSERT_TRUE(first.killed) << first.out << first.err;
  ASSERT_GE(first.done_at_kill, 1200);
  // The status shows the interrupted run as running, with how far it got.
  nlohmann::json status = StatusJson(50);
  ASSERT_TRUE(status["running"].is_object()) << status.dump(2);
  EXPECT_EQ(status["running"]["id"], first.run_id);
  EXPECT_EQ(status["running"]["done"], first.done_at_kill);
  EXPECT_EQ(status["running"]["state"], "running");
  EXPECT_TRUE(status["lastSync"].is_null());
  // A slow Brevo keeps the next run reading its index (before any checkpoint) long enough to be
  // killed there.
  SetLatency(3, 300);
  // Killed as soon as it exists: it carries the checkpoint it continues, not yet one of its own.
  Attempt second = RunAttempt("full", 1, first.run_id, [](const store::SyncRun&) { return true; },
                              std::chrono::milliseconds(50));
  ASSERT_TRUE(second.killed) << second.out << second.err;
  ASSERT_GT(second.run_id, first.run_id);
  SetLatency(3, 3);
  Attempt third = RunAttempt("full", 2, second.run_id, {}, std::chrono::milliseconds(0));
  ASSERT_EQ(third.exit_code, 0) << third.out << third.err;
  EXPECT_THAT(third.out, HasSubstr("continuing an interrupted run")) << third.out;
  EXPECT_LE(RecordsCounted(third.run_id), kContacts - first.done_at_kill)
      << "the run started the portal over instead of continuing from contact " << first.done_at_kill;
  ExpectMirrored(*env_);
  ExpectNoDuplicatesAndOneLinkEach();
}

// The cursor a full run leaves for incremental runs is the start of the FIRST run of an
// interrupted chain: a change made, between the kill and the resume, to a contact the killed run
// had already written must be read by the next incremental run (even when the resume comes later
// than the lookback, 2 minutes by default; lookback 0 stands for that here). In-process, as the
// engine test does it.
TEST(SyncResumeCursor, AChangeMadeWhileAFullRunWasInterruptedReachesBrevo) {
  SyncTestEnv env({.hubspot_seed = "contacts=900,email_missing=0,email_duplicates=0",
                   .extra_yaml = testing::kSyncTestLists});
  bool broken = false;
  auto progress = [&](const sync::SyncProgress& p) {
    if (!broken && p.done >= 400) {
      env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 1.0}}}});
      broken = true;
    }
  };
  const sync::SyncRequest full{store::SyncType::kFull, {sync::kContacts}, SyncDirection::kHubSpotToBrevo, {}, false};
  ASSERT_FALSE(env.Sync(full, 200, progress).ok());  // stopped after a few checkpoints
  env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 0.0}}}});
  // The first contact was written by the interrupted run; it changes before the run is continued.
  const hubspot::CrmObject first = env.HubSpotContacts({"email"}).front();
  ASSERT_TRUE(env.store().GetLinkByHubSpotId(kConnectionName, first.id).value().has_value());
  env.UpdateHubSpotContact(first.id, {{"firstname", "ChangedWhileInterrupted"}});
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the change is older than the resume
  auto resumed = env.Full(200);
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  ASSERT_TRUE(resumed->resumed);

  sync::ContactSyncOptions o;
  o.lookback_micros = 0;
  o.import_wait_micros = 30'000'000;
  sync::ContactSync incremental(env.config(), env.clients(), env.store(), o);
  auto inc = incremental.Run(
      {store::SyncType::kIncremental, {sync::kContacts}, SyncDirection::kHubSpotToBrevo, {}, false});
  ASSERT_TRUE(inc.ok()) << inc.status().ToString();
  auto brevo = env.BrevoContacts();
  const std::string email = first.Get("email").value_or("");
  ASSERT_TRUE(brevo.contains(email)) << email;
  EXPECT_EQ(brevo.at(email).attributes.value("FIRSTNAME", ""), "ChangedWhileInterrupted")
      << "the change made while the full run was interrupted never reached Brevo";
}

}  // namespace
}  // namespace tajo::cli
