// List membership: which Brevo lists tajo manages (connectors.hubspot.lists) and which of them a
// HubSpot contact belongs in.
//
// Built-in meanings, by the entry's name: all_contacts = every synced contact;
// qualified_leads = lifecyclestage marketingqualifiedlead or salesqualifiedlead;
// customers = lifecyclestage customer. Any other entry is a rule on a HubSpot property
// (eq | neq | in | not_in | exists | gt | lt). A contact that stops matching leaves the list.
//
// ResolveLists turns every entry into a Brevo list id before a sync writes: an id must exist
// in Brevo (error naming it if not); a name is looked up and created when missing (in a folder
// named "tajo", created too if needed).
//
// ListMembership is immutable after construction; ListsFor() is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "brevo/client.h"
#include "core/config.h"
#include "core/status.h"
#include "hubspot/types.h"

namespace tajo::sync {

// One managed list, resolved.
struct ManagedList {
  std::string key;        // the config entry's name, e.g. "customers"
  int64_t list_id = 0;    // the Brevo list
  std::string list_name;  // its name in Brevo
  ListRule rule;          // who belongs (built-ins are expressed as rules too)
  bool everyone = false;  // all_contacts: no rule, every synced contact
};

// The HubSpot properties the list rules read (e.g. "lifecyclestage"), sorted, unique.
std::vector<std::string> ListRuleProperties(const std::vector<ListAssignment>& lists);

// Resolves every entry against Brevo (GET /contacts/lists, and POST /contacts/folders,
// POST /contacts/lists to create what a name names). `dry_run`: creates nothing; a list that
// would be created gets list_id 0. Fails with kFailedPrecondition naming an id that does not
// exist, or the client's error.
Result<std::vector<ManagedList>> ResolveLists(const std::vector<ListAssignment>& lists, brevo::BrevoClient& brevo,
                                              bool dry_run);

class ListMembership {
 public:
  explicit ListMembership(std::vector<ManagedList> lists);

  // The ids of the managed lists `contact` belongs in, ascending.
  std::vector<int64_t> ListsFor(const hubspot::CrmObject& contact) const;
  // Every managed list id, ascending.
  std::vector<int64_t> ManagedIds() const;
  const std::vector<ManagedList>& lists() const { return lists_; }

 private:
  std::vector<ManagedList> lists_;
};

// Whether `contact` satisfies `rule`. eq/neq/in/not_in compare strings exactly (HubSpot
// enumeration values are case-sensitive); gt/lt compare numbers when both sides are numbers,
// dates (YYYY-MM-DD or epoch ms) when both are dates, strings otherwise; exists = non-empty.
bool RuleMatches(const ListRule& rule, const hubspot::CrmObject& contact);

}  // namespace tajo::sync
