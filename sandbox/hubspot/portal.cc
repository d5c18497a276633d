// Portal: construction, defaults (pipelines, owners, properties), lookups and reads.
#include "sandbox/hubspot/portal.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include "sandbox/common/rng.h"
#include "sandbox/common/time_format.h"
#include "sandbox/hubspot/portal_helpers.h"

namespace tajo::sandbox::hubspot {
namespace {

using portal_helpers::Lower;
using portal_helpers::ParseId;

std::vector<Pipeline> DefaultDealPipelines() {
  Pipeline p;
  p.id = "default";
  p.label = "Sales Pipeline";
  struct S {
    const char* id;
    const char* label;
    const char* probability;
    bool closed, won;
  };
  int order = 0;
  for (const S& s : {S{"appointmentscheduled", "Appointment Scheduled", "0.2", false, false},
                     S{"qualifiedtobuy", "Qualified To Buy", "0.4", false, false},
                     S{"presentationscheduled", "Presentation Scheduled", "0.6", false, false},
                     S{"decisionmakerboughtin", "Decision Maker Bought-In", "0.8", false, false},
                     S{"contractsent", "Contract Sent", "0.9", false, false},
                     S{"closedwon", "Closed Won", "1.0", true, true},
                     S{"closedlost", "Closed Lost", "0.0", true, false}}) {
    Stage st;
    st.id = s.id;
    st.label = s.label;
    st.display_order = order++;
    st.is_closed = s.closed;
    st.is_won = s.won;
    st.probability = s.probability;
    st.metadata = {{"isClosed", s.closed ? "true" : "false"}, {"probability", s.probability}};
    p.stages.push_back(st);
  }
  return {p};
}

std::vector<Pipeline> DefaultTicketPipelines() {
  Pipeline p;
  p.id = "0";
  p.label = "Support Pipeline";
  int order = 0;
  for (auto [id, label, state] : {std::tuple{"1", "New", "OPEN"}, {"2", "Waiting on contact", "OPEN"},
                                  {"3", "Waiting on us", "OPEN"}, {"4", "Closed", "CLOSED"}}) {
    Stage st;
    st.id = id;
    st.label = label;
    st.display_order = order++;
    st.is_closed = std::string(state) == "CLOSED";
    st.metadata = {{"ticketState", state}};
    p.stages.push_back(st);
  }
  return {p};
}

std::vector<Owner> DefaultOwners() {
  struct O {
    const char* first;
    const char* last;
    const char* team_id;
    const char* team;
  };
  const O owners[] = {{"Avery", "Chen", "368389", "Sales Team"},      {"Jordan", "Smith", "368389", "Sales Team"},
                      {"Camille", "Durand", "368389", "Sales Team"},  {"Mateo", "García", "368389", "Sales Team"},
                      {"Yuki", "Tanaka", "368390", "Support Team"},   {"Priya", "Nair", "368390", "Support Team"},
                      {"Lars", "Øvergaard", "368391", "Marketing"},    {"Noor", "Haddad", "368391", "Marketing"}};
  std::vector<Owner> out;
  int64_t created = 1577836800000;  // 2020-01-01
  int i = 0;
  for (const O& o : owners) {
    Owner w;
    w.id = std::to_string(41629779 + i);
    w.user_id = 9586504 + i;
    w.first_name = o.first;
    w.last_name = o.last;
    w.email = Lower(std::string(o.first)) + "." + std::to_string(i + 1) + "@owners.tajo-sandbox.test";
    w.created_ms = created + i * 86'400'000LL;
    w.updated_ms = w.created_ms;
    w.teams = {{o.team_id, o.team}};
    out.push_back(std::move(w));
    ++i;
  }
  // One deactivated user: archived owners have no userId (reference §4.4).
  Owner gone;
  gone.id = std::to_string(41629779 + i);
  gone.user_id = 9586504 + i;
  gone.first_name = "Former";
  gone.last_name = "Employee";
  gone.email = "former.employee@owners.tajo-sandbox.test";
  gone.created_ms = created;
  gone.updated_ms = created + 400 * 86'400'000LL;
  gone.archived = true;
  out.push_back(std::move(gone));
  return out;
}

}  // namespace

Portal::Portal(Clock& clock, PortalOptions options)
    : clock_(clock), options_(options), assoc_types_(types_), next_id_(options.first_id) {
  LoadDefaults();
}

void Portal::AddTypeState(const ObjectType& t) {
  while (states_.size() <= static_cast<size_t>(t.index)) states_.push_back(std::make_unique<TypeState>());
}

void Portal::LoadDefaults() {
  states_.clear();
  for (int i = 0; i < types_.size(); ++i) {
    AddTypeState(types_.at(i));
    for (PropertyDef& d : DefaultProperties(i)) {
      d.created_ms = 0;
      d.updated_ms = 0;
      states_[static_cast<size_t>(i)]->catalog.Put(std::move(d));
    }
  }
  states_[ObjectTypeRegistry::kDeals]->pipelines = DefaultDealPipelines();
  states_[ObjectTypeRegistry::kTickets]->pipelines = DefaultTicketPipelines();
  owners_ = DefaultOwners();
  // Intern the names every contact uses first, so ids are stable whatever is written first.
  for (const char* n : {"email", "firstname", "lastname", "hs_additional_emails", "num_associated_deals",
                        "hs_total_deal_value", "amount", "dealstage", "pipeline"})
    names_.Intern(n);
  RefreshEnumerations();
}

void Portal::RefreshEnumerations() {
  std::vector<PropertyOption> owners;
  int order = 0;
  for (const Owner& o : owners_)
    if (!o.archived) owners.push_back({o.first_name + " " + o.last_name, o.id, "", order++, false});
  for (auto& s : states_) s->catalog.SetOptions("hubspot_owner_id", owners);
  auto fill = [&](int type, const char* pipeline_prop, const char* stage_prop) {
    std::vector<PropertyOption> pipelines, stages;
    for (const Pipeline& p : states_[static_cast<size_t>(type)]->pipelines) {
      pipelines.push_back({p.label, p.id, "", p.display_order, false});
      for (const Stage& s : p.stages) stages.push_back({s.label, s.id, "", s.display_order, false});
    }
    states_[static_cast<size_t>(type)]->catalog.SetOptions(pipeline_prop, pipelines);
    states_[static_cast<size_t>(type)]->catalog.SetOptions(stage_prop, stages);
  };
  fill(ObjectTypeRegistry::kDeals, "pipeline", "dealstage");
  fill(ObjectTypeRegistry::kTickets, "hs_pipeline", "hs_pipeline_stage");
}

const ObjectType* Portal::FindType(std::string_view name) const {
  std::shared_lock lock(mu_);
  return types_.Find(name);
}

std::vector<const ObjectType*> Portal::Types() const {
  std::shared_lock lock(mu_);
  std::vector<const ObjectType*> out;
  for (int i = 0; i < types_.size(); ++i) out.push_back(&types_.at(i));
  return out;
}

bool Portal::IsUniqueProperty(const ObjectType& type, std::string_view name) const {
  if (type.kind == TypeKind::kContact && name == "email") return true;
  const PropertyDef* d = state(type).catalog.Find(name);
  return d && d->has_unique_value;
}

uint64_t Portal::FindByUnique(const ObjectType& type, const std::string& property, const std::string& value) const {
  if (value.empty()) return 0;
  auto pid = FindPid(property);
  if (!pid) return 0;
  std::string lower = Lower(value);
  ObjectStore& store = state(type).store;
  for (uint64_t id : store.KeyCandidates(*pid, lower)) {
    Record* r = store.Live(id);
    if (!r) continue;
    auto v = r->props.Get(*pid);
    if (v && Lower(*v) == lower) return id;
    if (type.kind == TypeKind::kContact && property == "email") {
      if (auto extra_pid = FindPid("hs_additional_emails")) {
        if (auto extra = r->props.Get(*extra_pid)) {
          std::string_view rest = *extra;
          while (!rest.empty()) {
            size_t semi = rest.find(';');
            if (Lower(rest.substr(0, semi)) == lower) return id;
            if (semi == std::string_view::npos) break;
            rest = rest.substr(semi + 1);
          }
        }
      }
    }
  }
  return 0;
}

void Portal::IndexKeys(const ObjectType& type, const Record& r, bool add) {
  ObjectStore& store = state(type).store;
  auto apply = [&](PropId pid, std::string_view value) {
    std::string lower = Lower(value);
    if (add) store.AddKey(pid, lower, r.id);
    else store.RemoveKey(pid, lower, r.id);
  };
  for (const PropertyDef* d : state(type).catalog.List(false)) {
    bool unique = d->has_unique_value || (type.kind == TypeKind::kContact && d->name == "email");
    if (!unique) continue;
    auto pid = FindPid(d->name);
    if (!pid) continue;
    if (auto v = r.props.Get(*pid)) apply(*pid, *v);
  }
  if (type.kind == TypeKind::kContact) {
    auto email = FindPid("email");
    auto extra_pid = FindPid("hs_additional_emails");
    if (email && extra_pid) {
      if (auto extra = r.props.Get(*extra_pid)) {
        std::string copy(*extra);
        std::string_view rest = copy;
        while (!rest.empty()) {
          size_t semi = rest.find(';');
          apply(*email, rest.substr(0, semi));
          if (semi == std::string_view::npos) break;
          rest = rest.substr(semi + 1);
        }
      }
    }
  }
}

Record* Portal::Resolve(const ObjectType& type, const std::string& id, const std::string& id_property, bool archived,
                        ApiError* error) const {
  ObjectStore& store = state(type).store;
  if (id_property.empty() || id_property == "hs_object_id") {
    auto parsed = ParseId(id);
    if (!parsed) {
      *error = ApiError::NotFound("Object not found.  objectId are usually numeric.");
      return nullptr;
    }
    uint64_t key = *parsed;
    for (int hops = 0; hops < 64; ++hops) {  // merged ids are aliases of the primary
      auto it = merged_into_.find(key);
      if (it == merged_into_.end()) break;
      key = it->second;
    }
    Record* r = archived ? store.Archived(key) : store.Live(key);
    if (!r) *error = ApiError::NotFound("resource not found");
    return r;
  }
  if (!IsUniqueProperty(type, id_property)) {
    *error = ApiError::Validation("Property \"" + id_property + "\" is not a unique identifier for " + type.name +
                                  "; use a property with unique values (e.g. email) or the record id.");
    return nullptr;
  }
  if (archived) {
    *error = ApiError::NotFound("resource not found");
    return nullptr;
  }
  uint64_t found = FindByUnique(type, id_property, id);
  Record* r = found ? store.Live(found) : nullptr;
  if (!r) *error = ApiError::NotFound("resource not found");
  return r;
}

std::optional<std::string> Portal::ReadValue(const ObjectType& type, const Record& r, std::string_view name) const {
  if (name == "hs_object_id") return std::to_string(r.id);
  if (name == type.created_property) return FormatIsoMillis(r.created_ms);
  if (name == type.modified_property) return FormatIsoMillis(r.updated_ms);
  if (type.kind == TypeKind::kDeal &&
      (name == "hs_is_closed" || name == "hs_is_closed_won" || name == "hs_deal_stage_probability")) {
    auto stage_pid = FindPid("dealstage");
    auto stage = stage_pid ? r.props.Get(*stage_pid) : std::nullopt;
    if (!stage) return name == "hs_deal_stage_probability" ? std::nullopt : std::optional<std::string>("false");
    for (const Pipeline& p : state(type).pipelines)
      for (const Stage& s : p.stages)
        if (s.id == *stage) {
          if (name == "hs_is_closed") return s.is_closed ? "true" : "false";
          if (name == "hs_is_closed_won") return s.is_won ? "true" : "false";
          return s.probability;
        }
    return std::nullopt;
  }
  auto pid = FindPid(name);
  if (!pid) return std::nullopt;
  auto v = r.props.Get(*pid);
  if (!v) return std::nullopt;
  return std::string(*v);
}

RecordOut Portal::Snapshot(const ObjectType& type, const Record& r, bool archived, const PropertySelection& sel,
                           const std::vector<std::string>& associations) const {
  RecordOut out;
  out.id = r.id;
  out.created_ms = r.created_ms;
  out.updated_ms = r.updated_ms;
  out.archived = archived;
  out.archived_ms = r.archived_ms;
  const PropertyCatalog& catalog = state(type).catalog;
  const std::vector<std::string>& names = sel.names.empty() ? type.default_properties : sel.names;
  std::vector<std::string> seen;
  for (const std::string& name : names) {
    if (!catalog.Find(name)) continue;  // unknown names are ignored (reference §1.3)
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
    auto v = ReadValue(type, r, name);
    if (v) out.properties.emplace_back(name, std::move(v));
    else if (options_.empty_properties_as_null) out.properties.emplace_back(name, std::nullopt);
  }
  for (const std::string& name : sel.with_history) {
    if (!catalog.Find(name)) continue;
    if (auto v = ReadValue(type, r, name)) out.history.push_back({name, {*v, r.updated_ms}});
  }
  if (!associations.empty()) {
    out.has_associations = true;
    for (const std::string& to_name : associations) {
      const ObjectType* to = types_.Find(to_name);
      if (!to) continue;  // unknown types are ignored (reference §1.3)
      std::vector<AssociatedRef> refs;
      for (const auto& e : graph_.EdgesOf(r.id)) {
        if (e.to_type != to->index || !state(*to).store.Live(e.to_id)) continue;
        for (uint8_t k = 0; k < e.count; ++k) {
          const AssociationType* t = assoc_types_.Find(e.types[k]);
          if (t && refs.size() < options_.max_associations_per_record) refs.push_back({e.to_id, t->v3_name});
        }
      }
      if (!refs.empty()) out.associations.emplace_back(to->name, std::move(refs));
    }
  }
  return out;
}

ApiResult<RecordPage> Portal::List(const ObjectType& type, int limit, const std::string& after,
                                   const PropertySelection& sel, const std::vector<std::string>& associations,
                                   bool archived) const {
  std::shared_lock lock(mu_);
  ObjectStore& store = state(type).store;
  const SortedIndex<uint64_t>& index = archived ? store.archived_ids() : store.ids();
  auto pos = index.Begin();
  if (!after.empty()) {
    auto start = ParseId(after);
    if (!start) return ApiError::Validation("after: \"" + after + "\" is not a valid paging cursor");
    pos = index.LowerBound(*start);
  }
  RecordPage page;
  for (int n = 0; n < limit && !index.AtEnd(pos); ++n, index.Next(pos)) {
    uint64_t id = index.Get(pos);
    const Record* r = archived ? store.Archived(id) : store.Live(id);
    if (r) page.results.push_back(Snapshot(type, *r, archived, sel, associations));
  }
  if (!index.AtEnd(pos)) page.next_after = std::to_string(index.Get(pos));
  return page;
}

ApiResult<RecordOut> Portal::Get(const ObjectType& type, const std::string& id, const std::string& id_property,
                                 const PropertySelection& sel, const std::vector<std::string>& associations,
                                 bool archived) const {
  std::shared_lock lock(mu_);
  ApiError error;
  const Record* r = Resolve(type, id, id_property, archived, &error);
  if (!r) return error;
  return Snapshot(type, *r, archived, sel, associations);
}

std::vector<PropertyDef> Portal::Properties(const ObjectType& type, bool archived) const {
  std::shared_lock lock(mu_);
  std::vector<PropertyDef> out;
  for (const PropertyDef* d : state(type).catalog.List(archived)) out.push_back(*d);
  return out;
}

ApiResult<PropertyDef> Portal::Property(const ObjectType& type, const std::string& name) const {
  std::shared_lock lock(mu_);
  const PropertyDef* d = state(type).catalog.Find(name);
  if (!d) return ApiError::NotFound("Unable to find property " + name + " for object type " + type.type_id);
  return *d;
}

ApiResult<PropertyDef> Portal::CreateProperty(const ObjectType& type, PropertyDef def) {
  std::unique_lock lock(mu_);
  std::string problem = ValidateNewProperty(def);
  if (!problem.empty()) return ApiError::Validation(problem);
  PropertyCatalog& catalog = state(type).catalog;
  if (PropertyDef* existing = catalog.FindMutable(def.name)) {
    if (!existing->archived)
      return ApiError::Conflict("A property named '" + def.name + "' already exists for object type " + type.type_id);
  }
  if (def.has_unique_value && catalog.unique_count() >= 10)
    return ApiError::Validation("At most 10 unique-value properties are allowed per object type");
  def.created_ms = def.updated_ms = NowMs();
  catalog.Put(def);
  names_.Intern(def.name);
  return def;
}

ApiResult<PropertyDef> Portal::ArchiveProperty(const ObjectType& type, const std::string& name) {
  std::unique_lock lock(mu_);
  PropertyDef* d = state(type).catalog.FindMutable(name);
  if (!d || d->archived) return ApiError::NotFound("Unable to find property " + name + " for object type " + type.type_id);
  if (d->hubspot_defined) return ApiError::Validation("HubSpot-defined property " + name + " cannot be archived");
  d->archived = true;
  d->archived_ms = d->updated_ms = NowMs();
  return *d;
}

std::vector<Pipeline> Portal::Pipelines(const ObjectType& type) const {
  std::shared_lock lock(mu_);
  return state(type).pipelines;
}

std::vector<Owner> Portal::Owners() const {
  std::shared_lock lock(mu_);
  return owners_;
}

ApiResult<const ObjectType*> Portal::CreateSchema(ObjectType type, std::vector<PropertyDef> properties,
                                                  const std::vector<std::string>& associated_types) {
  std::unique_lock lock(mu_);
  std::string base = type.singular.empty() ? type.name : type.singular;
  if (base.empty()) return ApiError::Validation("name is required");
  for (char c : base)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return ApiError::Validation("name '" + base + "' may contain only lower-case letters, digits and underscores");
  if (types_.Find(base) || types_.Find("p_" + base))
    return ApiError::Conflict("Object type with name " + base + " already exists");
  std::vector<int> assoc;
  for (const std::string& a : associated_types) {
    const ObjectType* t = types_.Find(a);
    if (!t) return ApiError::Validation("associatedObjects: unknown object type " + a);
    assoc.push_back(t->index);
  }
  for (PropertyDef& p : properties) {
    std::string problem = ValidateNewProperty(p);
    if (!problem.empty()) return ApiError::Validation("properties: " + problem);
  }
  type.created_ms = type.updated_ms = NowMs();
  const ObjectType& added = types_.AddCustom(std::move(type), options_.portal_id);
  AddTypeState(added);
  PropertyCatalog& catalog = state(added).catalog;
  for (PropertyDef p : DefaultProperties(ObjectTypeRegistry::kNotes)) {  // the engagement-style basics
    if (p.name == "hs_createdate" || p.name == "hs_lastmodifieddate" || p.name == "hs_object_id" ||
        p.name == "hs_merged_object_ids" || p.name == "hubspot_owner_id") {
      p.group_name = added.singular + "_information";
      catalog.Put(std::move(p));
    }
  }
  for (PropertyDef& p : properties) {
    p.created_ms = p.updated_ms = added.created_ms;
    p.group_name = p.group_name.empty() ? added.singular + "_information" : p.group_name;
    names_.Intern(p.name);
    catalog.Put(std::move(p));
  }
  RefreshEnumerations();
  // Custom objects are associated with the engagements automatically (reference §4.2).
  for (int e : {int(ObjectTypeRegistry::kCalls), int(ObjectTypeRegistry::kEmails), int(ObjectTypeRegistry::kMeetings),
                int(ObjectTypeRegistry::kNotes), int(ObjectTypeRegistry::kTasks)})
    if (std::find(assoc.begin(), assoc.end(), e) == assoc.end()) assoc.push_back(e);
  for (int t : assoc) assoc_types_.AddDefaultPair(added.index, t, types_);
  return &added;
}

std::vector<PortalCounts> Portal::Counts() const {
  std::shared_lock lock(mu_);
  std::vector<PortalCounts> out;
  for (int i = 0; i < types_.size(); ++i) {
    const ObjectStore& s = states_[static_cast<size_t>(i)]->store;
    out.push_back({types_.at(i).name, s.live_count(), s.archived_count()});
  }
  return out;
}

size_t Portal::MemoryBytes() const {
  std::shared_lock lock(mu_);
  size_t n = graph_.MemoryBytes();
  for (const auto& s : states_) n += s->store.MemoryBytes();
  return n;
}

void Portal::Reset() {
  std::unique_lock lock(mu_);
  for (auto& s : states_) s->store.Clear();
  graph_.Clear();
  merged_into_.clear();
  merge_counts_.clear();
  blocklist_.clear();
  types_.RemoveCustom();
  assoc_types_.ResetToDefaults(types_);
  // Custom properties go too: rebuild the catalogs from the defaults.
  for (int i = 0; i < ObjectTypeRegistry::kBuiltIn; ++i) {
    states_[static_cast<size_t>(i)]->catalog = PropertyCatalog();
    for (PropertyDef& d : DefaultProperties(i)) states_[static_cast<size_t>(i)]->catalog.Put(std::move(d));
  }
  // Custom types' states are emptied, not freed: a request may still hold a removed type.
  for (size_t i = ObjectTypeRegistry::kBuiltIn; i < states_.size(); ++i) states_[i] = std::make_unique<TypeState>();
  RefreshEnumerations();
  next_id_ = options_.first_id;
}

void Portal::SetChangeListener(std::function<void(const ChangeEvent&)> listener) {
  std::unique_lock lock(mu_);
  listener_ = std::move(listener);
}

void Portal::Emit(ChangeEvent event) const {
  if (listener_) listener_(event);
}

std::vector<uint64_t> Portal::SampleIds(const ObjectType& type, size_t max, uint64_t seed) const {
  std::shared_lock lock(mu_);
  const auto& index = state(type).store.ids();
  std::vector<uint64_t> out;
  if (index.empty() || max == 0) return out;
  Rng rng(seed);
  for (size_t i = 0; i < max; ++i) out.push_back(index.Get(index.AtRank(rng.Below(index.size()))));
  return out;
}

bool Portal::IsBlocklisted(const std::string& email) const {
  std::shared_lock lock(mu_);
  std::string lower = Lower(email);
  return std::find(blocklist_.begin(), blocklist_.end(), lower) != blocklist_.end();
}

}  // namespace tajo::sandbox::hubspot
