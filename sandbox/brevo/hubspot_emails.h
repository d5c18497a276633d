// The people tajo-sandbox's HubSpot seeder creates, re-derived here so that a Brevo seed can
// overlap the HubSpot seed by email without the Brevo emulator depending on the HubSpot one.
//
// sandbox/hubspot/seeder.cc draws companies from Rng(seed).Fork(1) and contacts from
// Rng(seed).Fork(2) with the sandbox/common fake_data functions; this file makes the same draws
// in the same order (company names feed contact email domains; every other draw is made only to
// keep the stream aligned). hubspot_emails_test.cc seeds a real HubSpot portal and checks that
// both agree, so a change to the HubSpot seeder that breaks the overlap fails a test.
// TODO(lead): move the email sequence into sandbox/common so both seeders call one function.
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
