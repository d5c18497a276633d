// Brevo keeps SMS numbers unique. A HubSpot contact whose phone another Brevo contact already
// holds must still sync — without the SMS, reported as duplicate_phone — and must never touch
// the other contact (an import row is matched by SMS when its email is new).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/contact_sync.h"
#include "sync/sync_test_env.h"

namespace tajo::sync {
namespace {

using testing::SyncTestEnv;

std::optional<store::RecordError> ErrorOf(SyncTestEnv& env, const std::string& id) {
  store::RecordErrorQuery q;
  q.connection = kConnectionName;
  for (auto& e : env.store().ListRecordErrors(q).value()) {
    if (e.record_id == id) return e;
  }
  return std::nullopt;
}

TEST(ContactSyncPhones, ATakenSmsIsLeftOutAndReportedInEveryPath) {
  SyncTestEnv env({.hubspot_seed = "contacts=10", .extra_yaml = "    lists: {all_contacts: \"All\"}\n"});
  // A Brevo contact that is not in HubSpot holds two numbers' worth of trouble.
  env.BrevoAdmin("POST", "/_sandbox/mutate",
                 {{"actions",
                   {{{"op", "create"}, {"email", "holder@example.com"}, {"attributes", {{"SMS", "+33612345670"}}}},
                    {{"op", "create"}, {"email", "holder2@example.com"}, {"attributes", {{"SMS", "+33612345671"}}}}}}});
  // Full run: the index knows the holder, so the SMS is left out before writing.
  const std::string a = env.CreateHubSpotContact({{"email", "a@example.com"}, {"firstname", "A"}, {"phone", "+33 6 12 34 56 70"}});
  const std::string c = env.CreateHubSpotContact({{"email", "c@example.com"}, {"phone", "+33 6 12 34 56 79"}});
  auto full = env.Full();
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  ASSERT_TRUE(ErrorOf(env, a).has_value());
  EXPECT_EQ(ErrorOf(env, a)->reason, "duplicate_phone");

  // Incremental run, new contact: imported without the SMS, which is then refused as taken.
  const std::string b = env.CreateHubSpotContact({{"email", "b@example.com"}, {"firstname", "B"}, {"phone", "+33 6 12 34 56 71"}});
  // Incremental run, existing contact changing to a taken number: the batch is refused, the
  // contact is sent again without the SMS.
  env.UpdateHubSpotContact(c, {{"firstname", "Cy"}, {"phone", "+33 6 12 34 56 70"}});
  auto inc = env.Incremental();
  ASSERT_TRUE(inc.ok()) << inc.status().ToString();
  EXPECT_EQ(inc->counts.failed, 0);
  auto brevo = env.BrevoContacts();
  ASSERT_TRUE(brevo.contains("b@example.com"));
  EXPECT_EQ(brevo.at("b@example.com").attributes["FIRSTNAME"], "B");
  EXPECT_FALSE(brevo.at("b@example.com").attributes.contains("SMS"));
  EXPECT_EQ(brevo.at("c@example.com").attributes["FIRSTNAME"], "Cy");
  EXPECT_EQ(brevo.at("c@example.com").attributes["SMS"], "33612345679");  // kept its old number
  // The holders are untouched.
  EXPECT_EQ(brevo.at("holder@example.com").attributes["SMS"], "33612345670");
  EXPECT_EQ(brevo.at("holder2@example.com").attributes["SMS"], "33612345671");
  EXPECT_FALSE(brevo.at("holder2@example.com").attributes.contains("FIRSTNAME"));
  ASSERT_TRUE(ErrorOf(env, b).has_value());
  EXPECT_EQ(ErrorOf(env, b)->reason, "duplicate_phone");
  ASSERT_TRUE(ErrorOf(env, c).has_value());
  EXPECT_EQ(ErrorOf(env, c)->reason, "duplicate_phone");

  // A withheld SMS is not sent again by incremental runs while the phone is unchanged (it would
  // only be refused again): another change of the contact costs no refused batch.
  env.UpdateHubSpotContact(b, {{"lastname", "Bee"}});
  auto again = env.Incremental();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_LE(again->brevo_calls, 3);  // attributes, lists, one batch update
  EXPECT_EQ(env.BrevoContacts().at("b@example.com").attributes["LASTNAME"], "Bee");
  // Once the holder lets the number go, a full sync (which reads who holds which number) writes it.
  env.BrevoAdmin("POST", "/_sandbox/mutate", {{"actions", {{{"op", "delete"}, {"email", "holder2@example.com"}}}}});
  ASSERT_TRUE(env.Full().ok());
  brevo = env.BrevoContacts();
  EXPECT_EQ(brevo.at("b@example.com").attributes["SMS"], "33612345671");
}

}  // namespace
}  // namespace tajo::sync
