// `tajo connectors sync hubspot` and `tajo connectors status hubspot` in-process, against both
// emulators on loopback, configured by a real tajo.yaml whose base URLs point at them and whose
// store is a SQLite file: the summary a user reads, the usage errors and refusals with their exit
// statuses, what a dry run (does not) write, the status document, and that no secret is printed.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/commands.h"
#include "core/process_owner.h"
#include "cli/sync_test_config.h"
#include "core/redact.h"
#include "sync/sync_test_env.h"

namespace tajo::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using sync::kConnectionName;
using sync::testing::EnvOptions;
using sync::testing::ExpectMirrored;
using sync::testing::SyncTestEnv;

constexpr int kContacts = 150;

class ConnectorsSyncCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTestDir("tajo_sync_command");
    store_path_ = (dir_ / "tajo.db").string();
  }
  void TearDown() override {
    // Whatever the commands printed, it never held the token or the API key.
    if (env_) {
      const std::string token = env_->config().connectors.hubspot.access_token;
      const std::string key = env_->config().brevo.api_key;
      EXPECT_THAT(printed_, Not(HasSubstr(token)));
      EXPECT_THAT(printed_, Not(HasSubstr(key)));
    }
    env_.reset();
    std::filesystem::remove_all(dir_);
    ClearRegisteredSecrets();
  }

  // HubSpot with kContacts contacts (a few without an email); Brevo with `brevo_seed`.
  void Start(const std::string& brevo_seed = "") {
    env_ = std::make_unique<SyncTestEnv>(EnvOptions{.hubspot_seed = "contacts=" + std::to_string(kContacts),
                                                    .brevo_seed = brevo_seed,
                                                    .extra_yaml = testing::kSyncTestLists,
                                                    .store = store_path_});
    config_path_ = testing::WriteSyncConfig(*env_, dir_ / "tajo.yaml", store_path_, testing::kSyncTestLists);
  }

  static SyncCommandOptions Opts() {
    SyncCommandOptions o;
    o.connector = "hubspot";
    o.progress = "none";
    return o;
  }

  int Sync(const SyncCommandOptions& o, const std::string& config = "") {
    out_.str("");
    err_.str("");
    GlobalOptions g;
    g.config_path = config.empty() ? config_path_ : config;
    const int rc = RunConnectorsSync(g, o, out_, err_);
    printed_ += out_.str() + err_.str();
    return rc;
  }

  int Status(bool json, const std::string& connector = "hubspot") {
    out_.str("");
    err_.str("");
    GlobalOptions g;
    g.config_path = config_path_;
    const int rc = RunConnectorsStatus(g, connector, json, out_, err_);
    printed_ += out_.str() + err_.str();
    return rc;
  }

  nlohmann::json StatusJson() {
    EXPECT_EQ(Status(true), 0) << err_.str();
    auto j = nlohmann::json::parse(out_.str(), nullptr, false);
    EXPECT_TRUE(j.is_object()) << out_.str();
    return j;
  }

  // The number on the summary line "  <name>   N".
  int64_t Count(const std::string& name) {
    std::smatch m;
    const std::string text = out_.str();
    if (!std::regex_search(text, m, std::regex("\n  " + name + " +([0-9]+)"))) {
      ADD_FAILURE() << "no '" << name << "' line in:\n" << text;
      return -1;
    }
    return std::stoll(m[1]);
  }

  // Nothing was written: no Brevo contact, no run, no link.
  void ExpectNothingWritten() {
    EXPECT_TRUE(env_->BrevoContacts().empty());
    EXPECT_TRUE(env_->store().ListRuns({kConnectionName, std::nullopt, 10}).value().empty());
    EXPECT_EQ(env_->store().CountLinks(kConnectionName).value(), 0);
  }

  std::filesystem::path dir_;
  std::string store_path_;
  std::string config_path_;
  std::unique_ptr<SyncTestEnv> env_;
  std::ostringstream out_, err_;
  std::string printed_;
};

TEST_F(ConnectorsSyncCommandTest, FirstRunIsFullThenIncrementalAndTheSummaryCountsEveryContact) {
  Start("contacts=60,overlap=0.8,hubspot_contacts=150,hubspot_companies=0,lists=2");
  ASSERT_EQ(Sync(Opts()), 0) << out_.str() << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("Full sync of HubSpot contacts -> Brevo succeeded in "));
  EXPECT_THAT(out_.str(), HasSubstr("(run #1)\n"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("continuing")));
  const int64_t created = Count("created"), updated = Count("updated"), unchanged = Count("unchanged"),
                skipped = Count("skipped");
  EXPECT_GT(created, 0);
  EXPECT_GT(updated, 0);  // the Brevo contacts that were already there
  EXPECT_GT(skipped, 0);  // the seed has contacts without an email
  EXPECT_EQ(created + updated + unchanged + skipped + Count("failed"), kContacts) << out_.str();
  EXPECT_EQ(Count("deleted"), 0);
  std::smatch m;
  const std::string text = out_.str();
  ASSERT_TRUE(std::regex_search(text, m, std::regex("  skipped +[0-9]+  \\(([a-z_]+ [0-9]+(, )?)+\\)\n")))
      << text;
  EXPECT_THAT(text, HasSubstr("missing_email "));
  ASSERT_TRUE(std::regex_search(text, m, std::regex("\n  API calls: HubSpot ([0-9]+), Brevo ([0-9]+); 429 responses: 0\n")))
      << text;
  EXPECT_GT(std::stoll(m[1]), 1);
  EXPECT_GT(std::stoll(m[2]), 1);
  EXPECT_EQ(err_.str(), "");
  ExpectMirrored(*env_);

  // No --type: the first run was full, so this one is incremental; nothing changed.
  ASSERT_EQ(Sync(Opts()), 0) << out_.str() << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("Incremental sync of HubSpot contacts -> Brevo succeeded in "));
  EXPECT_THAT(out_.str(), HasSubstr("(run #2)"));
  EXPECT_EQ(Count("created"), 0);
  EXPECT_EQ(Count("updated"), 0);

  // --type full again: everything unchanged.
  SyncCommandOptions full = Opts();
  full.type = "full";
  ASSERT_EQ(Sync(full), 0) << out_.str() << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("Full sync"));
  EXPECT_EQ(Count("created"), 0);
  EXPECT_EQ(Count("updated"), 0);
  EXPECT_EQ(Count("unchanged"), created + updated);

  // An incremental run after a change in HubSpot updates just that contact.
  const std::string id = env_->CreateHubSpotContact({{"email", "late.comer@example.com"}, {"firstname", "Late"}});
  ASSERT_EQ(Sync(Opts()), 0) << out_.str() << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("Incremental sync"));
  EXPECT_EQ(Count("created"), 1);
  EXPECT_TRUE(env_->BrevoContacts().contains("late.comer@example.com"));
  ExpectMirrored(*env_);
}

TEST_F(ConnectorsSyncCommandTest, DryRunPrintsTheChangesAndWritesNothing) {
  Start();
  SyncCommandOptions o = Opts();
  o.dry_run = true;
  ASSERT_EQ(Sync(o), 0) << out_.str() << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("Dry run of a full sync: nothing was written. It would:\n"));
  EXPECT_GT(Count("created"), 100);
  EXPECT_THAT(out_.str(), HasSubstr("\nChanges ("));
  EXPECT_THAT(out_.str(), HasSubstr("\n  create attribute LIFECYCLE_STAGE"));
  EXPECT_THAT(out_.str(), HasSubstr("\n  create list "));
  EXPECT_TRUE(std::regex_search(out_.str(), std::regex("\n  create [^ ]+@[^ ]+: ")));
  ExpectNothingWritten();
  auto attrs = env_->clients().brevo().ListAttributes();
  ASSERT_TRUE(attrs.ok());
  for (const brevo::Attribute& a : *attrs) EXPECT_NE(a.name, "LIFECYCLE_STAGE");
  // Still the first run: the next (real) one is full.
  ASSERT_EQ(Sync(Opts()), 0) << out_.str() << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("Full sync"));
}

TEST_F(ConnectorsSyncCommandTest, UsageErrorsExitTwoNamingTheChoicesAndWriteNothing) {
  Start();
  SyncCommandOptions o = Opts();
  o.type = "bad";
  EXPECT_EQ(Sync(o), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--type"));
  EXPECT_THAT(err_.str(), HasSubstr("full or incremental"));
  EXPECT_THAT(err_.str(), HasSubstr("\"bad\""));
  EXPECT_EQ(out_.str(), "");

  o = Opts();
  o.since = "last tuesday";
  EXPECT_EQ(Sync(o), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--since"));
  EXPECT_EQ(out_.str(), "");

  o = Opts();
  o.direction = "sideways";
  EXPECT_EQ(Sync(o), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--direction"));
  EXPECT_THAT(err_.str(), HasSubstr("hubspot_to_brevo"));
  EXPECT_THAT(err_.str(), HasSubstr("\"sideways\""));

  o = Opts();
  o.resources = ",";
  EXPECT_EQ(Sync(o), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--resources"));

  o = Opts();
  o.connector = "salesforce";
  EXPECT_EQ(Sync(o), 2);
  EXPECT_THAT(err_.str(), HasSubstr("\"salesforce\""));
  EXPECT_THAT(err_.str(), HasSubstr("hubspot"));
  ExpectNothingWritten();
}

TEST_F(ConnectorsSyncCommandTest, ResourcesAndDirectionsOfLaterReleasesAreRefused) {
  Start();
  SyncCommandOptions o = Opts();
  o.resources = "contacts,deals";
  EXPECT_EQ(Sync(o), 1);
  EXPECT_THAT(err_.str(), HasSubstr("'deals'"));
  EXPECT_THAT(err_.str(), HasSubstr("not synced by this version"));
  EXPECT_EQ(out_.str(), "");

  o = Opts();
  o.direction = "bidirectional";
  EXPECT_EQ(Sync(o), 1);
  EXPECT_THAT(err_.str(), HasSubstr("bidirectional"));
  EXPECT_THAT(err_.str(), HasSubstr("not synced by this version"));
  EXPECT_EQ(out_.str(), "");
  ExpectNothingWritten();
}

// A refused request is not an interrupted run: the command must not tell the user to run it
// again "to continue where it stopped".
TEST_F(ConnectorsSyncCommandTest, ARefusedRequestDoesNotAdviseRunningItAgain) {
  Start();
  SyncCommandOptions o = Opts();
  o.resources = "deals";
  EXPECT_EQ(Sync(o), 1);
  EXPECT_THAT(err_.str(), HasSubstr("--resources contacts"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("continue where it stopped"))) << err_.str();
}

TEST_F(ConnectorsSyncCommandTest, WrongCredentialsFailWithoutPrintingThem) {
  Start();
  const std::string wrong_token = "pat-na1-99999999-8888-4777-8666-555555555555";
  const std::string wrong_key =
      "xkeysib-0000000000000000000000000000000000000000000000000000000000000000-WrongKey00000001";
  auto path = dir_ / "wrong.yaml";
  // Both secrets wrong; then each one alone.
  testing::WriteSyncConfig(*env_, path, store_path_, testing::kSyncTestLists);
  std::string yaml = [&] {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {env_->config().brevo.api_key, wrong_key}, {env_->config().connectors.hubspot.access_token, wrong_token}}) {
    std::string changed = yaml;
    changed.replace(changed.find(from), from.size(), to);
    std::ofstream(path) << changed;
    EXPECT_EQ(Sync(Opts(), path.string()), 1) << out_.str();
    EXPECT_THAT(err_.str(), HasSubstr("sync failed"));
    EXPECT_THAT(out_.str() + err_.str(), Not(HasSubstr(to)));
  }
  ExpectNothingWritten();
}

TEST_F(ConnectorsSyncCommandTest, StatusBeforeAnySyncIsNotConnectedAndNeverSynced) {
  Start();
  nlohmann::json s = StatusJson();
  EXPECT_EQ(s["connected"], false);
  EXPECT_TRUE(s["lastSync"].is_null());
  EXPECT_EQ(s["contactsSynced"], 0);
  EXPECT_EQ(s["companiesSynced"], 0);
  EXPECT_EQ(s["dealsSynced"], 0);
  EXPECT_TRUE(s["running"].is_null());
  EXPECT_TRUE(s["lastRun"].is_null());
  EXPECT_EQ(s["recentErrors"], nlohmann::json::array());

  ASSERT_EQ(Status(false), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("connected        no\n"));
  EXPECT_THAT(out_.str(), HasSubstr("last sync        never\n"));
  EXPECT_THAT(out_.str(), HasSubstr("contacts synced  0\n"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("last run")));

  EXPECT_EQ(Status(false, "brevo"), 2);
  EXPECT_THAT(err_.str(), HasSubstr("expected hubspot"));
}

TEST_F(ConnectorsSyncCommandTest, StatusAfterASyncShowsTheDocumentedShape) {
  Start();
  ASSERT_EQ(Sync(Opts()), 0) << out_.str() << err_.str();
  const int64_t skipped = Count("skipped");
  ASSERT_GT(skipped, 0);
  nlohmann::json s = StatusJson();
  EXPECT_EQ(s["connected"], true);
  ASSERT_TRUE(s["lastSync"].is_string()) << s.dump(2);
  EXPECT_TRUE(std::regex_match(s["lastSync"].get<std::string>(),
                               std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z")))
      << s["lastSync"];
  EXPECT_EQ(s["contactsSynced"], env_->store().CountLinks(kConnectionName).value());
  EXPECT_EQ(s["contactsSynced"], kContacts - skipped);
  EXPECT_EQ(s["companiesSynced"], 0);
  EXPECT_EQ(s["dealsSynced"], 0);
  EXPECT_TRUE(s["running"].is_null());
  const nlohmann::json& last = s["lastRun"];
  ASSERT_TRUE(last.is_object()) << s.dump(2);
  EXPECT_EQ(last["id"], 1);
  EXPECT_EQ(last["type"], "full");
  EXPECT_EQ(last["state"], "succeeded");
  EXPECT_TRUE(last["startedAt"].is_string());
  EXPECT_TRUE(last["finishedAt"].is_string());
  EXPECT_EQ(last["counts"]["created"], kContacts - skipped);
  EXPECT_EQ(last["counts"]["skipped"], skipped);
  EXPECT_GT(last["calls"].value("hubspot", 0), 0);
  EXPECT_GT(last["calls"].value("brevo", 0), 0);
  ASSERT_TRUE(s["recentErrors"].is_array());
  ASSERT_FALSE(s["recentErrors"].empty());
  for (const auto& e : s["recentErrors"]) {
    EXPECT_EQ(e["resource"], "contacts");
    EXPECT_TRUE(e["recordId"].is_string());
    EXPECT_TRUE(e["reason"].is_string());
    EXPECT_TRUE(e["message"].is_string());
    EXPECT_TRUE(e["attempts"].is_number_integer());
    EXPECT_TRUE(e["lastSeen"].is_string());
  }
  // Every skipped contact has an unresolved error (so do contacts synced without a field).
  const std::set<std::string> known = {"missing_email", "duplicate_email", "invalid_phone", "duplicate_phone"};
  for (const auto& e : s["recentErrors"]) EXPECT_TRUE(known.contains(e.value("reason", ""))) << e.dump();
  EXPECT_GE(s["unresolvedErrors"].get<int64_t>(), skipped);
  EXPECT_EQ(s["recentErrors"].size(), std::min<size_t>(10, s["unresolvedErrors"].get<size_t>()));

  ASSERT_EQ(Status(false), 0) << err_.str();
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("connected        yes\n"));
  EXPECT_THAT(text, HasSubstr("contacts synced  " + std::to_string(kContacts - skipped) + "\n"));
  EXPECT_THAT(text, HasSubstr("last run         #1 full succeeded (started "));
  EXPECT_THAT(text, HasSubstr("record errors    " + s["unresolvedErrors"].dump() + " unresolved\n"));
  EXPECT_THAT(text, Not(HasSubstr("last sync        never")));
}

TEST_F(ConnectorsSyncCommandTest, AMappingErrorExitsOneBeforeWritingAndLeavesTheStatusAsItWas) {
  Start();
  ASSERT_EQ(Sync(Opts()), 0) << out_.str() << err_.str();
  env_->CreateHubSpotContact({{"email", "after.fail@example.com"}});
  const std::string bad = testing::WriteSyncConfig(*env_, dir_ / "bad.yaml", store_path_,
                                                   testing::kSyncTestLists +
                                                       "    field_mapping:\n"
                                                       "      email: email\n"
                                                       "      favourite_colour: COLOUR\n");
  EXPECT_EQ(Sync(Opts(), bad), 1);
  EXPECT_THAT(err_.str(), HasSubstr("sync failed"));
  EXPECT_THAT(err_.str(), HasSubstr("favourite_colour"));
  EXPECT_EQ(out_.str(), "");
  EXPECT_FALSE(env_->BrevoContacts().contains("after.fail@example.com"));
  nlohmann::json s = StatusJson();
  EXPECT_EQ(s["connected"], true);
  EXPECT_EQ(s["lastRun"]["id"], 1);  // refused before a run was recorded
  EXPECT_EQ(s["lastRun"]["state"], "succeeded");
}

TEST_F(ConnectorsSyncCommandTest, BadConfigExitsOne) {
  Start();
  auto p = dir_ / "broken.yaml";
  std::ofstream(p) << "connectors: [unclosed\n";
  EXPECT_EQ(Sync(Opts(), p.string()), 1);
  EXPECT_THAT(err_.str(), HasSubstr("broken.yaml"));
  EXPECT_EQ(Sync(Opts(), (dir_ / "missing.yaml").string()), 1);
  EXPECT_THAT(err_.str(), HasSubstr("missing.yaml"));
  ExpectNothingWritten();
}

TEST_F(ConnectorsSyncCommandTest, ASyncIsRefusedWhileTajoServeHoldsTheStore) {
  Start();
  // A live holder: this very process, as `tajo serve` would name itself.
  const std::string owner = ThisProcessOwner(SystemClock());
  ASSERT_TRUE(env_->store().AcquireLease(sync::kServeLeaseName, owner, SystemClock().NowMicros() + 60'000'000).value());
  EXPECT_EQ(Sync(Opts()), 1);
  EXPECT_THAT(err_.str(), HasSubstr("tajo serve (" + owner + ") is working on this store"));
  ExpectNothingWritten();
  // A holder that is gone (a pid that does not exist on this host) does not block.
  ASSERT_TRUE(env_->store().ReleaseLease(sync::kServeLeaseName, owner).value());
  char host[256] = {0};
  ::gethostname(host, sizeof(host) - 1);
  const std::string gone = std::string(host) + ":999999999:1";
  ASSERT_TRUE(env_->store().AcquireLease(sync::kServeLeaseName, gone, SystemClock().NowMicros() + 60'000'000).value());
  EXPECT_EQ(Sync(Opts()), 0) << err_.str();
}

}  // namespace
}  // namespace tajo::cli
