// The main job end to end: ContactSync against both emulators over loopback. After every sync the
// Brevo account must equal the mapping of the HubSpot portal (ExpectMirrored), whatever happened
// on the way: edge-case data, a second run, incremental changes, deletions, injected faults, an
// interrupted run, more than 10,000 changes in one incremental run.
#include "sync/contact_sync.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "sync/contact_diff.h"
#include "sync/contact_mapper.h"
#include "sync/field_mapping.h"
#include "sync/list_membership.h"
#include "sync/sync_test_env.h"

namespace tajo::sync {
namespace {

using ::testing::HasSubstr;
using testing::EnvOptions;
using testing::ExpectMirrored;
using testing::RecordErrors;
using testing::SyncTestEnv;

const std::string kLists =
    "    lists:\n"
    "      all_contacts: \"HubSpot contacts\"\n"
    "      qualified_leads: \"Qualified leads\"\n"
    "      customers: \"Customers\"\n"
    "    default_country: US\n";


TEST(ContactSync, FullSyncMirrorsAPortalFullOfEdgeCases) {
  SyncTestEnv env({.hubspot_seed = "contacts=400,companies=20,deals=40",
                   .brevo_seed = "contacts=250,overlap=0.6,hubspot_contacts=400,hubspot_companies=20,lists=2",
                   .extra_yaml = kLists});
  const std::string accents = env.CreateHubSpotContact(
      {{"email", "Zoë.Ångström@Example.COM"}, {"firstname", "Zoë"}, {"lastname", "Ångström-Ñúñez"},
       {"phone", "+33 6 12 34 56 78"}, {"lifecyclestage", "customer"}});
  const std::string cjk = env.CreateHubSpotContact(
      {{"email", "li.wei@example.cn"}, {"firstname", "伟"}, {"lastname", "李"}, {"phone", "(202) 555-0143"},
       {"lifecyclestage", "marketingqualifiedlead"}});
  const std::string bad_phone = env.CreateHubSpotContact(
      {{"email", "bad.phone@example.com"}, {"firstname", "Bad"}, {"phone", "12"}});
  const std::string bare = env.CreateHubSpotContact({{"email", "only.email@example.com"}});
  const std::string no_email = env.CreateHubSpotContact({{"firstname", "Nomail"}, {"lastname", "Person"}});

  auto s = env.Full();
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_GT(s->counts.created, 0);
  EXPECT_GT(s->counts.updated + s->counts.unchanged, 0);  // the overlapping Brevo contacts
  EXPECT_GE(s->skipped_by_reason["missing_email"], 1);
  ExpectMirrored(env);

  auto brevo = env.BrevoContacts();
  // Email identity is compared in ASCII lower case (as HubSpot and Brevo do).
  ASSERT_TRUE(brevo.contains("zoë.Ångström@example.com"));
  const auto& zoe = brevo.at("zoë.Ångström@example.com");
  EXPECT_EQ(zoe.attributes["FIRSTNAME"], "Zoë");
  EXPECT_EQ(zoe.attributes["LASTNAME"], "Ångström-Ñúñez");
  EXPECT_EQ(zoe.attributes["SMS"], "33612345678");
  EXPECT_EQ(zoe.attributes["LIFECYCLE_STAGE"], "customer");
  EXPECT_EQ(brevo.at("li.wei@example.cn").attributes["FIRSTNAME"], "伟");
  EXPECT_EQ(brevo.at("li.wei@example.cn").attributes["SMS"], "12025550143");
  EXPECT_EQ(brevo.at("bad.phone@example.com").attributes["FIRSTNAME"], "Bad");
  EXPECT_FALSE(brevo.at("bad.phone@example.com").attributes.contains("SMS"));
  EXPECT_TRUE(brevo.contains("only.email@example.com"));
  auto errors = RecordErrors(env);
  EXPECT_EQ(errors.at(bad_phone).reason, "invalid_phone");
  EXPECT_EQ(errors.at(no_email).reason, "missing_email");
  EXPECT_FALSE(errors.contains(accents));
  EXPECT_FALSE(errors.contains(cjk));
  EXPECT_FALSE(errors.contains(bare));

  // The run is recorded with its counts and calls, and the status says how many are linked.
  auto run = env.store().GetRun(s->run_id).value();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->state, store::RunState::kSucceeded);
  EXPECT_EQ(run->TotalCounts(), s->counts);
  EXPECT_GT(run->calls["hubspot"], 0);
  EXPECT_EQ(env.store().CountLinks(kConnectionName).value(), s->counts.created + s->counts.updated + s->counts.unchanged);
}

TEST(ContactSync, ASecondFullRunWritesNothing) {
  SyncTestEnv env({.hubspot_seed = "contacts=250", .extra_yaml = kLists});
  ASSERT_TRUE(env.Full().ok());
  auto again = env.Full();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->counts.created, 0);
  EXPECT_EQ(again->counts.updated, 0);
  EXPECT_GT(again->counts.unchanged, 200);
  // Brevo reads only: attributes, lists (and their folder), one page of contacts — no import,
  // no batch update.
  EXPECT_LE(again->brevo_calls, 5);
  ExpectMirrored(env);
}

TEST(ContactSync, IncrementalAppliesChangesListMovesAndDeletions) {
  SyncTestEnv env({.hubspot_seed = "contacts=200", .extra_yaml = kLists});
  const std::string lead = env.CreateHubSpotContact(
      {{"email", "mover@example.com"}, {"firstname", "Mo"}, {"lifecyclestage", "marketingqualifiedlead"}});
  const std::string doomed = env.CreateHubSpotContact({{"email", "doomed@example.com"}, {"firstname", "D"}});
  ASSERT_TRUE(env.Full().ok());
  auto brevo = env.BrevoContacts();
  ASSERT_TRUE(brevo.contains("doomed@example.com"));

  env.UpdateHubSpotContact(lead, {{"lifecyclestage", "customer"}, {"firstname", "Moe"}});
  env.ArchiveHubSpotContact(doomed);
  const std::string fresh = env.CreateHubSpotContact({{"email", "fresh@example.com"}, {"lastname", "New"}});
  auto s = env.Incremental();
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_GE(s->counts.updated, 1);
  EXPECT_GE(s->counts.created, 1);
  EXPECT_EQ(s->counts.deleted, 1);
  brevo = env.BrevoContacts();
  EXPECT_FALSE(brevo.contains("doomed@example.com"));  // on_delete: delete (the default)
  EXPECT_EQ(brevo.at("mover@example.com").attributes["FIRSTNAME"], "Moe");
  EXPECT_TRUE(brevo.contains("fresh@example.com"));
  EXPECT_FALSE(env.store().GetLinkByHubSpotId(kConnectionName, doomed).value().has_value());
  ExpectMirrored(env);  // the mover left "Qualified leads" and joined "Customers"

  // Nothing changed since: the next incremental run writes nothing.
  auto quiet = env.Incremental();
  ASSERT_TRUE(quiet.ok()) << quiet.status().ToString();
  EXPECT_EQ(quiet->counts.created + quiet->counts.updated + quiet->counts.deleted, 0);
}

// An email freed by deleting one HubSpot contact and given to a new one before the next run
// belongs to the new contact: no duplicate is reported, and the Brevo contact is the new one's.
TEST(ContactSync, AnEmailFreedByADeletionGoesToTheContactThatTookIt) {
  SyncTestEnv env({.hubspot_seed = "contacts=30", .extra_yaml = kLists});
  const std::string first = env.CreateHubSpotContact({{"email", "reused@example.com"}, {"firstname", "First"}});
  ASSERT_TRUE(env.Full().ok());
  env.ArchiveHubSpotContact(first);
  const std::string second = env.CreateHubSpotContact({{"email", "reused@example.com"}, {"firstname", "Second"}});
  for (bool full : {false, true}) {
    auto s = full ? env.Full() : env.Incremental();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->skipped_by_reason["duplicate_email"], 0) << (full ? "full" : "incremental");
    auto brevo = env.BrevoContacts();
    ASSERT_TRUE(brevo.contains("reused@example.com")) << (full ? "full" : "incremental");
    EXPECT_EQ(brevo.at("reused@example.com").attributes["FIRSTNAME"], "Second");
    auto link = env.store().GetLinkByHubSpotId(kConnectionName, second).value();
    ASSERT_TRUE(link.has_value());
    EXPECT_EQ(link->email, "reused@example.com");
    EXPECT_FALSE(env.store().GetLinkByHubSpotId(kConnectionName, first).value().has_value());
    EXPECT_FALSE(RecordErrors(env).contains(second));
  }
}

TEST(ContactSync, OnDeleteBlocklistKeepsTheContactBlocklisted) {
  SyncTestEnv env({.hubspot_seed = "contacts=20", .extra_yaml = kLists + "    on_delete: blocklist\n"});
  const std::string gone = env.CreateHubSpotContact({{"email", "gone@example.com"}});
  ASSERT_TRUE(env.Full().ok());
  env.ArchiveHubSpotContact(gone);
  auto s = env.Incremental();
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto brevo = env.BrevoContacts();
  ASSERT_TRUE(brevo.contains("gone@example.com"));
  EXPECT_TRUE(brevo.at("gone@example.com").email_blacklisted);
}

TEST(ContactSync, MoreThanTenThousandChangesInOneIncrementalRunAllArrive) {
  SyncTestEnv env({.hubspot_seed = "contacts=10300,email_missing=0,email_duplicates=0", .extra_yaml = kLists});
  auto s = env.Incremental(20000);  // no cursor yet: every contact is a change
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->counts.created + s->counts.updated + s->counts.unchanged + s->counts.skipped, 10300);
  EXPECT_GE(env.BrevoContacts().size(), 10300u);
}

TEST(ContactSync, InjectedFaultsStillConverge) {
  SyncTestEnv env({.hubspot_seed = "contacts=600", .brevo_seed = "contacts=200,overlap=0.5,hubspot_contacts=600,hubspot_companies=0",
                   .extra_yaml = kLists});
  const nlohmann::json faults = {{"faults",
                                  {{"error5xxRate", 0.1}, {"rateLimitRate", 0.1}, {"resetRate", 0.05},
                                   {"truncateRate", 0.05}, {"seed", 11}}}};
  env.HubSpotAdmin("PUT", "/_sandbox/settings", faults);
  env.BrevoAdmin("PUT", "/_sandbox/settings", faults);
  auto s = env.Full(40);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  int64_t retries = 0;
  for (const auto& [bucket, st] : env.clients().caller().AllStats()) retries += st.retries;
  EXPECT_GE(retries, 3);  // the faults happened, and were retried
  env.HubSpotAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 0}, {"rateLimitRate", 0},
                                                             {"resetRate", 0}, {"truncateRate", 0}}}});
  env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 0}, {"rateLimitRate", 0},
                                                           {"resetRate", 0}, {"truncateRate", 0}}}});
  ExpectMirrored(env);
}

TEST(ContactSync, AFailedRunIsContinuedFromItsCheckpoint) {
  SyncTestEnv env({.hubspot_seed = "contacts=900", .extra_yaml = kLists});
  // Brevo starts failing once a few batches are written: the run fails with a checkpoint.
  bool broken = false;
  auto progress = [&](const SyncProgress& p) {
    if (!broken && p.done >= 400) {
      env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 1.0}}}});
      broken = true;
    }
  };
  SyncRequest full{store::SyncType::kFull, {kContacts}, SyncDirection::kHubSpotToBrevo, {}, false};
  auto failed = env.Sync(full, 200, progress);
  ASSERT_FALSE(failed.ok());
  env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 0.0}}}});
  auto runs = env.store().ListRuns({kConnectionName, store::RunState::kFailed, 5}).value();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_THAT(runs[0].checkpoint, HasSubstr("\"after\""));
  const int64_t written = runs[0].TotalCounts().created;
  EXPECT_GE(written, 200);

  auto resumed = env.Sync(full, 200);
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_TRUE(resumed->resumed);
  // The resumed run starts after the last checkpoint: it does not create everything again.
  EXPECT_LT(resumed->counts.created, 900 - written + 200);
  ExpectMirrored(env);
}

TEST(ContactSync, DryRunWritesNothing) {
  SyncTestEnv env({.hubspot_seed = "contacts=50", .extra_yaml = kLists});
  SyncRequest r{store::SyncType::kFull, {kContacts}, SyncDirection::kHubSpotToBrevo, {}, true};
  auto s = env.Sync(r);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->run_id, 0);
  EXPECT_GT(s->counts.created, 40);
  EXPECT_GT(s->planned_total, 40);
  EXPECT_EQ(s->planned.front().action, "create attribute");
  EXPECT_TRUE(env.BrevoContacts().empty());
  EXPECT_TRUE(env.store().ListRuns({kConnectionName, std::nullopt, 10}).value().empty());
  EXPECT_EQ(env.store().CountLinks(kConnectionName).value(), 0);
}

TEST(ContactSync, MissingAttributesStopBeforeWritingWhenCreationIsOff) {
  SyncTestEnv env({.hubspot_seed = "contacts=30", .extra_yaml = kLists + "    create_missing_attributes: false\n"});
  auto s = env.Full();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.status().message(), HasSubstr("LIFECYCLE_STAGE"));
  EXPECT_TRUE(env.BrevoContacts().empty());
}

TEST(ContactSync, UnknownHubSpotPropertyIsNamed) {
  SyncTestEnv env({.hubspot_seed = "contacts=5",
                   .extra_yaml = "    field_mapping:\n      email: email\n      favourite_colour: COLOUR\n"});
  auto s = env.Full();
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("favourite_colour"));
}

TEST(ContactSync, LaterResourcesAndDirectionsAreRefusedClearly) {
  SyncTestEnv env({.hubspot_seed = "contacts=5"});
  SyncRequest r{store::SyncType::kFull, {"contacts", "deals"}, SyncDirection::kHubSpotToBrevo, {}, false};
  auto s = env.Sync(r);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("'deals'"));
  r.resources = {kContacts};
  r.direction = SyncDirection::kBidirectional;
  s = env.Sync(r);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("bidirectional"));
  EXPECT_TRUE(env.BrevoContacts().empty());
}

}  // namespace
}  // namespace tajo::sync
