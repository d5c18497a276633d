// Portal: associations (v4 and the associations of create bodies) and association labels.
#include <algorithm>
#include <mutex>

#include "sandbox/hubspot/portal.h"

namespace tajo::sandbox::hubspot {
namespace {

std::optional<uint64_t> ParseOffset(const std::string& s) {
  if (s.empty()) return 0;
  if (s.size() > 12) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

void Portal::EmitAssociationChange(const ObjectType& from, uint64_t from_id, const ObjectType& to, uint64_t to_id,
                                   const AssociationType& t, uint32_t type_id, bool removed,
                                   const WriteSource& source) const {
  ChangeEvent ev;
  ev.kind = ChangeEvent::Kind::kAssociationChange;
  ev.occurred_ms = NowMs();
  ev.change_source = source.change_source;
  ev.source_id = source.source_id;
  ev.association_removed = removed;
  ev.is_primary_association = t.is_primary;
  ev.type_index = from.index;
  ev.object_id = from_id;
  ev.to_type_index = to.index;
  ev.to_object_id = to_id;
  ev.association_type_id = type_id;
  Emit(ev);
  ev.type_index = to.index;
  ev.object_id = to_id;
  ev.to_type_index = from.index;
  ev.to_object_id = from_id;
  ev.association_type_id = t.inverse;
  Emit(ev);
}

bool Portal::DoAssociate(const ObjectType& from, uint64_t from_id, const ObjectType& to, uint64_t to_id,
                         const AssociationType& t, const WriteSource& source, bool emit) {
  std::vector<const AssociationType*> to_add;
  if (t.is_primary) {
    // A record has one primary of each kind: moving the primary drops the old one (the
    // unlabeled association to the old primary stays).
    std::vector<uint64_t> old;
    for (const auto& e : graph_.EdgesOf(from_id))
      if (e.to_id != to_id && e.Has(t.id)) old.push_back(e.to_id);
    for (uint64_t o : old) graph_.RemoveType(from_id, o, t.id, t.inverse);
    if (const AssociationType* d = assoc_types_.Default(from.index, to.index)) to_add.push_back(d);
  }
  to_add.push_back(&t);
  bool any_new = false;
  for (const AssociationType* a : to_add) {
    const auto* before = graph_.Find(from_id, to_id);
    bool had = before && before->Has(a->id);
    if (!graph_.Add(from_id, from.index, to_id, to.index, a->id, a->inverse)) return false;
    if (!had) {
      any_new = true;
      if (emit) EmitAssociationChange(from, from_id, to, to_id, *a, a->id, false, source);
    }
  }
  if (any_new && emit) AfterAssociationChange(from, from_id, to, to_id);
  return true;
}

ApiResult<AssociationPage> Portal::ListAssociations(const ObjectType& from, const std::string& id, const ObjectType& to,
                                                    int limit, const std::string& after) const {
  std::shared_lock lock(mu_);
  ApiError error;
  const Record* r = Resolve(from, id, "", false, &error);
  if (!r) return error;
  auto offset = ParseOffset(after);
  if (!offset) return ApiError::Validation("after: \"" + after + "\" is not a valid paging cursor");
  AssociationPage page;
  uint64_t index = 0;
  for (const auto& e : graph_.EdgesOf(r->id)) {
    if (e.to_type != to.index || !state(to).store.Live(e.to_id)) continue;
    if (index++ < *offset) continue;
    if (static_cast<int>(page.results.size()) >= limit) {
      page.next_after = std::to_string(index - 1);
      break;
    }
    AssociationOut out;
    out.to_id = e.to_id;
    std::vector<uint32_t> ids(e.types.begin(), e.types.begin() + e.count);
    std::sort(ids.begin(), ids.end());
    for (uint32_t tid : ids)
      if (const AssociationType* t = assoc_types_.Find(tid)) out.types.push_back({t->category, t->id, t->label});
    page.results.push_back(std::move(out));
  }
  return page;
}

ApiResult<AssociationSpec> Portal::AssociateDefault(const ObjectType& from, const std::string& from_id,
                                                    const ObjectType& to, const std::string& to_id,
                                                    const WriteSource& source) {
  std::unique_lock lock(mu_);
  ApiError error;
  Record* a = Resolve(from, from_id, "", false, &error);
  if (!a) return error;
  Record* b = Resolve(to, to_id, "", false, &error);
  if (!b) return error;
  const AssociationType* t = assoc_types_.Default(from.index, to.index);
  if (!t) return ApiError::Validation("No default association type exists between " + from.name + " and " + to.name);
  if (!DoAssociate(from, a->id, to, b->id, *t, source, true))
    return ApiError::Validation("Too many association types between these two records");
  return AssociationSpec{t->category, t->id};
}

ApiResult<std::vector<std::string>> Portal::Associate(const ObjectType& from, const std::string& from_id,
                                                      const ObjectType& to, const std::string& to_id,
                                                      const std::vector<AssociationSpec>& specs,
                                                      const WriteSource& source) {
  std::unique_lock lock(mu_);
  ApiError error;
  Record* a = Resolve(from, from_id, "", false, &error);
  if (!a) return error;
  Record* b = Resolve(to, to_id, "", false, &error);
  if (!b) return error;
  if (specs.empty()) return ApiError::Validation("The body must be a non-empty array of association types");
  std::vector<const AssociationType*> types;
  for (const AssociationSpec& s : specs) {
    const AssociationType* t = assoc_types_.Find(s.type_id);
    if (!t || t->from_type != from.index || t->to_type != to.index)
      return ApiError::Validation(std::to_string(s.type_id) + " is not a valid association type id from " + from.name +
                                  " to " + to.name);
    if (!s.category.empty() && s.category != t->category)
      return ApiError::Validation("association type " + std::to_string(s.type_id) + " is " + t->category + ", not " +
                                  s.category);
    types.push_back(t);
  }
  for (const AssociationType* t : types)
    if (!DoAssociate(from, a->id, to, b->id, *t, source, true))
      return ApiError::Validation("Too many association types between these two records");
  std::vector<std::string> labels;
  if (const auto* e = graph_.Find(a->id, b->id))
    for (uint8_t k = 0; k < e->count; ++k)
      if (const AssociationType* t = assoc_types_.Find(e->types[k]); t && t->label) labels.push_back(*t->label);
  return labels;
}

ApiResult<bool> Portal::Disassociate(const ObjectType& from, const std::string& from_id, const ObjectType& to,
                                     const std::string& to_id, const std::vector<AssociationSpec>& specs,
                                     const WriteSource& source) {
  std::unique_lock lock(mu_);
  ApiError error;
  Record* a = Resolve(from, from_id, "", false, &error);
  if (!a) return error;
  Record* b = Resolve(to, to_id, "", false, &error);
  if (!b) return error;
  uint64_t a_id = a->id, b_id = b->id;
  const auto* edge = graph_.Find(a_id, b_id);
  if (!edge) return false;
  std::vector<uint32_t> removing;
  bool all = specs.empty();
  for (const AssociationSpec& s : specs) {
    const AssociationType* t = assoc_types_.Find(s.type_id);
    if (t && t->is_default) all = true;  // deleting the unlabeled type removes every label
    removing.push_back(s.type_id);
  }
  if (all) removing.assign(edge->types.begin(), edge->types.begin() + edge->count);
  bool removed = false;
  for (uint32_t tid : removing) {
    const AssociationType* t = assoc_types_.Find(tid);
    if (!t || !graph_.RemoveType(a_id, b_id, tid, t->inverse)) continue;
    removed = true;
    EmitAssociationChange(from, a_id, to, b_id, *t, tid, true, source);
  }
  if (removed) AfterAssociationChange(from, a_id, to, b_id);
  return removed;
}

std::vector<AssociationType> Portal::AssociationTypes(const ObjectType& from, const ObjectType& to) const {
  std::shared_lock lock(mu_);
  std::vector<AssociationType> out;
  for (const AssociationType* t : assoc_types_.Between(from.index, to.index)) out.push_back(*t);
  return out;
}

ApiResult<uint32_t> Portal::CreateAssociationLabel(const ObjectType& from, const ObjectType& to,
                                                   const std::string& label, const std::string& inverse_label) {
  std::unique_lock lock(mu_);
  if (label.empty()) return ApiError::Validation("label is required");
  int user_labels = 0;
  for (const AssociationType* t : assoc_types_.Between(from.index, to.index)) {
    if (t->label && *t->label == label) return ApiError::Conflict("An association label named '" + label + "' already exists");
    if (t->category == "USER_DEFINED") ++user_labels;
  }
  if (user_labels >= 10) return ApiError::Validation("At most 10 association labels are allowed per object pair");
  return assoc_types_.AddLabel(from.index, to.index, label, inverse_label);
}

ApiResult<bool> Portal::DeleteAssociationLabel(const ObjectType& from, const ObjectType& to, uint32_t type_id) {
  std::unique_lock lock(mu_);
  const AssociationType* t = assoc_types_.Find(type_id);
  if (!t || t->from_type != from.index || t->to_type != to.index) return ApiError::NotFound("association label not found");
  if (t->category != "USER_DEFINED") return ApiError::Validation("HubSpot-defined association types cannot be deleted");
  return assoc_types_.RemoveLabel(type_id);
}

void Portal::SeedAssociate(const ObjectType& from, uint64_t from_id, const ObjectType& to, uint64_t to_id, bool primary) {
  std::unique_lock lock(mu_);
  const AssociationType* d = assoc_types_.Default(from.index, to.index);
  if (!d) return;
  graph_.Add(from_id, from.index, to_id, to.index, d->id, d->inverse);
  if (primary) {
    for (const AssociationType* t : assoc_types_.Between(from.index, to.index))
      if (t->is_primary) graph_.Add(from_id, from.index, to_id, to.index, t->id, t->inverse);
  }
}

}  // namespace tajo::sandbox::hubspot
