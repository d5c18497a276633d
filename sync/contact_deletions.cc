// Deletions: what happens in Brevo when a synced HubSpot contact is archived (deleted), per
// connectors.hubspot.on_delete. Part of ContactRun (sync/contact_run.h).
#include <fmt/format.h>

#include "sync/contact_run.h"

namespace tajo::sync {

Status ContactRun::AddArchived(const hubspot::CrmObject& contact, std::optional<OnDelete> forced) {
  auto link = store.GetLinkByHubSpotId(kConnectionName, contact.id);
  if (!link.ok()) return link.status();
  if (!*link) return Status::Ok();  // never synced, or already cleaned up
  const OnDelete action = forced.value_or(config.connectors.hubspot.on_delete);
  static constexpr const char* kNames[] = {"delete", "blocklist", "unlink", "ignore"};
  Plan(kNames[static_cast<int>(action)], (*link)->email,
       "HubSpot contact " + contact.id + " was deleted (on_delete: " + kNames[static_cast<int>(action)] + ")");
  deletes_.push_back({contact.id, (*link)->email, action});
  return Status::Ok();
}

Status ContactRun::SendDeletes(store::RunCounts& counts, std::vector<std::string>& unlinked) {
  std::vector<ContactWriteItem> updates;
  for (const DeleteWrite& d : deletes_) {
    switch (d.action) {
      case OnDelete::kDelete: {
        // Brevo has no batch delete: one call per contact. A contact already gone is fine.
        auto r = clients.brevo().DeleteContactByEmail(d.email);
        if (!r.ok()) {
          if (r.status().code() == StatusCode::kInvalidArgument || r.status().code() == StatusCode::kNotFound) {
            errors_.push_back({d.hubspot_id, "delete_refused", r.status().message()});
            ++counts.failed;
            continue;
          }
          return r.status();
        }
        break;
      }
      case OnDelete::kBlocklist:
        updates.push_back({d.hubspot_id, brevo::ContactWrite{d.email, nlohmann::json::object(), {}, {}, true}});
        break;
      case OnDelete::kUnlink:
        if (!managed.empty()) {
          updates.push_back({d.hubspot_id, brevo::ContactWrite{d.email, nlohmann::json::object(), {}, managed, {}}});
        }
        break;
      case OnDelete::kIgnore:
        break;
    }
    unlinked.push_back(d.hubspot_id);
    ++counts.deleted;
  }
  if (!updates.empty()) {
    auto out = writer.Update(updates);
    if (!out.ok()) return out.status();
    // A contact Brevo no longer has needs nothing more. One Brevo refused keeps its link, to retry.
    for (const RejectedContact& r : out->rejected) {
      errors_.push_back({r.hubspot_id, "rejected_by_brevo", r.message});
      std::erase(unlinked, r.hubspot_id);
      --counts.deleted;
      ++counts.failed;
    }
  }
  return Status::Ok();
}

}  // namespace tajo::sync
