// FoldEvents: what a batch of webhook events means for the contacts, once coalesced per object in
// occurredAt order. Events say *that* something changed; the worker reads the current state of
// every contact named here (one batch read per 100) and applies it, so ten edits of one contact
// cost one read and at most one write, and events arriving out of order cannot apply stale
// values. Only what current state cannot tell is kept from the events themselves: a privacy
// deletion (the contact is erased whatever on_delete says) and a merge (which link follows the
// surviving contact).
//
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/inbox_records.h"

namespace tajo::sync {

struct EventFold {
  std::set<std::string> refresh;                   // contact ids to read now and apply (also deletions)
  std::set<std::string> privacy_deleted;           // contact ids to delete in Brevo whatever on_delete says
  std::map<std::string, std::string> merged_into;  // merged-away contact id -> surviving contact id
  std::set<std::string> companies;                 // companies whose associated contacts need a refresh
  std::set<std::string> deals;                     // deals whose associated contacts need a refresh
  std::map<int64_t, std::string> ignored;          // inbox id -> why nothing is done (logged, marked done)
  std::map<int64_t, std::string> invalid;          // inbox id -> why it can never apply (dead-lettered)
};

// REQUIRES: events of one connection. Order does not matter: they are sorted by (occurred_ms, id).
EventFold FoldEvents(const std::vector<store::InboxEvent>& events);

}  // namespace tajo::sync
