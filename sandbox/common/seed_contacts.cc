#include "sandbox/common/seed_contacts.h"

#include <cctype>

namespace tajo::sandbox {

SeedContactSequence::SeedContactSequence(const SeedContactsShape& shape) : shape_(shape) {
  Rng root(shape.seed_number);
  Rng crng = root.Fork(1);
  rng_ = root.Fork(2);
  if (shape_.contacts < 0) shape_.contacts = 0;
  if (shape_.companies > 0) companies_.reserve(static_cast<size_t>(shape_.companies));
  for (int64_t i = 0; i < shape_.companies; ++i) companies_.push_back(MakeCompany(crng));
}

SeedContact SeedContactSequence::Next() {
  const int64_t i = index_++;
  SeedContact c;
  c.person = MakePerson(rng_);
  if (i > 0 && rng_.Chance(shape_.email_duplicate_share)) c.person = previous_;  // the same person again
  if (!companies_.empty() && rng_.Chance(0.8)) c.company = static_cast<int64_t>(rng_.Below(companies_.size()));
  if (!rng_.Chance(shape_.email_missing_share)) {
    std::string domain;
    if (c.company >= 0 && rng_.Chance(0.5)) {
      std::string slug = AsciiSlug(companies_[static_cast<size_t>(c.company)].name);
      if (!slug.empty()) domain = slug + ".example";
    }
    const std::string email = MakeEmail(rng_, c.person, domain);
    // Names repeat in a large portal: a taken address gets a number, as people do (random for
    // three attempts, then derived from the index so the loop ends).
    std::string candidate = email;
    for (int attempt = 0; used_emails_.count(StableHash(candidate)); ++attempt) {
      const size_t at = email.find('@');
      candidate = email.substr(0, at) + std::to_string(attempt < 3 ? rng_.Between(2, 99) : i + attempt) + email.substr(at);
    }
    used_emails_.insert(StableHash(candidate));
    // Some people type their address with a capital; HubSpot keeps what was typed.
    if (rng_.Chance(0.02)) candidate[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(candidate[0])));
    c.email = std::move(candidate);
  }
  previous_ = c.person;
  return c;
}

}  // namespace tajo::sandbox
