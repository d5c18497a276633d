#include "sandbox/hubspot/record_json.h"

#include "sandbox/common/time_format.h"

namespace tajo::sandbox::hubspot {

nlohmann::json RecordToJson(const RecordOut& r) {
  nlohmann::json props = nlohmann::json::object();
  for (const auto& [name, value] : r.properties) props[name] = value ? nlohmann::json(*value) : nlohmann::json();
  nlohmann::json j = {{"id", std::to_string(r.id)},
                      {"properties", std::move(props)},
                      {"createdAt", FormatIsoMillis(r.created_ms)},
                      {"updatedAt", FormatIsoMillis(r.updated_ms)},
                      {"archived", r.archived}};
  if (r.archived) j["archivedAt"] = FormatIsoMillis(r.archived_ms);
  if (!r.history.empty()) {
    nlohmann::json h = nlohmann::json::object();
    for (const auto& [name, vt] : r.history)
      h[name] = nlohmann::json::array({{{"value", vt.first}, {"timestamp", FormatIsoMillis(vt.second)},
                                         {"sourceType", "API"}}});
    j["propertiesWithHistory"] = std::move(h);
  }
  if (r.has_associations && !r.associations.empty()) {
    nlohmann::json a = nlohmann::json::object();
    for (const auto& [to_type, refs] : r.associations) {
      nlohmann::json results = nlohmann::json::array();
      for (const AssociatedRef& ref : refs) results.push_back({{"id", std::to_string(ref.id)}, {"type", ref.type}});
      a[to_type] = {{"results", std::move(results)}};
    }
    j["associations"] = std::move(a);
  }
  if (r.is_new) j["new"] = *r.is_new;
  if (!r.object_write_trace_id.empty()) j["objectWriteTraceId"] = r.object_write_trace_id;
  return j;
}

nlohmann::json PageToJson(const RecordPage& page, bool with_total) {
  nlohmann::json results = nlohmann::json::array();
  for (const RecordOut& r : page.results) results.push_back(RecordToJson(r));
  nlohmann::json j = nlohmann::json::object();
  if (with_total) j["total"] = page.total;
  j["results"] = std::move(results);
  if (page.next_after)
    j["paging"] = {{"next", {{"after", *page.next_after}, {"link", "?after=" + *page.next_after}}}};
  return j;
}

nlohmann::json StandardErrorJson(const BatchError& e) {
  nlohmann::json context = e.error.context.is_object() ? e.error.context : nlohmann::json::object();
  nlohmann::json j = {{"status", "error"},
                      {"category", e.error.category},
                      {"message", e.error.message},
                      {"context", context},
                      {"errors", e.error.errors.is_array() ? e.error.errors : nlohmann::json::array()},
                      {"links", nlohmann::json::object()}};
  if (!e.id.empty()) j["id"] = e.id;
  return j;
}

nlohmann::json BatchToJson(const BatchOut& batch, int64_t started_ms, int64_t completed_ms) {
  nlohmann::json results = nlohmann::json::array();
  for (const RecordOut& r : batch.results) results.push_back(RecordToJson(r));
  return BatchEnvelopeJson(std::move(results), batch.errors, started_ms, completed_ms);
}

nlohmann::json BatchEnvelopeJson(nlohmann::json results, const std::vector<BatchError>& errors, int64_t started_ms,
                                 int64_t completed_ms) {
  nlohmann::json j = {{"status", "COMPLETE"},
                      {"results", std::move(results)},
                      {"startedAt", FormatIsoMillis(started_ms)},
                      {"completedAt", FormatIsoMillis(completed_ms)}};
  if (!errors.empty()) {
    nlohmann::json out = nlohmann::json::array();
    for (const BatchError& e : errors) out.push_back(StandardErrorJson(e));
    j["numErrors"] = errors.size();
    j["errors"] = std::move(out);
  }
  return j;
}

nlohmann::json StageToJson(const Stage& s, int64_t created_ms) {
  nlohmann::json meta = nlohmann::json::object();
  for (const auto& [k, v] : s.metadata) meta[k] = v;
  return {{"id", s.id},
          {"label", s.label},
          {"displayOrder", s.display_order},
          {"metadata", std::move(meta)},
          {"createdAt", FormatIsoMillis(created_ms)},
          {"updatedAt", FormatIsoMillis(created_ms)},
          {"archived", false},
          {"writePermissions", s.write_permissions}};
}

nlohmann::json PipelineToJson(const Pipeline& p, bool) {
  nlohmann::json stages = nlohmann::json::array();
  for (const Stage& s : p.stages) stages.push_back(StageToJson(s, p.created_ms));
  return {{"id", p.id},
          {"label", p.label},
          {"displayOrder", p.display_order},
          {"stages", std::move(stages)},
          {"createdAt", FormatIsoMillis(p.created_ms)},
          {"updatedAt", FormatIsoMillis(p.updated_ms)},
          {"archived", false}};
}

nlohmann::json OwnerToJson(const Owner& o) {
  nlohmann::json teams = nlohmann::json::array();
  bool first = true;
  for (const auto& [id, name] : o.teams) {
    teams.push_back({{"id", id}, {"name", name}, {"primary", first}});
    first = false;
  }
  return {{"id", o.id},
          {"email", o.email},
          {"type", "PERSON"},
          {"firstName", o.first_name},
          {"lastName", o.last_name},
          {"userId", o.archived ? nlohmann::json() : nlohmann::json(o.user_id)},
          {"userIdIncludingInactive", o.user_id},
          {"createdAt", FormatIsoMillis(o.created_ms)},
          {"updatedAt", FormatIsoMillis(o.updated_ms)},
          {"archived", o.archived},
          {"teams", std::move(teams)}};
}

nlohmann::json SchemaToJson(const ObjectType& t, const std::vector<PropertyDef>& properties, int64_t) {
  nlohmann::json props = nlohmann::json::array();
  for (const PropertyDef& p : properties) props.push_back(p.ToJson());
  return {{"id", t.type_id.substr(2)},
          {"objectTypeId", t.type_id},
          {"name", t.singular},
          {"fullyQualifiedName", t.fully_qualified_name},
          {"labels", {{"singular", t.label_singular}, {"plural", t.label_plural}}},
          {"description", t.description},
          {"primaryDisplayProperty", t.primary_display_property},
          {"secondaryDisplayProperties", t.secondary_display_properties},
          {"searchableProperties", t.searchable_properties},
          {"requiredProperties", t.required_properties},
          {"properties", std::move(props)},
          {"associations", nlohmann::json::array()},
          {"archived", false},
          {"createdAt", FormatIsoMillis(t.created_ms)},
          {"updatedAt", FormatIsoMillis(t.updated_ms)}};
}

}  // namespace tajo::sandbox::hubspot
