// Contact setup: what every contact run needs to know before it reads a contact — the field
// mapping planned against HubSpot's properties and Brevo's attributes, the managed Brevo lists and
// the list imports fall back to — shared by the sync runs (sync/contact_sync.h) and the webhook
// worker (sync/webhook_worker.h).
//
// Pure functions over the clients; thread-compatible (the clients are not shared across threads).
#pragma once

#include <cstdint>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "sync/connector_clients.h"
#include "sync/field_mapping.h"
#include "sync/list_membership.h"

namespace tajo::sync {

// Reads HubSpot's contact properties and Brevo's attributes (2 calls) and plans the mapping.
// Fails with kFailedPrecondition when the mapping is wrong (see PlanFieldMapping), or with the API
// error.
Result<FieldMappingPlan> PlanContacts(const Config& config, ConnectorClients& clients);

struct ContactTargets {
  std::vector<ManagedList> managed;
  int64_t default_list = 0;  // where imports put contacts that belong in no managed list; 0 in a dry run
};

// Resolves the managed lists (creating the named ones that are missing, unless `dry_run`) and the
// list imports fall back to ("all_contacts" when configured, else "tajo: synced contacts").
Result<ContactTargets> ResolveContactTargets(const Config& config, ConnectorClients& clients, bool dry_run);

// Creates the Brevo attributes `plan` found missing. One that exists already (another run made it
// first) is fine.
Status CreateMissingAttributes(const FieldMappingPlan& plan, ConnectorClients& clients);

}  // namespace tajo::sync
