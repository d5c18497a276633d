// Seeder: fills a Brevo Account with realistic, deterministic data that overlaps the HubSpot seed
// (same spec, seed number and start time: same contacts, ids and values).
//
// A share of the contacts (SeedSpec::overlap_share) carry the email of a contact of the HubSpot
// seed with the same seed number (see hubspot_emails.h), in lower case as Brevo stores emails;
// some of those have edited names (ASCII spellings, another last name) so that a sync has
// conflicts to settle. The others exist only in Brevo: their addresses use mail domains the
// HubSpot seed never uses, and a few have only an SMS number. Some contacts are blocklisted,
// some have an SMS attribute in international format, some an ext_id; contacts are spread over
// `lists` lists in one folder. Creation times spread over the two years before `now_ms`,
// increasing with the id; some contacts were modified since. Seeding emits no webhook events.
//
// Thread-safe as far as the Account is; meant to run before serving.
#pragma once

#include <cstdint>

#include "sandbox/brevo/account.h"
#include "sandbox/brevo/options.h"

namespace tajo::sandbox::brevo {

struct SeedReport {
  int64_t contacts = 0;
  int64_t overlapping = 0;      // with a HubSpot seed email
  int64_t different_names = 0;  // overlapping, with edited names
  int64_t brevo_only = 0;
  int64_t sms_only = 0;         // Brevo-only contacts without an email
  int64_t blocklisted = 0;
  int64_t with_sms = 0;
  int64_t lists = 0;
};

SeedReport SeedAccount(Account& account, const SeedSpec& spec, uint64_t seed_number, int64_t now_ms);

}  // namespace tajo::sandbox::brevo
