#include "sandbox/brevo/crm.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "sandbox/common/rng.h"

namespace tajo::sandbox::brevo {
namespace {

ApiError NotFound() { return ApiError::NotFound("Document not found"); }

// Validates a company/deal create body: an object with a non-empty string name and, if given, object attributes.
// Returns the error, or nullopt when the body is fine.
std::optional<ApiError> CheckCreateBody(const nlohmann::json& body) {
  if (!body.is_object()) return ApiError::Invalid("Not valid data.");
  if (!body.contains("name") || !body["name"].is_string() || body["name"].get<std::string>().empty())
    return ApiError::Missing("name is required");
  if (body.contains("attributes") && !body["attributes"].is_null() && !body["attributes"].is_object())
    return ApiError::Invalid("attributes must be an object");
  return std::nullopt;
}

// Validates a company/deal update body: an object; name, if given, a non-empty string; attributes, if given, an
// object. Returns the error, or nullopt when the body is fine.
std::optional<ApiError> CheckUpdateBody(const nlohmann::json& body) {
  if (!body.is_object()) return ApiError::Invalid("Not valid data.");
  if (body.contains("name") && (!body["name"].is_string() || body["name"].get<std::string>().empty()))
    return ApiError::Invalid("name cannot be empty");
  if (body.contains("attributes") && !body["attributes"].is_null() && !body["attributes"].is_object())
    return ApiError::Invalid("attributes must be an object");
  return std::nullopt;
}

std::string Slug(const std::string& label) {
  std::string out;
  for (char c : label) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

}  // namespace

CrmStore::CrmStore(Clock& clock, std::function<bool(int64_t)> contact_exists, std::function<std::string(int64_t)> format_time)
    : clock_(clock), contact_exists_(std::move(contact_exists)), format_time_(std::move(format_time)) {
  LoadDefaults();
}

void CrmStore::LoadDefaults() {
  pipelines_.clear();
  company_attrs_.clear();
  deal_attrs_.clear();
  counter_ = 0;
  PipelineDef p;
  p.id = NewId();
  p.name = "Sales pipeline";
  for (const char* stage : {"New", "Qualified", "Proposal sent", "Negotiation", "Won", "Lost"}) {
    Rng rng(StableHash(std::string(p.id) + stage));
    uint64_t a = rng.Next(), b = rng.Next();
    p.stages.emplace_back(fmt::format("{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}", static_cast<uint32_t>(a >> 32),
                                      static_cast<uint16_t>(a >> 16), static_cast<uint16_t>(a) & 0xFFF,
                                      8 + static_cast<unsigned>((b >> 62) & 3), static_cast<unsigned>(b >> 48) & 0xFFF,
                                      b & 0xFFFFFFFFFFFFULL),
                          stage);
  }
  pipelines_.push_back(std::move(p));
  auto sys = [](std::vector<Attr>& list, const char* name, const char* label, const char* type, bool required) {
    Attr a;
    a.internal_name = name;
    a.label = label;
    a.type = type;
    a.required = required;
    a.system = true;
    list.push_back(std::move(a));
  };
  sys(company_attrs_, "name", "Company Name", "text", true);
  sys(company_attrs_, "domain", "Company domain", "text", false);
  sys(company_attrs_, "industry", "Industry", "text", false);
  sys(company_attrs_, "owner", "Company owner", "user", false);
  sys(company_attrs_, "owner_assign_date", "Owner assign date", "date", false);
  sys(company_attrs_, "phone_number", "Phone number", "number", false);
  sys(company_attrs_, "number_of_employees", "Number of employees", "number", false);
  sys(company_attrs_, "revenue", "Revenue", "number", false);
  sys(company_attrs_, "number_of_contacts", "Number of contacts", "number", false);
  sys(company_attrs_, "created_at", "Created at", "date", false);
  sys(company_attrs_, "last_updated_at", "Last updated at", "date", false);
  sys(deal_attrs_, "deal_name", "Deal Name", "text", true);
  sys(deal_attrs_, "deal_owner", "Deal Owner", "user", false);
  sys(deal_attrs_, "amount", "Amount", "number", false);
  sys(deal_attrs_, "pipeline", "Pipeline", "pipeline", false);
  sys(deal_attrs_, "deal_stage", "Deal Stage", "stage", false);
  sys(deal_attrs_, "close_date", "Close date", "date", false);
  sys(deal_attrs_, "stage_updated_at", "Stage updated at", "date", false);
  sys(deal_attrs_, "number_of_contacts", "Number of contacts", "number", false);
  sys(deal_attrs_, "created_at", "Created at", "date", false);
  sys(deal_attrs_, "last_updated_date", "Last updated date", "date", false);
}

std::string CrmStore::NewId() {
  // 24 hex digits like a Mongo ObjectId: a timestamp, then a counter mixed so ids look random.
  uint64_t n = ++counter_;
  uint64_t mixed = Rng(n * 0x9E3779B97F4A7C15ULL).Next();
  return fmt::format("{:08x}{:016x}", static_cast<uint32_t>(clock_.NowMillis() / 1000), mixed);
}

bool CrmStore::ValidId(const std::string& id) {
  return id.size() == 24 && std::all_of(id.begin(), id.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::optional<ApiError> CrmStore::ReadLinks(const nlohmann::json& body, const char* contacts_key, const char* others_key,
                                            bool others_are_deals, std::optional<std::set<int64_t>>* contacts,
                                            std::optional<std::set<std::string>>* others) const {
  if (contacts_key && body.contains(contacts_key) && !body[contacts_key].is_null()) {
    if (!body[contacts_key].is_array()) return ApiError::Invalid(std::string(contacts_key) + " must be an array of contact ids");
    std::set<int64_t> ids;
    for (const auto& v : body[contacts_key]) {
      if (!v.is_number_integer()) return ApiError::Invalid(std::string(contacts_key) + " must be an array of contact ids");
      if (!contact_exists_(v.get<int64_t>()))
        return ApiError::Invalid("Not valid data: contact " + std::to_string(v.get<int64_t>()) + " does not exist");
      ids.insert(v.get<int64_t>());
    }
    *contacts = std::move(ids);
  }
  if (others_key && body.contains(others_key) && !body[others_key].is_null()) {
    if (!body[others_key].is_array()) return ApiError::Invalid(std::string(others_key) + " must be an array of ids");
    std::set<std::string> ids;
    const auto& pool = others_are_deals ? deals_ : companies_;
    for (const auto& v : body[others_key]) {
      if (!v.is_string() || !pool.count(v.get<std::string>()))
        return ApiError::Invalid("Not valid data: " + std::string(others_are_deals ? "deal " : "company ") +
                                 (v.is_string() ? v.get<std::string>() : v.dump()) + " does not exist");
      ids.insert(v.get<std::string>());
    }
    *others = std::move(ids);
  }
  return std::nullopt;
}

void CrmStore::SetOthers(Object& o, bool is_company, const std::set<std::string>& ids) {
  auto& pool = is_company ? deals_ : companies_;
  for (const std::string& old : o.others)
    if (!ids.count(old) && pool.count(old)) pool[old].others.erase(o.id);
  for (const std::string& id : ids)
    if (pool.count(id)) pool[id].others.insert(o.id);
  o.others = ids;
}

void CrmStore::SetContacts(Object& o, bool, const std::set<int64_t>& ids) {
  o.contacts = ids;
  o.attributes["number_of_contacts"] = ids.size();
}

nlohmann::json CrmStore::CompanyJson(const Object& o) const {
  nlohmann::json attrs = o.attributes;
  attrs["created_at"] = format_time_(o.created_ms);
  attrs["last_updated_at"] = format_time_(o.modified_ms);
  attrs["number_of_contacts"] = o.contacts.size();
  return {{"id", o.id},
          {"attributes", std::move(attrs)},
          {"linkedContactsIds", std::vector<int64_t>(o.contacts.begin(), o.contacts.end())},
          {"linkedDealsIds", std::vector<std::string>(o.others.begin(), o.others.end())}};
}

nlohmann::json CrmStore::DealJson(const Object& o) const {
  nlohmann::json attrs = o.attributes;
  attrs["created_at"] = format_time_(o.created_ms);
  attrs["last_updated_date"] = format_time_(o.modified_ms);
  attrs["number_of_contacts"] = o.contacts.size();
  return {{"id", o.id},
          {"attributes", std::move(attrs)},
          {"linkedContactsIds", std::vector<int64_t>(o.contacts.begin(), o.contacts.end())},
          {"linkedCompaniesIds", std::vector<std::string>(o.others.begin(), o.others.end())}};
}

// A new object with a fresh id, created/modified now, the body's attributes and body["name"] stored as `name_key`.
// REQUIRES: mu_ held; CheckCreateBody(body) passed.
CrmStore::Object CrmStore::NewObject(const nlohmann::json& body, const char* name_key) {
  Object o;
  o.id = NewId();
  o.created_ms = o.modified_ms = clock_.NowMillis();
  if (body.contains("attributes") && body["attributes"].is_object()) o.attributes = body["attributes"];
  o.attributes[name_key] = body["name"];
  return o;
}

// ---- Companies.

ApiResult<std::string> CrmStore::CreateCompany(const nlohmann::json& body) {
  std::lock_guard lock(mu_);
  if (auto e = CheckCreateBody(body)) return *e;
  if (body.contains("countryCode") && !body["countryCode"].is_null() && !body["countryCode"].is_number_integer())
    return ApiError::Invalid("countryCode must be an integer");
  std::optional<std::set<int64_t>> contacts;
  std::optional<std::set<std::string>> deals;
  if (auto e = ReadLinks(body, "linkedContactsIds", "linkedDealsIds", true, &contacts, &deals)) return *e;
  Object o = NewObject(body, "name");
  std::string id = o.id;
  auto& stored = companies_[id] = std::move(o);
  SetContacts(stored, true, contacts.value_or(std::set<int64_t>{}));
  SetOthers(stored, true, deals.value_or(std::set<std::string>{}));
  return id;
}

ApiResult<nlohmann::json> CrmStore::GetCompany(const std::string& id) const {
  std::lock_guard lock(mu_);
  if (!ValidId(id)) return ApiError::Invalid("Route company id is not valid.");
  auto it = companies_.find(id);
  if (it == companies_.end()) return NotFound();
  return CompanyJson(it->second);
}

ApiResult<nlohmann::json> CrmStore::UpdateCompany(const std::string& id, const nlohmann::json& body) {
  std::lock_guard lock(mu_);
  if (!ValidId(id)) return ApiError::Invalid("Route company id is not valid.");
  auto it = companies_.find(id);
  if (it == companies_.end()) return NotFound();
  if (auto e = CheckUpdateBody(body)) return *e;
  std::optional<std::set<int64_t>> contacts;
  std::optional<std::set<std::string>> deals;
  if (auto e = ReadLinks(body, "linkedContactsIds", "linkedDealsIds", true, &contacts, &deals)) return *e;
  Object& o = it->second;
  if (body.contains("attributes") && body["attributes"].is_object())
    for (const auto& [k, v] : body["attributes"].items()) o.attributes[k] = v;
  if (body.contains("name")) o.attributes["name"] = body["name"];
  if (contacts) SetContacts(o, true, *contacts);  // link arrays replace the whole set
  if (deals) SetOthers(o, true, *deals);
  o.modified_ms = clock_.NowMillis();
  return CompanyJson(o);
}

ApiResult<Done> CrmStore::DeleteCompany(const std::string& id) {
  std::lock_guard lock(mu_);
  if (!ValidId(id)) return ApiError::Invalid("Route company id is not valid.");
  auto it = companies_.find(id);
  if (it == companies_.end()) return NotFound();
  SetOthers(it->second, true, {});
  companies_.erase(it);
  return Done{};
}

ApiResult<Done> CrmStore::LinkCompany(const std::string& id, const nlohmann::json& body) {
  std::lock_guard lock(mu_);
  if (!ValidId(id)) return ApiError::Invalid("Route company id is not valid.");
  auto it = companies_.find(id);
  if (it == companies_.end()) return NotFound();
  if (!body.is_object()) return ApiError::Invalid("Not valid data.");
  std::optional<std::set<int64_t>> link_c, unlink_c;
  std::optional<std::set<std::string>> link_d, unlink_d;
  if (auto e = ReadLinks(body, "linkContactIds", "linkDealsIds", true, &link_c, &link_d)) return *e;
  if (auto e = ReadLinks(body, nullptr, "unlinkDealsIds", true, nullptr, &unlink_d)) return *e;
  if (body.contains("unlinkContactIds") && !body["unlinkContactIds"].is_null()) {
    if (!body["unlinkContactIds"].is_array()) return ApiError::Invalid("unlinkContactIds must be an array of contact ids");
    unlink_c.emplace();
    for (const auto& v : body["unlinkContactIds"])
      if (v.is_number_integer()) unlink_c->insert(v.get<int64_t>());
  }
  Object& o = it->second;
  std::set<int64_t> contacts = o.contacts;
  if (link_c) contacts.insert(link_c->begin(), link_c->end());
  if (unlink_c)
    for (int64_t c : *unlink_c) contacts.erase(c);
  std::set<std::string> others = o.others;
  if (link_d) others.insert(link_d->begin(), link_d->end());
  if (unlink_d)
    for (const auto& d : *unlink_d) others.erase(d);
  SetContacts(o, true, contacts);
  SetOthers(o, true, others);
  o.modified_ms = clock_.NowMillis();
  return Done{};
}

nlohmann::json CrmStore::List(const std::map<std::string, Object>& objects, const CrmQuery& q, const char* name_key,
                              bool is_company) const {
  std::vector<const Object*> matched;
  for (const auto& [id, o] : objects) {
    if (q.name && (!o.attributes.contains(name_key) || !o.attributes[name_key].is_string() ||
                   o.attributes[name_key].get<std::string>() != *q.name))
      continue;
    if (q.linked_contact && !o.contacts.count(*q.linked_contact)) continue;
    if (q.linked_object && !o.others.count(*q.linked_object)) continue;
    if (q.modified_since_ms && o.modified_ms <= *q.modified_since_ms) continue;
    if (q.created_since_ms && o.created_ms <= *q.created_since_ms) continue;
    matched.push_back(&o);
  }
  std::stable_sort(matched.begin(), matched.end(), [&](const Object* a, const Object* b) {
    if (!q.sort_by.empty() && q.sort_by != "created_at") {
      std::string va = a->attributes.contains(q.sort_by) ? a->attributes[q.sort_by].dump() : "";
      std::string vb = b->attributes.contains(q.sort_by) ? b->attributes[q.sort_by].dump() : "";
      if (va != vb) return q.descending ? va > vb : va < vb;
    }
    if (a->created_ms != b->created_ms) return q.descending ? a->created_ms > b->created_ms : a->created_ms < b->created_ms;
    return q.descending ? a->id > b->id : a->id < b->id;
  });
  nlohmann::json items = nlohmann::json::array();
  for (size_t i = q.offset; i < matched.size() && items.size() < q.limit; ++i)
    items.push_back(is_company ? CompanyJson(*matched[i]) : DealJson(*matched[i]));
  return {{"items", std::move(items)}};
}

nlohmann::json CrmStore::ListCompanies(const CrmQuery& q) const {
  std::lock_guard lock(mu_);
  return List(companies_, q, "name", true);
}

// ---- Deals.

ApiResult<std::string> CrmStore::CreateDeal(const nlohmann::json& body) {
  std::lock_guard lock(mu_);
  if (auto e = CheckCreateBody(body)) return *e;
  std::optional<std::set<int64_t>> contacts;
  std::optional<std::set<std::string>> companies;
  if (auto e = ReadLinks(body, "linkedContactsIds", "linkedCompaniesIds", false, &contacts, &companies)) return *e;
  Object o = NewObject(body, "deal_name");
  // Placement: the given pipeline and stage (both must exist, the stage in that pipeline), else
  // the first stage of the default pipeline.
  const PipelineDef* pipeline = &pipelines_.front();
  if (o.attributes.contains("pipeline")) {
    auto it = std::find_if(pipelines_.begin(), pipelines_.end(),
                           [&](const PipelineDef& p) { return o.attributes["pipeline"] == p.id; });
    if (it == pipelines_.end()) return ApiError::Invalid("Pipeline not found");
    pipeline = &*it;
  }
  if (o.attributes.contains("deal_stage")) {
    bool found = std::any_of(pipeline->stages.begin(), pipeline->stages.end(),
                             [&](const auto& s) { return o.attributes["deal_stage"] == s.first; });
    if (!found) return ApiError::Invalid("deal_stage is not a stage of the pipeline");
  } else {
    o.attributes["deal_stage"] = pipeline->stages.front().first;
  }
  o.attributes["pipeline"] = pipeline->id;
  o.attributes["stage_updated_at"] = format_time_(o.created_ms);
  std::string id = o.id;
  auto& stored = deals_[id] = std::move(o);
  SetContacts(stored, false, contacts.value_or(std::set<int64_t>{}));
  SetOthers(stored, false, companies.value_or(std::set<std::string>{}));
  return id;
}

ApiResult<nlohmann::json> CrmStore::GetDeal(const std::string& id) const {
  std::lock_guard lock(mu_);
  if (!ValidId(id)) return ApiError::Invalid("Route attribute id is not valid.");
  auto it = deals_.find(id);
  if (it == deals_.end()) return NotFound();
  return DealJson(it->second);
}

ApiResult<Done> CrmStore::UpdateDeal(const std::string& id, const nlohmann::json& body) {
  std::lock_guard lock(mu_);
  if (!ValidId(id)) return ApiError::Invalid("Route attribute id is not valid.");
  auto it = deals_.find(id);
  if (it == deals_.end()) return NotFound();
  if (auto e = CheckUpdateBody(body)) return *e;
  nlohmann::json attrs = body.contains("attributes") && body["attributes"].is_object() ? body["attributes"] : nlohmann::json::object();
  std::optional<std::set<int64_t>> contacts;
  std::optional<std::set<std::string>> companies;
  if (auto e = ReadLinks(body, "linkedContactsIds", "linkedCompaniesIds", false, &contacts, &companies)) return *e;
  Object& o = it->second;
  // Moving to another pipeline needs both pipeline and deal_stage (reference §5.2).
  if (attrs.contains("pipeline") && !attrs["pipeline"].is_string()) return ApiError::Invalid("pipeline must be a pipeline id");
  std::string pipeline_id = attrs.contains("pipeline") ? attrs["pipeline"].get<std::string>() : o.attributes["pipeline"].get<std::string>();
  if (attrs.contains("pipeline") && pipeline_id != o.attributes["pipeline"] && !attrs.contains("deal_stage"))
    return ApiError::Invalid("To move a deal to another pipeline send both pipeline and deal_stage");
  auto pipeline = std::find_if(pipelines_.begin(), pipelines_.end(), [&](const PipelineDef& p) { return p.id == pipeline_id; });
  if (pipeline == pipelines_.end()) return ApiError::Invalid("Pipeline not found");
  if (attrs.contains("deal_stage")) {
    bool found = std::any_of(pipeline->stages.begin(), pipeline->stages.end(),
                             [&](const auto& s) { return attrs["deal_stage"] == s.first; });
    if (!found) return ApiError::Invalid("deal_stage is not a stage of the pipeline");
    if (attrs["deal_stage"] != o.attributes["deal_stage"]) o.attributes["stage_updated_at"] = format_time_(clock_.NowMillis());
  }
  for (const auto& [k, v] : attrs.items()) o.attributes[k] = v;
  if (body.contains("name")) o.attributes["deal_name"] = body["name"];
  if (contacts) SetContacts(o, false, *contacts);
  if (companies) SetOthers(o, false, *companies);
  o.modified_ms = clock_.NowMillis();
  return Done{};
}

ApiResult<Done> CrmStore::DeleteDeal(const std::string& id) {
  std::lock_guard lock(mu_);
  if (!ValidId(id)) return ApiError::Invalid("Route attribute id is not valid.");
  auto it = deals_.find(id);
  if (it == deals_.end()) return NotFound();
  SetOthers(it->second, false, {});
  deals_.erase(it);
  return Done{};
}

ApiResult<Done> CrmStore::LinkDeal(const std::string& id, const nlohmann::json& body) {
  std::lock_guard lock(mu_);
  if (!ValidId(id)) return ApiError::Invalid("Route attribute id is not valid.");
  auto it = deals_.find(id);
  if (it == deals_.end()) return NotFound();
  if (!body.is_object()) return ApiError::Invalid("Not valid data.");
  std::optional<std::set<int64_t>> link_c;
  std::optional<std::set<std::string>> link_co, unlink_co;
  if (auto e = ReadLinks(body, "linkContactIds", "linkCompanyIds", false, &link_c, &link_co)) return *e;
  if (auto e = ReadLinks(body, nullptr, "unlinkCompanyIds", false, nullptr, &unlink_co)) return *e;
  Object& o = it->second;
  std::set<int64_t> contacts = o.contacts;
  if (link_c) contacts.insert(link_c->begin(), link_c->end());
  if (body.contains("unlinkContactIds") && body["unlinkContactIds"].is_array())
    for (const auto& v : body["unlinkContactIds"])
      if (v.is_number_integer()) contacts.erase(v.get<int64_t>());
  std::set<std::string> others = o.others;
  if (link_co) others.insert(link_co->begin(), link_co->end());
  if (unlink_co)
    for (const auto& c : *unlink_co) others.erase(c);
  SetContacts(o, false, contacts);
  SetOthers(o, false, others);
  o.modified_ms = clock_.NowMillis();
  return Done{};
}

nlohmann::json CrmStore::ListDeals(const CrmQuery& q) const {
  std::lock_guard lock(mu_);
  return List(deals_, q, "deal_name", false);
}

// ---- Pipelines and attributes.

nlohmann::json CrmStore::PipelineJson(const PipelineDef& p) const {
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& [id, name] : p.stages) stages.push_back({{"id", id}, {"name", name}});
  return {{"pipeline", p.id}, {"pipeline_name", p.name}, {"stages", std::move(stages)}};
}

nlohmann::json CrmStore::Pipelines() const {
  std::lock_guard lock(mu_);
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& p : pipelines_) arr.push_back(PipelineJson(p));
  return arr;
}

nlohmann::json CrmStore::DefaultPipeline() const {
  std::lock_guard lock(mu_);
  return PipelineJson(pipelines_.front());
}

ApiResult<nlohmann::json> CrmStore::Pipeline(const std::string& id) const {
  std::lock_guard lock(mu_);
  for (const auto& p : pipelines_)
    if (p.id == id) return nlohmann::json::array({PipelineJson(p)});
  return ApiError::Invalid("Pipeline not found");
}

nlohmann::json CrmStore::Attributes(const std::string& object_type) const {
  std::lock_guard lock(mu_);
  nlohmann::json arr = nlohmann::json::array();
  for (const Attr& a : object_type == "companies" ? company_attrs_ : deal_attrs_) {
    nlohmann::json options = nlohmann::json::array();
    for (const auto& o : a.options) options.push_back({{"key", Slug(o)}, {"value", o}});
    arr.push_back({{"internalName", a.internal_name},
                   {"label", a.label},
                   {"attributeTypeName", a.type},
                   {"attributeOptions", std::move(options)},
                   {"isRequired", a.required},
                   {"isValueReadonly", a.internal_name == "created_at" || a.internal_name == "number_of_contacts"}});
  }
  return arr;
}

ApiResult<std::string> CrmStore::CreateAttribute(const nlohmann::json& body) {
  std::lock_guard lock(mu_);
  if (!body.is_object()) return ApiError::Invalid("Not valid data.");
  auto str = [&](const char* key) { return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : ""; };
  std::string label = str("label"), type = str("attributeType"), object = str("objectType");
  if (label.empty() || label.size() > 50) return ApiError::Invalid("label is required (at most 50 characters)");
  static const std::set<std::string> kTypes = {"text", "user", "number", "single-select", "date", "boolean", "multi-choice"};
  if (!kTypes.count(type)) return ApiError::Invalid("attributeType must be text, user, number, single-select, date, boolean or multi-choice");
  if (object != "companies" && object != "deals") return ApiError::Invalid("objectType must be companies or deals");
  auto& list = object == "companies" ? company_attrs_ : deal_attrs_;
  std::string internal = Slug(label);
  for (const Attr& a : list)
    if (a.internal_name == internal || a.label == label) return ApiError::Duplicate("An attribute with this label already exists");
  Attr a;
  a.id = NewId();
  a.internal_name = internal;
  a.label = label;
  a.type = type;
  if (type == "single-select" || type == "multi-choice") {
    if (!body.contains("optionsLabels") || !body["optionsLabels"].is_array() || body["optionsLabels"].empty())
      return ApiError::Missing("optionsLabels is required for single-select and multi-choice attributes");
    for (const auto& o : body["optionsLabels"])
      if (o.is_string()) a.options.push_back(o.get<std::string>());
  }
  std::string id = a.id;
  list.push_back(std::move(a));
  return id;
}

void CrmStore::ForgetContact(int64_t contact_id) {
  std::lock_guard lock(mu_);
  for (auto* pool : {&companies_, &deals_})
    for (auto& [id, o] : *pool) o.contacts.erase(contact_id);
}

void CrmStore::Reset() {
  std::lock_guard lock(mu_);
  companies_.clear();
  deals_.clear();
  LoadDefaults();
}

size_t CrmStore::companies() const {
  std::lock_guard lock(mu_);
  return companies_.size();
}

size_t CrmStore::deals() const {
  std::lock_guard lock(mu_);
  return deals_.size();
}

}  // namespace tajo::sandbox::brevo
