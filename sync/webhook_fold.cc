#include "sync/webhook_fold.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace tajo::sync {

namespace {

using nlohmann::json;

// An id field as HubSpot sends it (a number, sometimes a string); "" when absent or not an id.
std::string IdOf(const json& e, const char* field) {
  auto it = e.find(field);
  if (it == e.end()) return "";
  if (it->is_number_unsigned() || (it->is_number_integer() && it->get<int64_t>() > 0)) {
    return std::to_string(it->get<uint64_t>());
  }
  if (it->is_string() && !it->get<std::string>().empty()) return it->get<std::string>();
  return "";
}

// The other end of an association change when it is a contact ("DEAL_TO_CONTACT"), else "".
std::string AssociatedContact(const json& e) {
  const std::string type = e.value("associationType", "");
  if (type.size() > 11 && type.compare(type.size() - 11, 11, "_TO_CONTACT") == 0) return IdOf(e, "toObjectId");
  return "";
}

}  // namespace

EventFold FoldEvents(const std::vector<store::InboxEvent>& events) {
  std::vector<const store::InboxEvent*> sorted;
  for (const store::InboxEvent& e : events) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const store::InboxEvent* a, const store::InboxEvent* b) {
    return a->occurred_ms != b->occurred_ms ? a->occurred_ms < b->occurred_ms : a->id < b->id;
  });

  EventFold fold;
  auto refresh = [&](const std::string& id) {
    if (fold.privacy_deleted.count(id) == 0 && fold.merged_into.count(id) == 0) fold.refresh.insert(id);
  };
  for (const store::InboxEvent* ev : sorted) {
    if (ev->source != "hubspot") {
      fold.ignored[ev->id] = "Brevo -> HubSpot is not synced by this version (direction hubspot_to_brevo)";
      continue;
    }
    json e = json::parse(ev->payload, nullptr, false);
    if (e.is_discarded() || !e.is_object()) {
      fold.invalid[ev->id] = "the stored payload is not a JSON object";
      continue;
    }
    const std::string& type = ev->event_type;
    const size_t dot = type.find('.');
    const std::string object = dot == std::string::npos ? type : type.substr(0, dot);
    const std::string action = dot == std::string::npos ? "" : type.substr(dot + 1);
    const std::string id = ev->object_id;
    if (id.empty()) {
      fold.invalid[ev->id] = "the event names no objectId";
      continue;
    }
    if (object == "contact") {
      if (action == "privacyDeletion") {
        fold.refresh.erase(id);
        fold.privacy_deleted.insert(id);
      } else if (action == "merge") {
        // The survivor is the new record when HubSpot made one, else the primary.
        std::string survivor = IdOf(e, "newObjectId");
        if (survivor.empty() || survivor == "0") survivor = IdOf(e, "primaryObjectId");
        if (survivor.empty()) survivor = id;
        std::set<std::string> away;
        if (auto m = e.find("mergedObjectIds"); m != e.end() && m->is_array()) {
          for (const json& x : *m) {
            if (x.is_number_integer() && x.get<int64_t>() > 0) away.insert(std::to_string(x.get<int64_t>()));
            if (x.is_string() && !x.get<std::string>().empty()) away.insert(x.get<std::string>());
          }
        }
        if (std::string primary = IdOf(e, "primaryObjectId"); !primary.empty()) away.insert(primary);
        away.insert(id);
        away.erase(survivor);
        for (const std::string& a : away) {
          fold.refresh.erase(a);
          fold.merged_into[a] = survivor;
        }
        // A survivor that was merged away earlier in the batch moves on: follow it.
        fold.merged_into.erase(survivor);
        for (auto& [from, to] : fold.merged_into) {
          if (away.count(to) != 0) to = survivor;
        }
        refresh(survivor);
      } else if (action == "creation" || action == "propertyChange" || action == "deletion" || action == "restore") {
        if (action == "restore") fold.merged_into.erase(id);
        refresh(id);
      } else if (action == "associationChange") {
        refresh(id);
      } else {
        fold.ignored[ev->id] = "contact event '" + action + "' changes nothing tajo syncs";
      }
    } else if (object == "company" || object == "deal") {
      if (action == "associationChange") {
        if (std::string contact = AssociatedContact(e); !contact.empty()) {
          refresh(contact);
        } else {
          fold.ignored[ev->id] = "association with something other than a contact";
        }
      } else if (action == "deletion") {
        // The associations are gone with the record: the contacts' roll-ups are corrected by the
        // HubSpot contact changes that follow and by the scheduled incremental sync.
        fold.ignored[ev->id] = object + " deleted: its contacts are refreshed by their own events";
      } else if (action == "creation" || action == "propertyChange" || action == "restore" || action == "merge") {
        (object == "company" ? fold.companies : fold.deals).insert(id);
      } else {
        fold.ignored[ev->id] = object + " event '" + action + "' changes nothing tajo syncs";
      }
    } else {
      fold.ignored[ev->id] = "'" + object + "' events change nothing tajo syncs";
    }
  }
  return fold;
}

}  // namespace tajo::sync
