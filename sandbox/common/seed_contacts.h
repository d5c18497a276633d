// SeedContactSequence: the people (companies and contacts, with their email addresses) that the
// HubSpot emulator's seeder creates, drawn in one place so that the Brevo emulator's seeder can
// re-create the same sequence and overlap the HubSpot seed by email. Both seeders call this; a
// change here changes both alike.
//
// Companies are drawn first from Rng(seed_number).Fork(1) (their names become email domains),
// then contacts one at a time from Rng(seed_number).Fork(2). Only the draws made here belong to
// these streams: a seeder that needs more random values per record (times, owners, stages) draws
// them from its own streams, so it can change those without moving any email.
//
// Emails: a share is missing, a share of contacts repeat the previous person under another
// address, about half of those with a company use its domain, a taken address gets a number, and
// about 2% start with a capital letter (HubSpot keeps what was typed).
//
// Not thread-safe: one sequence per thread. Deterministic: same shape, same sequence.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "sandbox/common/fake_data.h"
#include "sandbox/common/rng.h"

namespace tajo::sandbox {

struct SeedContactsShape {
  uint64_t seed_number = 1;
  int64_t contacts = 0;
  int64_t companies = 0;
  double email_missing_share = 0.03;    // contacts without an email
  double email_duplicate_share = 0.02;  // contacts that repeat the previous person
};

struct SeedContact {
  FakePerson person;
  int64_t company = -1;  // index into SeedContactSequence::companies(), -1 for none
  std::string email;     // as typed (may start with a capital letter); "" when missing
};

class SeedContactSequence {
 public:
  // Draws all the companies of the shape (negative counts are taken as 0).
  explicit SeedContactSequence(const SeedContactsShape& shape);
  SeedContactSequence(const SeedContactSequence&) = delete;
  SeedContactSequence& operator=(const SeedContactSequence&) = delete;

  const std::vector<FakeCompany>& companies() const { return companies_; }
  // Index of the next contact; equals shape.contacts once done.
  int64_t index() const { return index_; }
  bool done() const { return index_ >= shape_.contacts; }
  // The next contact. REQUIRES: !done().
  SeedContact Next();

 private:
  SeedContactsShape shape_;
  std::vector<FakeCompany> companies_;
  Rng rng_;  // the contact stream
  std::unordered_set<uint64_t> used_emails_;  // StableHash of each address given
  FakePerson previous_;
  int64_t index_ = 0;
};

}  // namespace tajo::sandbox
