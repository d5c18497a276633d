#include "sandbox/brevo/seeder.h"

#include <set>

#include <gtest/gtest.h>

#include "sandbox/brevo/hubspot_emails.h"

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1'700'000'000'000;

SeedSpec Spec() {
  SeedSpec spec;
  spec.contacts = 600;
  spec.overlap_share = 0.5;
  spec.hubspot_contacts = 1000;
  spec.hubspot_companies = 80;
  spec.lists = 3;
  return spec;
}

json AllContacts(const Account& account) {
  ContactQuery q;
  q.limit = 1000;
  q.descending = false;
  return account.ListContacts(q).value();
}

TEST(SeedTest, SameSeedSameAccount) {
  ManualClock c1(kNow * 1000), c2(kNow * 1000);
  Account a(c1, Behaviour{}, "owner@example.com"), b(c2, Behaviour{}, "owner@example.com");
  SeedReport ra = SeedAccount(a, Spec(), 7, kNow);
  SeedReport rb = SeedAccount(b, Spec(), 7, kNow);
  EXPECT_EQ(ra.contacts, 600);
  EXPECT_EQ(ra.overlapping, rb.overlapping);
  EXPECT_EQ(AllContacts(a), AllContacts(b));
  ManualClock c3(kNow * 1000);
  Account other(c3, Behaviour{}, "owner@example.com");
  SeedAccount(other, Spec(), 8, kNow);
  EXPECT_NE(AllContacts(a), AllContacts(other));
}

TEST(SeedTest, OverlapsTheHubSpotSeedByEmailAndKeepsTheRestApart) {
  ManualClock clock(kNow * 1000);
  Account account(clock, Behaviour{}, "owner@example.com");
  SeedSpec spec = Spec();
  SeedReport report = SeedAccount(account, spec, 7, kNow);
  std::set<std::string> hubspot;
  HubSpotSeedShape shape{spec.hubspot_contacts, spec.hubspot_companies, spec.hubspot_email_missing_share,
                         spec.hubspot_email_duplicate_share, 7};
  ForEachHubSpotSeedContact(shape, [&](int64_t, const FakePerson&, const std::string& email) {
    if (!email.empty()) hubspot.insert(LowerAscii(email));
  });
  json all = AllContacts(account);
  ASSERT_EQ(all["count"], 600);
  int64_t overlapping = 0, no_email = 0, blocklisted = 0, in_lists = 0;
  int64_t previous_created = 0;
  for (const auto& c : all["contacts"]) {
    if (!c.contains("email")) {
      ++no_email;
      EXPECT_TRUE(c["attributes"].contains("SMS"));
    } else if (hubspot.count(c["email"].get<std::string>())) {
      ++overlapping;
    }
    blocklisted += c["emailBlacklisted"].get<bool>() ? 1 : 0;
    in_lists += c["listIds"].empty() ? 0 : 1;
    EXPECT_TRUE(c["attributes"].contains("FIRSTNAME"));
    int64_t created = c["id"];
    EXPECT_GT(created, previous_created);
    previous_created = created;
  }
  EXPECT_EQ(overlapping, report.overlapping);  // Brevo-only addresses never collide with HubSpot's
  EXPECT_NEAR(static_cast<double>(overlapping), 300.0, 30.0);
  EXPECT_EQ(no_email, report.sms_only);
  EXPECT_EQ(blocklisted, report.blocklisted);
  EXPECT_GT(blocklisted, 0);
  EXPECT_GT(in_lists, 300);
  EXPECT_GT(report.different_names, 0);
  EXPECT_EQ(account.Counts().lists, 3);
  // Creation times spread over the two years before now and grow with the id.
  std::string first = all["contacts"][0]["createdAt"], last = all["contacts"][599]["createdAt"];
  EXPECT_LT(first, "2022-12");
  EXPECT_GT(last, "2023-11");
}

TEST(SeedTest, WithoutAHubSpotSeedEveryContactIsBrevoOnly) {
  ManualClock clock(kNow * 1000);
  Account account(clock, Behaviour{}, "owner@example.com");
  SeedSpec spec;
  spec.contacts = 100;
  spec.lists = 0;
  SeedReport r = SeedAccount(account, spec, 1, kNow);
  EXPECT_EQ(r.contacts, 100);
  EXPECT_EQ(r.overlapping, 0);
  EXPECT_EQ(r.brevo_only, 100);
}

TEST(SeedSpecTest, ParsesAndRejects) {
  auto spec = ParseSeedSpec("contacts=1000, overlap=0.4, lists=5, hubspot_contacts=2000, hubspot_companies=10");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->contacts, 1000);
  EXPECT_DOUBLE_EQ(spec->overlap_share, 0.4);
  EXPECT_EQ(spec->lists, 5);
  EXPECT_EQ(spec->hubspot_contacts, 2000);
  EXPECT_TRUE(ParseSeedSpec("").value().empty());
  EXPECT_FALSE(ParseSeedSpec("contacts=-1").ok());
  EXPECT_FALSE(ParseSeedSpec("overlap=2").ok());
  EXPECT_FALSE(ParseSeedSpec("widgets=3").ok());
  auto again = ParseSeedSpec(FormatSeedSpec(spec.value()));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->hubspot_companies, 10);
  EXPECT_FALSE(ParseApiKeySpec("short").ok());
  EXPECT_EQ(ParseApiKeySpec("sync:xkeysib-abcdefgh").value().name, "sync");
  EXPECT_EQ(ParseApiKeySpec("xkeysib-abcdefgh", 1).value().name, "api-key-2");
  EXPECT_FALSE(LimitsForPlan("gold").ok());
}

}  // namespace
}  // namespace tajo::sandbox::brevo
