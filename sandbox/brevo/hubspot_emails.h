// The people tajo-sandbox's HubSpot seeder creates, so that a Brevo seed can overlap the HubSpot
// seed by email without the Brevo emulator depending on the HubSpot one.
//
// Both seeders draw these people from sandbox/common/seed_contacts.h (SeedContactSequence), so
// they cannot diverge; this is the Brevo side's view of it. hubspot_emails_test.cc still seeds a
// real HubSpot portal and checks that both agree.
//
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "sandbox/common/fake_data.h"

namespace tajo::sandbox::brevo {

// The HubSpot seed to overlap with: the counts and shares of the HubSpot SeedSpec.
struct HubSpotSeedShape {
  int64_t contacts = 0;
  int64_t companies = 0;
  double email_missing_share = 0.03;
  double email_duplicate_share = 0.02;
  uint64_t seed_number = 1;
};

// Calls fn(index, person, email) for every contact of that HubSpot seed, in HubSpot creation
// order. `email` is as HubSpot stores it (a few start with a capital letter); "" when the contact
// has none.
void ForEachHubSpotSeedContact(const HubSpotSeedShape& shape,
                               const std::function<void(int64_t, const FakePerson&, const std::string&)>& fn);

}  // namespace tajo::sandbox::brevo
