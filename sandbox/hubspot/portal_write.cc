// Portal: creating, updating, archiving and batches.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "sandbox/hubspot/portal.h"
#include "sandbox/hubspot/portal_helpers.h"

namespace tajo::sandbox::hubspot {
namespace {

using portal_helpers::Lower;
using portal_helpers::ParseId;
using portal_helpers::FindProp;

int StageIndex(const std::string& stage) {
  const auto& stages = LifecycleStages();
  auto it = std::find(stages.begin(), stages.end(), stage);
  return it == stages.end() ? -1 : static_cast<int>(it - stages.begin());
}

std::string FormatAmount(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) return fmt::format("{}", static_cast<int64_t>(std::llround(v)));
  std::string s = fmt::format("{:.2f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

PropertySelection DefaultsPlus(const ObjectType& type, const std::vector<std::pair<std::string, std::string>>& props) {
  PropertySelection sel;
  sel.names = type.default_properties;
  for (const auto& [k, v] : props)
    if (std::find(sel.names.begin(), sel.names.end(), k) == sel.names.end()) sel.names.push_back(k);
  return sel;
}

enum Mode { kCreate = 0, kUpdate = 1, kUpsert = 2 };

}  // namespace

std::vector<std::pair<std::string, std::string>> Portal::CheckWrite(
    const ObjectType& type, const std::vector<std::pair<std::string, std::string>>& props, const Record* existing,
    bool creating, std::vector<PropertyError>* errors) const {
  const PropertyCatalog& catalog = state(type).catalog;
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, raw] : props) {
    std::string value = raw;
    if (auto e = catalog.CheckValue(name, value)) {
      errors->push_back(*e);
      continue;
    }
    // A later duplicate key wins (JSON objects cannot repeat keys, but the C++ API can).
    std::erase_if(out, [&](const auto& p) { return p.first == name; });
    out.emplace_back(name, std::move(value));
  }
  if (!errors->empty()) return out;
  // Lifecycle stages only move forward unless cleared first (reference §1.5): a backward move
  // is ignored, the way HubSpot keeps the later stage.
  if ((type.kind == TypeKind::kContact || type.kind == TypeKind::kCompany) && existing) {
    const std::string* stage = FindProp(out, "lifecyclestage");
    auto current = ReadValue(type, *existing, "lifecyclestage");
    if (stage && !stage->empty() && current && StageIndex(*stage) >= 0 && StageIndex(*current) >= 0 &&
        StageIndex(*stage) < StageIndex(*current))
      std::erase_if(out, [](const auto& p) { return p.first == "lifecyclestage"; });
  }
  // Pipelines and stages must agree; a stage alone implies its pipeline.
  auto check_stage = [&](const char* pipeline_prop, const char* stage_prop, const char* default_pipeline,
                         const char* default_stage) {
    const std::string* pipeline = FindProp(out, pipeline_prop);
    const std::string* stage = FindProp(out, stage_prop);
    std::optional<std::string> effective_pipeline;
    if (pipeline && !pipeline->empty()) effective_pipeline = *pipeline;
    else if (existing) effective_pipeline = ReadValue(type, *existing, pipeline_prop);
    if (stage && !stage->empty()) {
      const Pipeline* owner = nullptr;
      for (const Pipeline& p : state(type).pipelines)
        for (const Stage& s : p.stages)
          if (s.id == *stage && (!effective_pipeline || p.id == *effective_pipeline)) owner = &p;
      if (!owner) {
        errors->push_back({stage_prop, "INVALID_OPTION",
                           *stage + " is not a valid stage of pipeline " + effective_pipeline.value_or(default_pipeline)});
        return;
      }
      if (!effective_pipeline) out.emplace_back(pipeline_prop, owner->id);
    } else if (creating && !pipeline) {
      out.emplace_back(pipeline_prop, default_pipeline);
      if (default_stage) out.emplace_back(stage_prop, default_stage);
    }
  };
  if (type.kind == TypeKind::kDeal) check_stage("pipeline", "dealstage", "default", nullptr);
  if (type.kind == TypeKind::kTicket) check_stage("hs_pipeline", "hs_pipeline_stage", "0", "1");
  if (creating) {
    for (const std::string& req : type.required_properties) {
      const std::string* v = FindProp(out, req);
      if (!v || v->empty())
        errors->push_back({req, "REQUIRED_PROPERTY", "Property \"" + req + "\" is required to create " + type.name});
    }
  }
  return out;
}

uint64_t Portal::UniqueConflict(const ObjectType& type, const std::vector<std::pair<std::string, std::string>>& props,
                                uint64_t self) const {
  for (const auto& [name, value] : props) {
    if (value.empty() || !IsUniqueProperty(type, name)) continue;
    uint64_t holder = FindByUnique(type, name, value);
    if (holder && holder != self) return holder;
  }
  return 0;
}

ApiError Portal::ConflictError(const ObjectType& type, uint64_t existing) const {
  std::string noun = type.singular;
  if (!noun.empty()) noun[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(noun[0])));
  return ApiError::Conflict(noun + " already exists. Existing ID: " + std::to_string(existing));
}

ApiResult<std::vector<std::pair<uint64_t, AssociationSpec>>> Portal::CheckAssociations(
    const ObjectType& type, const std::vector<CreateAssociation>& assocs) const {
  std::vector<std::pair<uint64_t, AssociationSpec>> out;
  for (const CreateAssociation& a : assocs) {
    auto to = ParseId(a.to_id);
    if (!to) return ApiError::Validation("associations: to.id \"" + a.to_id + "\" is not a valid object id");
    if (a.types.empty()) return ApiError::Validation("associations: types must not be empty");
    for (const AssociationSpec& spec : a.types) {
      const AssociationType* t = assoc_types_.Find(spec.type_id);
      if (!t || t->from_type != type.index)
        return ApiError::Validation("associations: " + std::to_string(spec.type_id) +
                                    " is not a valid association type id from " + type.name);
      if (!spec.category.empty() && spec.category != t->category)
        return ApiError::Validation("associations: association type " + std::to_string(spec.type_id) + " is " +
                                    t->category + ", not " + spec.category);
      const ObjectType& target = TypeAt(t->to_type);
      if (!state(target).store.Live(*to))
        return ApiError::Validation("associations: " + target.singular + " " + a.to_id + " does not exist");
      out.push_back({*to, spec});
    }
  }
  return out;
}

Record& Portal::DoCreate(const ObjectType& type, const std::vector<std::pair<std::string, std::string>>& props,
                         const WriteSource& source) {
  Record r;
  r.id = next_id_++;
  r.created_ms = r.updated_ms = NowMs();
  for (const auto& [name, value] : props) r.props.Set(InternPid(name), value);
  Record& stored = state(type).store.Insert(std::move(r));
  IndexKeys(type, stored, true);
  ChangeEvent ev;
  ev.kind = ChangeEvent::Kind::kCreation;
  ev.type_index = type.index;
  ev.object_id = stored.id;
  ev.occurred_ms = stored.created_ms;
  ev.change_source = source.change_source;
  ev.source_id = source.source_id;
  Emit(ev);
  ev.kind = ChangeEvent::Kind::kPropertyChange;
  for (const auto& [name, value] : props) {
    if (value.empty()) continue;
    ev.property_name = name;
    ev.property_value = value;
    Emit(ev);
  }
  return stored;
}

std::vector<std::string> Portal::DoUpdate(const ObjectType& type, Record& r,
                                          const std::vector<std::pair<std::string, std::string>>& props,
                                          const WriteSource& source, bool emit_events) {
  std::vector<std::string> changed;
  IndexKeys(type, r, false);
  for (const auto& [name, value] : props)
    if (r.props.Set(InternPid(name), value)) changed.push_back(name);
  IndexKeys(type, r, true);
  if (changed.empty()) return changed;
  int64_t now = NowMs();
  state(type).store.Touch(r, std::max(now, r.updated_ms));
  if (emit_events) {
    ChangeEvent ev;
    ev.kind = ChangeEvent::Kind::kPropertyChange;
    ev.type_index = type.index;
    ev.object_id = r.id;
    ev.occurred_ms = now;
    ev.change_source = source.change_source;
    ev.source_id = source.source_id;
    for (const std::string& name : changed) {
      ev.property_name = name;
      ev.property_value = ReadValue(type, r, name).value_or("");
      Emit(ev);
    }
  }
  if (type.kind == TypeKind::kDeal && std::find(changed.begin(), changed.end(), "amount") != changed.end()) {
    for (const auto& e : graph_.EdgesOf(r.id))
      if (e.to_type == ObjectTypeRegistry::kContacts) RecomputeRollups(e.to_id, true);
  }
  return changed;
}

void Portal::RecomputeRollups(uint64_t contact_id, bool touch) {
  const ObjectType& contacts = TypeAt(ObjectTypeRegistry::kContacts);
  const ObjectType& deals = TypeAt(ObjectTypeRegistry::kDeals);
  Record* c = state(contacts).store.Live(contact_id);
  if (!c) return;
  int64_t count = 0;
  double total = 0;
  PropId amount_pid = InternPid("amount");
  for (const auto& e : graph_.EdgesOf(contact_id)) {
    if (e.to_type != ObjectTypeRegistry::kDeals) continue;
    const Record* d = state(deals).store.Live(e.to_id);
    if (!d) continue;
    ++count;
    if (auto a = d->props.Get(amount_pid)) total += std::strtod(std::string(*a).c_str(), nullptr);
  }
  std::vector<std::pair<std::string, std::string>> values = {
      {"num_associated_deals", count ? std::to_string(count) : ""},
      {"hs_total_deal_value", count ? FormatAmount(total) : ""}};
  if (touch) {
    DoUpdate(contacts, *c, values, WriteSource{"CALCULATED", ""});
  } else {
    for (const auto& [name, value] : values) c->props.Set(InternPid(name), value);
  }
}

void Portal::AfterAssociationChange(const ObjectType& a, uint64_t a_id, const ObjectType& b, uint64_t b_id) {
  if (a.kind == TypeKind::kContact && b.kind == TypeKind::kDeal) RecomputeRollups(a_id, true);
  if (b.kind == TypeKind::kContact && a.kind == TypeKind::kDeal) RecomputeRollups(b_id, true);
}

void Portal::DoArchive(const ObjectType& type, uint64_t id, const WriteSource& source) {
  ObjectStore& store = state(type).store;
  Record* r = store.Live(id);
  if (!r) return;
  IndexKeys(type, *r, false);
  int64_t now = std::max(NowMs(), r->updated_ms);
  store.Archive(id, now);
  ChangeEvent ev;
  ev.kind = ChangeEvent::Kind::kDeletion;
  ev.type_index = type.index;
  ev.object_id = id;
  ev.occurred_ms = now;
  ev.change_source = source.change_source;
  ev.source_id = source.source_id;
  Emit(ev);
  if (type.kind == TypeKind::kDeal)
    for (const auto& e : graph_.EdgesOf(id))
      if (e.to_type == ObjectTypeRegistry::kContacts) RecomputeRollups(e.to_id, true);
}

ApiResult<RecordOut> Portal::Create(const ObjectType& type, const WriteInput& input, const WriteSource& source) {
  std::unique_lock lock(mu_);
  std::vector<PropertyError> errors;
  auto props = CheckWrite(type, input.properties, nullptr, true, &errors);
  if (!errors.empty()) return ApiError::PropertyValues(errors);
  if (type.kind == TypeKind::kContact && !FindProp(props, "email") && !FindProp(props, "firstname") &&
      !FindProp(props, "lastname"))
    return ApiError::Validation("At least one of email, firstname or lastname is required to create a contact");
  if (uint64_t holder = UniqueConflict(type, props, 0)) return ConflictError(type, holder);
  auto assocs = CheckAssociations(type, input.associations);
  if (!assocs.ok()) return assocs.error();
  Record& r = DoCreate(type, props, source);
  uint64_t id = r.id;
  for (const auto& [to_id, spec] : assocs.value()) {
    const AssociationType* t = assoc_types_.Find(spec.type_id);
    DoAssociate(type, id, TypeAt(t->to_type), to_id, *t, source, true);
  }
  Record* fresh = state(type).store.Live(id);
  RecordOut out = Snapshot(type, *fresh, false, DefaultsPlus(type, props), {});
  out.object_write_trace_id = input.object_write_trace_id;
  return out;
}

ApiResult<RecordOut> Portal::Update(const ObjectType& type, const WriteInput& input, const WriteSource& source) {
  std::unique_lock lock(mu_);
  ApiError error;
  Record* r = Resolve(type, input.id, input.id_property, false, &error);
  if (!r) return error;
  std::vector<PropertyError> errors;
  auto props = CheckWrite(type, input.properties, r, false, &errors);
  if (!errors.empty()) return ApiError::PropertyValues(errors);
  if (uint64_t holder = UniqueConflict(type, props, r->id)) return ConflictError(type, holder);
  DoUpdate(type, *r, props, source);
  return Snapshot(type, *r, false, DefaultsPlus(type, props), {});
}

ApiResult<bool> Portal::Archive(const ObjectType& type, const std::string& id, const WriteSource& source) {
  std::unique_lock lock(mu_);
  ApiError error;
  Record* r = Resolve(type, id, "", false, &error);
  if (!r) return false;
  DoArchive(type, r->id, source);
  return true;
}

ApiResult<RecordOut> Portal::Restore(const ObjectType& type, uint64_t id, const WriteSource& source) {
  std::unique_lock lock(mu_);
  ObjectStore& store = state(type).store;
  Record* archived = store.Archived(id);
  if (!archived) return ApiError::NotFound("resource not found");
  std::vector<std::pair<std::string, std::string>> keys;
  for (const char* n : {"email"})
    if (auto v = ReadValue(type, *archived, n)) keys.emplace_back(n, *v);
  if (uint64_t holder = UniqueConflict(type, keys, id)) return ConflictError(type, holder);
  store.Restore(id, std::max(NowMs(), archived->updated_ms));
  Record* r = store.Live(id);
  IndexKeys(type, *r, true);
  ChangeEvent ev;
  ev.kind = ChangeEvent::Kind::kRestore;
  ev.type_index = type.index;
  ev.object_id = id;
  ev.occurred_ms = r->updated_ms;
  ev.change_source = source.change_source;
  ev.source_id = source.source_id;
  Emit(ev);
  if (type.kind == TypeKind::kDeal)
    for (const auto& e : graph_.EdgesOf(id))
      if (e.to_type == ObjectTypeRegistry::kContacts) RecomputeRollups(e.to_id, true);
  if (type.kind == TypeKind::kContact) RecomputeRollups(id, true);
  return Snapshot(type, *state(type).store.Live(id), false, {}, {});
}

ApiResult<BatchOut> Portal::BatchRead(const ObjectType& type, const std::vector<std::string>& ids,
                                      const std::string& id_property, const PropertySelection& sel,
                                      bool archived) const {
  std::shared_lock lock(mu_);
  if (!id_property.empty() && id_property != "hs_object_id" && !IsUniqueProperty(type, id_property))
    return ApiError::Validation("Property \"" + id_property + "\" is not a unique identifier for " + type.name);
  BatchOut out;
  std::set<uint64_t> seen;
  std::vector<std::string> missing;
  for (const std::string& id : ids) {
    ApiError error;
    const Record* r = Resolve(type, id, id_property, archived, &error);
    if (!r) {
      if (std::find(missing.begin(), missing.end(), id) == missing.end()) missing.push_back(id);
      continue;
    }
    if (!seen.insert(r->id).second) continue;
    out.results.push_back(Snapshot(type, *r, archived, sel, {}));
  }
  if (!missing.empty()) {
    std::string upper = type.singular;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ApiError e = ApiError::NotFound("Could not get some " + upper +
                                    " objects, they may be deleted or not exist. Check that ids are valid.");
    e.context = {{"ids", missing}};
    out.errors.push_back({e, "", ""});
  }
  return out;
}

ApiResult<BatchOut> Portal::BatchCreate(const ObjectType& type, const std::vector<WriteInput>& inputs,
                                        const WriteSource& source) {
  return BatchWrite(type, inputs, source, kCreate);
}
ApiResult<BatchOut> Portal::BatchUpdate(const ObjectType& type, const std::vector<WriteInput>& inputs,
                                        const WriteSource& source) {
  return BatchWrite(type, inputs, source, kUpdate);
}
ApiResult<BatchOut> Portal::BatchUpsert(const ObjectType& type, const std::vector<WriteInput>& inputs,
                                        const WriteSource& source) {
  return BatchWrite(type, inputs, source, kUpsert);
}

ApiResult<BatchOut> Portal::BatchWrite(const ObjectType& type, const std::vector<WriteInput>& inputs,
                                       const WriteSource& source, int mode) {
  std::unique_lock lock(mu_);
  // 207 mode when every input carries an objectWriteTraceId (reference §1.8): apply what is
  // valid, report the rest. Otherwise the batch is all-or-nothing.
  bool multi_status = !inputs.empty() && std::all_of(inputs.begin(), inputs.end(), [](const WriteInput& in) {
    return !in.object_write_trace_id.empty();
  });
  if (mode == kUpdate) {
    std::set<std::string> ids, dups;
    for (const WriteInput& in : inputs)
      if (!ids.insert(in.id_property + "\n" + in.id).second) dups.insert(in.id);
    if (!dups.empty()) {
      std::string list;
      for (const auto& d : dups) list += (list.empty() ? "" : ", ") + d;
      return ApiError::Validation("Duplicate IDs found in batch input: [" + list + "]. IDs must be unique");
    }
  }
  struct Planned {
    enum { kNew, kExisting } what;
    uint64_t id = 0;
    std::vector<std::pair<std::string, std::string>> props;
    std::vector<std::pair<uint64_t, AssociationSpec>> assocs;
  };
  // Validates one input against the current data plus what earlier inputs of this batch claim.
  std::map<std::string, size_t> claimed;  // "prop\nlower value" -> input index
  auto plan = [&](size_t i, Planned* p) -> std::optional<ApiError> {
    const WriteInput& in = inputs[i];
    Record* existing = nullptr;
    std::vector<std::pair<std::string, std::string>> raw = in.properties;
    if (mode == kUpdate) {
      ApiError error;
      existing = Resolve(type, in.id, in.id_property, false, &error);
      if (!existing) {
        error.context = {{"ids", {in.id}}};
        return error;
      }
    } else if (mode == kUpsert) {
      if (in.id_property.empty() || in.id_property == "hs_object_id" || !IsUniqueProperty(type, in.id_property))
        return ApiError::Validation("idProperty must name a unique-value property for upsert (e.g. email), got \"" +
                                    in.id_property + "\"");
      if (in.id.empty()) return ApiError::Validation("id is required for upsert");
      ApiError ignored;
      existing = Resolve(type, in.id, in.id_property, false, &ignored);
      std::erase_if(raw, [&](const auto& kv) { return kv.first == in.id_property; });
      if (!existing) raw.emplace_back(in.id_property, in.id);
    }
    std::vector<PropertyError> errors;
    p->props = CheckWrite(type, raw, existing, existing == nullptr, &errors);
    if (!errors.empty()) return ApiError::PropertyValues(errors);
    if (!existing && type.kind == TypeKind::kContact && !FindProp(p->props, "email") &&
        !FindProp(p->props, "firstname") && !FindProp(p->props, "lastname"))
      return ApiError::Validation("At least one of email, firstname or lastname is required to create a contact");
    if (uint64_t holder = UniqueConflict(type, p->props, existing ? existing->id : 0))
      return ConflictError(type, holder);
    for (const auto& [name, value] : p->props) {
      if (value.empty() || !IsUniqueProperty(type, name)) continue;
      auto [it, fresh] = claimed.emplace(name + "\n" + Lower(value), i);
      if (!fresh && it->second != i)
        return ApiError::Conflict("Duplicate " + name + " in batch input: " + value + " (inputs " +
                                  std::to_string(it->second) + " and " + std::to_string(i) + ")");
    }
    if (mode == kCreate) {
      auto assocs = CheckAssociations(type, in.associations);
      if (!assocs.ok()) return assocs.error();
      p->assocs = assocs.value();
    }
    p->what = existing ? Planned::kExisting : Planned::kNew;
    p->id = existing ? existing->id : 0;
    return std::nullopt;
  };
  auto apply = [&](size_t i, Planned& p) -> RecordOut {
    Record* r;
    if (p.what == Planned::kNew) {
      r = &DoCreate(type, p.props, source);
      uint64_t id = r->id;
      for (const auto& [to_id, spec] : p.assocs) {
        const AssociationType* t = assoc_types_.Find(spec.type_id);
        DoAssociate(type, id, TypeAt(t->to_type), to_id, *t, source, true);
      }
      r = state(type).store.Live(id);
    } else {
      r = state(type).store.Live(p.id);
      DoUpdate(type, *r, p.props, source);
    }
    RecordOut out = Snapshot(type, *r, false, DefaultsPlus(type, p.props), {});
    out.object_write_trace_id = inputs[i].object_write_trace_id;
    if (mode == kUpsert) out.is_new = p.what == Planned::kNew;
    return out;
  };
  BatchOut out;
  if (multi_status) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      Planned p;
      if (auto error = plan(i, &p)) {
        ApiError e = *error;
        e.context["objectWriteTraceId"] = {inputs[i].object_write_trace_id};
        out.errors.push_back({e, inputs[i].id, inputs[i].object_write_trace_id});
        continue;
      }
      out.results.push_back(apply(i, p));
    }
    return out;
  }
  std::vector<Planned> planned(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    if (auto error = plan(i, &planned[i])) return *error;
  for (size_t i = 0; i < inputs.size(); ++i) out.results.push_back(apply(i, planned[i]));
  return out;
}

void Portal::BatchArchive(const ObjectType& type, const std::vector<std::string>& ids, const WriteSource& source) {
  std::unique_lock lock(mu_);
  for (const std::string& id : ids) {
    ApiError error;
    if (Record* r = Resolve(type, id, "", false, &error)) DoArchive(type, r->id, source);
  }
}

}  // namespace tajo::sandbox::hubspot
