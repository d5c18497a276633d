// Checks that hubspot_emails.cc re-derives exactly the emails the HubSpot emulator's seeder gives
// its contacts, by seeding a real HubSpot portal (this test alone links the HubSpot emulator; the
// Brevo library does not).
#include "sandbox/brevo/hubspot_emails.h"

#include <gtest/gtest.h>

#include "sandbox/hubspot/portal.h"
#include "sandbox/hubspot/seeder.h"

namespace tajo::sandbox::brevo {
namespace {

std::vector<std::string> PortalEmails(hubspot::Portal& portal) {
  const hubspot::ObjectType& contacts = *portal.FindType("contacts");
  hubspot::PropertySelection sel;
  sel.names = {"email"};
  std::vector<std::string> emails;
  std::string after;
  while (true) {
    auto page = portal.List(contacts, 100, after, sel, {}, false);
    EXPECT_TRUE(page.ok());
    if (!page.ok()) break;
    for (const auto& r : page->results) {
      std::string email;
      for (const auto& [name, value] : r.properties)
        if (name == "email" && value) email = *value;
      emails.push_back(email);
    }
    if (!page->next_after) break;
    after = *page->next_after;
  }
  return emails;
}

TEST(HubSpotEmailsTest, MatchesTheHubSpotSeeder) {
  for (uint64_t seed : {1ull, 42ull}) {
    ManualClock clock;
    hubspot::Portal portal(clock);
    hubspot::SeedSpec spec;
    spec.contacts = 1500;
    spec.companies = seed == 1 ? 120 : 0;
    spec.email_missing_share = 0.05;
    spec.email_duplicate_share = 0.03;
    hubspot::SeedPortal(portal, spec, seed, clock.NowMillis());
    std::vector<std::string> want = PortalEmails(portal);
    std::vector<std::string> got;
    HubSpotSeedShape shape{spec.contacts, spec.companies, spec.email_missing_share, spec.email_duplicate_share, seed};
    ForEachHubSpotSeedContact(shape, [&](int64_t, const FakePerson&, const std::string& email) { got.push_back(email); });
    ASSERT_EQ(got.size(), want.size());
    size_t missing = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i], want[i]) << "seed " << seed << " contact " << i;
      missing += got[i].empty() ? 1 : 0;
    }
    EXPECT_GT(missing, 0u);
  }
}

}  // namespace
}  // namespace tajo::sandbox::brevo
