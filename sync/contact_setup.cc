#include "sync/contact_setup.h"

#include "core/log.h"

namespace tajo::sync {

namespace {
// The list that imports put contacts in when they belong in no managed list (Brevo requires one).
constexpr const char* kDefaultListName = "tajo: synced contacts";
}  // namespace

Result<FieldMappingPlan> PlanContacts(const Config& config, ConnectorClients& clients) {
  auto properties = clients.hubspot().ListProperties("contacts");
  if (!properties.ok()) return properties.status();
  auto attributes = clients.brevo().ListAttributes();
  if (!attributes.ok()) return attributes.status();
  const HubSpotConfig& hs = config.connectors.hubspot;
  return PlanFieldMapping(hs, *properties, *attributes, ListRuleProperties(hs.lists));
}

Result<ContactTargets> ResolveContactTargets(const Config& config, ConnectorClients& clients, bool dry_run) {
  ContactTargets out;
  auto managed = ResolveLists(config.connectors.hubspot.lists, clients.brevo(), dry_run);
  if (!managed.ok()) return managed.status();
  out.managed = std::move(*managed);
  for (const ManagedList& l : out.managed) {
    if (l.everyone) out.default_list = l.list_id;
  }
  if (out.default_list == 0 && !dry_run) {
    ListAssignment fallback;
    fallback.key = "all_contacts";
    fallback.kind = ListAssignment::Kind::kListName;
    fallback.list_name = kDefaultListName;
    auto resolved = ResolveLists({fallback}, clients.brevo(), false);
    if (!resolved.ok()) return resolved.status();
    out.default_list = resolved->front().list_id;
  }
  return out;
}

Status CreateMissingAttributes(const FieldMappingPlan& plan, ConnectorClients& clients) {
  for (const brevo::Attribute& a : plan.missing_attributes) {
    Status created = clients.brevo().CreateAttribute(a.category.empty() ? "normal" : a.category, a.name, a.type);
    // "already exists": another run (or a retry of this very call) made it first.
    if (!created.ok() && created.code() != StatusCode::kAlreadyExists) return created;
    Log().Info("sync", "created Brevo attribute", {{"attribute", a.name}, {"type", a.type}});
  }
  return Status::Ok();
}

}  // namespace tajo::sync
