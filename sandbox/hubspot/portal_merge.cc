// Portal: merges, GDPR deletion and bulk seeding.
#include <algorithm>
#include <cctype>
#include <mutex>

#include "sandbox/hubspot/portal.h"
#include "sandbox/hubspot/portal_helpers.h"

namespace tajo::sandbox::hubspot {
namespace {

using portal_helpers::Lower;
using portal_helpers::FindProp;

}  // namespace

ApiResult<RecordOut> Portal::Merge(const ObjectType& type, const std::string& primary_id, const std::string& merged_id,
                                   const WriteSource& source) {
  std::unique_lock lock(mu_);
  ApiError error;
  Record* primary = Resolve(type, primary_id, "", false, &error);
  if (!primary) return error;
  Record* merged = Resolve(type, merged_id, "", false, &error);
  if (!merged) return error;
  if (primary->id == merged->id) return ApiError::Validation("Cannot merge an object with itself");
  int history = merge_counts_[primary->id] + merge_counts_[merged->id] + 2;
  if (history > 250) {
    ApiError e = ApiError::Validation("Cannot have more than 250 identities on a profile");
    e.status = 414;
    return e;
  }
  const PropertyCatalog& catalog = state(type).catalog;
  std::vector<std::pair<std::string, std::string>> moved;
  merged->props.ForEach([&](PropId pid, std::string_view value) {
    const std::string& name = names_.Name(pid);
    const PropertyDef* d = catalog.Find(name);
    if (!d || d->read_only_value) return;
    if (!ReadValue(type, *primary, name)) moved.emplace_back(name, std::string(value));
  });
  // The merged record's email (and its own extra emails) become extra emails of the primary.
  std::vector<std::pair<std::string, std::string>> system;
  if (type.kind == TypeKind::kContact) {
    std::vector<std::string> extra;
    auto add = [&](std::optional<std::string> v) {
      if (!v) return;
      std::string_view rest = *v;
      while (!rest.empty()) {
        size_t semi = rest.find(';');
        std::string item(rest.substr(0, semi));
        if (!item.empty() && std::find(extra.begin(), extra.end(), item) == extra.end()) extra.push_back(item);
        if (semi == std::string_view::npos) break;
        rest = rest.substr(semi + 1);
      }
    };
    add(ReadValue(type, *primary, "hs_additional_emails"));
    if (!FindProp(moved, "email")) add(ReadValue(type, *merged, "email"));
    add(ReadValue(type, *merged, "hs_additional_emails"));
    std::string joined;
    for (const auto& e : extra) {
      if (!joined.empty()) joined += ';';
      joined += e;
    }
    if (!joined.empty()) system.emplace_back("hs_additional_emails", joined);
  }
  std::string ids = ReadValue(type, *primary, "hs_merged_object_ids").value_or("");
  if (!ids.empty()) ids += ';';
  ids += std::to_string(merged->id);
  if (auto more = ReadValue(type, *merged, "hs_merged_object_ids")) ids += ";" + *more;
  system.emplace_back("hs_merged_object_ids", ids);
  uint64_t primary_key = primary->id, merged_key = merged->id;
  IndexKeys(type, *merged, false);
  // Associations move to the primary.
  for (const auto& e : std::vector<AssociationGraph::Edge>(graph_.EdgesOf(merged_key))) {
    if (e.to_id == primary_key) continue;
    for (uint8_t k = 0; k < e.count; ++k) {
      const AssociationType* t = assoc_types_.Find(e.types[k]);
      if (t) graph_.Add(primary_key, type.index, e.to_id, e.to_type, t->id, t->inverse);
    }
  }
  auto peers = graph_.RemoveAll(merged_key);
  state(type).store.Purge(merged_key);
  merged_into_[merged_key] = primary_key;
  for (auto& [from, to] : merged_into_)
    if (to == merged_key) to = primary_key;
  merge_counts_[primary_key] = history - 1;
  merge_counts_.erase(merged_key);
  primary = state(type).store.Live(primary_key);
  auto all = moved;
  all.insert(all.end(), system.begin(), system.end());
  DoUpdate(type, *primary, all, source);
  state(type).store.Touch(*primary, std::max(NowMs(), primary->updated_ms));
  if (type.kind == TypeKind::kContact) RecomputeRollups(primary_key, true);
  if (type.kind == TypeKind::kDeal) {
    for (const auto& e : graph_.EdgesOf(primary_key))
      if (e.to_type == ObjectTypeRegistry::kContacts) RecomputeRollups(e.to_id, true);
  }
  ChangeEvent ev;
  ev.kind = ChangeEvent::Kind::kMerge;
  ev.type_index = type.index;
  ev.object_id = primary_key;
  ev.occurred_ms = NowMs();
  ev.change_source = source.change_source;
  ev.source_id = source.source_id;
  ev.primary_object_id = primary_key;
  ev.merged_object_ids = {merged_key};
  ev.new_object_id = primary_key;
  ev.number_of_properties_moved = static_cast<int>(moved.size());
  Emit(ev);
  return Snapshot(type, *state(type).store.Live(primary_key), false, {}, {});
}

ApiResult<bool> Portal::GdprDelete(const ObjectType& type, const std::string& id, const std::string& id_property,
                                   const WriteSource& source) {
  std::unique_lock lock(mu_);
  ApiError error;
  Record* r = Resolve(type, id, id_property, false, &error);
  if (!r && id_property.empty()) r = Resolve(type, id, "", true, &error);  // archived records too
  if (!r) {
    if (!id_property.empty() && error.status == 404) {
      blocklist_.push_back(Lower(id));
      return false;
    }
    return error;
  }
  uint64_t gone = r->id;
  if (auto email = ReadValue(type, *r, "email")) blocklist_.push_back(Lower(*email));
  IndexKeys(type, *r, false);
  auto peers = graph_.RemoveAll(gone);
  state(type).store.Purge(gone);
  if (type.kind == TypeKind::kDeal)
    for (const auto& [peer, peer_type] : peers)
      if (peer_type == ObjectTypeRegistry::kContacts) RecomputeRollups(peer, true);
  ChangeEvent ev;
  ev.type_index = type.index;
  ev.object_id = gone;
  ev.occurred_ms = NowMs();
  ev.change_source = source.change_source;
  ev.source_id = source.source_id;
  ev.kind = ChangeEvent::Kind::kPrivacyDeletion;
  Emit(ev);
  ev.kind = ChangeEvent::Kind::kDeletion;
  Emit(ev);
  return true;
}

std::vector<uint64_t> Portal::SeedRecords(const ObjectType& type, std::vector<SeedRecord> records) {
  std::unique_lock lock(mu_);
  std::vector<uint64_t> ids;
  ids.reserve(records.size());
  ObjectStore& store = state(type).store;
  // Grow geometrically: reserving size + chunk on every chunk would rehash everything each time.
  if (store.live_count() + records.size() > store.capacity()) store.Reserve(2 * (store.live_count() + records.size()));
  for (SeedRecord& s : records) {
    Record r;
    r.id = next_id_++;
    r.created_ms = s.created_ms;
    r.updated_ms = std::max(s.updated_ms, s.created_ms);
    for (const auto& [name, value] : s.properties) r.props.Set(InternPid(name), value);
    Record& stored = store.Insert(std::move(r));
    IndexKeys(type, stored, true);
    ids.push_back(stored.id);
  }
  return ids;
}

void Portal::RecomputeAllRollups() {
  std::unique_lock lock(mu_);
  const auto& index = state(TypeAt(ObjectTypeRegistry::kContacts)).store.ids();
  for (auto pos = index.Begin(); !index.AtEnd(pos); index.Next(pos)) RecomputeRollups(index.Get(pos), false);
}

}  // namespace tajo::sandbox::hubspot
