// Seeder: fills a Portal with realistic, deterministic data (same spec, seed number and start
// time: same records, ids and values).
//
// Companies (name, domain, industry, size, revenue, country, owner), contacts (names in many
// scripts with accents, emails of which a configurable share is missing and a share belongs to
// near-duplicate people, phones in many national and international formats, every lifecycle
// stage, lead status, owner, primary company), deals over every stage of the default pipeline
// with amounts and close dates (associated with contacts and a company), tickets over the support
// pipeline, and engagements (calls, emails, meetings, notes, tasks) on contacts. Creation times
// spread over the two years before `now_ms`, increasing with the id; some records were modified
// since. Contact roll-ups are computed at the end. Seeding produces no change events.
// Companies and contacts (with their emails) come from sandbox/common/seed_contacts.h, which the
// Brevo seeder also draws from to overlap this seed by email.
//
// Thread-safe as far as the Portal is; meant to run before serving.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sandbox/hubspot/options.h"
#include "sandbox/hubspot/portal.h"

namespace tajo::sandbox::hubspot {

struct SeedReport {
  std::map<std::string, int64_t> created;  // by object type name
  int64_t associations = 0;
};

SeedReport SeedPortal(Portal& portal, const SeedSpec& spec, uint64_t seed_number, int64_t now_ms);

}  // namespace tajo::sandbox::hubspot
