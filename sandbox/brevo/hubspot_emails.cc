#include "sandbox/brevo/hubspot_emails.h"

#include <cctype>
#include <unordered_set>
#include <vector>

#include "sandbox/common/rng.h"

namespace tajo::sandbox::brevo {
namespace {

// Mirrors Times() in sandbox/hubspot/seeder.cc: the values do not matter here, the draws do.
void SkipTimes(Rng& rng) {
  rng.Next();                        // Below(step)
  if (!rng.Chance(0.5)) rng.Next();  // Below(end - created + 1)
}

}  // namespace

void ForEachHubSpotSeedContact(const HubSpotSeedShape& shape,
                               const std::function<void(int64_t, const FakePerson&, const std::string&)>& fn) {
  Rng root(shape.seed_number);
  // Companies: only their names matter (they become email domains).
  Rng crng = root.Fork(1);
  std::vector<std::string> company_names;
  company_names.reserve(static_cast<size_t>(shape.companies));
  for (int64_t i = 0; i < shape.companies; ++i) {
    FakeCompany c = MakeCompany(crng);
    SkipTimes(crng);
    crng.Next();                          // lifecyclestage (Weighted)
    crng.Next();                          // type (Weighted)
    if (crng.Chance(0.8)) crng.Next();    // hubspot_owner_id (Pick)
    company_names.push_back(std::move(c.name));
  }
  Rng prng = root.Fork(2);
  std::unordered_set<uint64_t> used_emails;  // StableHash of each address, as the HubSpot seeder keeps
  FakePerson previous;
  for (int64_t i = 0; i < shape.contacts; ++i) {
    FakePerson p = MakePerson(prng);
    bool duplicate = i > 0 && prng.Chance(shape.email_duplicate_share);
    if (duplicate) p = previous;
    int64_t company = !company_names.empty() && prng.Chance(0.8)
                          ? static_cast<int64_t>(prng.Below(company_names.size())) : -1;
    SkipTimes(prng);
    std::string email;
    if (!prng.Chance(shape.email_missing_share)) {
      const std::string domain = company >= 0 && prng.Chance(0.5)
                                     ? AsciiSlug(company_names[static_cast<size_t>(company)]) + ".example"
                                     : "";
      email = MakeEmail(prng, p, domain == ".example" ? "" : domain);
      // A taken address gets a number: random for three attempts, then derived from the index.
      std::string candidate = email;
      for (int attempt = 0; used_emails.count(StableHash(candidate)); ++attempt) {
        size_t at = email.find('@');
        candidate = email.substr(0, at) + std::to_string(attempt < 3 ? prng.Between(2, 99) : i + attempt) + email.substr(at);
      }
      email = candidate;
      used_emails.insert(StableHash(email));
      if (prng.Chance(0.02)) email[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(email[0])));
    }
    if (prng.Chance(0.3)) MakePhone(prng, p.country);  // mobilephone
    prng.Next();                                       // lifecyclestage (Weighted)
    if (prng.Chance(0.6)) prng.Next();                 // hs_lead_status (Pick)
    if (prng.Chance(0.7)) prng.Next();                 // hubspot_owner_id (Pick)
    fn(i, p, email);
    previous = std::move(p);
  }
}

}  // namespace tajo::sandbox::brevo
