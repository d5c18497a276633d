#include "sandbox/brevo/hubspot_emails.h"

#include "sandbox/common/seed_contacts.h"

namespace tajo::sandbox::brevo {

void ForEachHubSpotSeedContact(const HubSpotSeedShape& shape,
                               const std::function<void(int64_t, const FakePerson&, const std::string&)>& fn) {
  SeedContactSequence people(SeedContactsShape{shape.seed_number, shape.contacts, shape.companies,
                                               shape.email_missing_share, shape.email_duplicate_share});
  while (!people.done()) {
    const int64_t i = people.index();
    SeedContact c = people.Next();
    fn(i, c.person, c.email);
  }
}

}  // namespace tajo::sandbox::brevo
