// HubSpotSandbox: properties, pipelines, owners and custom-object schemas (reference §4).
#include <algorithm>
#include <charconv>

#include "sandbox/hubspot/hubspot_sandbox.h"
#include "sandbox/hubspot/record_json.h"

namespace tajo::sandbox::hubspot {

http::HttpResponse HubSpotSandbox::ListProperties(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  bool archived = r.Query("archived").value_or("false") == "true";
  nlohmann::json results = nlohmann::json::array();
  for (const PropertyDef& d : portal_->Properties(*type, archived)) results.push_back(d.ToJson());
  return JsonResponse(200, {{"results", std::move(results)}});
}

http::HttpResponse HubSpotSandbox::GetProperty(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  auto def = portal_->Property(*type, r.Param("propertyName"));
  if (!def.ok()) return Error(def.error());
  return JsonResponse(200, def->ToJson());
}

http::HttpResponse HubSpotSandbox::CreateProperty(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  PropertyDef def;
  std::string problem = PropertyFromJson(body, &def);
  if (!problem.empty()) return Error(ApiError::Validation(problem));
  auto created = portal_->CreateProperty(*type, std::move(def));
  if (!created.ok()) return Error(created.error());
  return JsonResponse(201, created->ToJson());
}

http::HttpResponse HubSpotSandbox::ArchiveProperty(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  auto done = portal_->ArchiveProperty(*type, r.Param("propertyName"));
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse HubSpotSandbox::ListPipelines(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  nlohmann::json results = nlohmann::json::array();
  for (const Pipeline& p : portal_->Pipelines(*type)) results.push_back(PipelineToJson(p, type->kind == TypeKind::kTicket));
  return JsonResponse(200, {{"results", std::move(results)}});
}

http::HttpResponse HubSpotSandbox::GetPipeline(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  for (const Pipeline& p : portal_->Pipelines(*type))
    if (p.id == r.Param("pipelineId")) return JsonResponse(200, PipelineToJson(p, type->kind == TypeKind::kTicket));
  return Error(ApiError::NotFound("Unable to find pipeline " + r.Param("pipelineId")));
}

http::HttpResponse HubSpotSandbox::ListStages(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  for (const Pipeline& p : portal_->Pipelines(*type)) {
    if (p.id != r.Param("pipelineId")) continue;
    nlohmann::json results = nlohmann::json::array();
    for (const Stage& s : p.stages) results.push_back(StageToJson(s, p.created_ms));
    return JsonResponse(200, {{"results", std::move(results)}});
  }
  return Error(ApiError::NotFound("Unable to find pipeline " + r.Param("pipelineId")));
}

http::HttpResponse HubSpotSandbox::GetStage(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  for (const Pipeline& p : portal_->Pipelines(*type)) {
    if (p.id != r.Param("pipelineId")) continue;
    for (const Stage& s : p.stages)
      if (s.id == r.Param("stageId")) return JsonResponse(200, StageToJson(s, p.created_ms));
  }
  return Error(ApiError::NotFound("Unable to find stage " + r.Param("stageId")));
}

http::HttpResponse HubSpotSandbox::ListOwners(http::HttpRequest& r, const TokenInfo&) {
  int limit = 100;
  if (auto l = r.Query("limit"); l && !l->empty()) {
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || p != l->data() + l->size() || limit < 1)
      return Error(ApiError::Validation("limit must be a positive integer"));
    limit = std::min(limit, 500);
  }
  bool archived = r.Query("archived").value_or("false") == "true";
  std::string email = r.Query("email").value_or("");
  size_t offset = 0;
  if (auto a = r.Query("after"); a && !a->empty()) {
    auto [p, ec] = std::from_chars(a->data(), a->data() + a->size(), offset);
    if (ec != std::errc() || p != a->data() + a->size()) return Error(ApiError::Validation("after is not a valid cursor"));
  }
  std::vector<Owner> matching;
  for (const Owner& o : portal_->Owners())
    if (o.archived == archived && (email.empty() || http::EqualsIgnoreCase(email, o.email))) matching.push_back(o);
  nlohmann::json results = nlohmann::json::array();
  for (size_t i = offset; i < matching.size() && results.size() < static_cast<size_t>(limit); ++i)
    results.push_back(OwnerToJson(matching[i]));
  nlohmann::json body = {{"results", std::move(results)}};
  size_t next = offset + static_cast<size_t>(limit);
  if (next < matching.size())
    body["paging"] = {{"next", {{"after", std::to_string(next)}, {"link", "?after=" + std::to_string(next)}}}};
  return JsonResponse(200, body);
}

http::HttpResponse HubSpotSandbox::GetOwner(http::HttpRequest& r, const TokenInfo&) {
  std::string id = r.Param("ownerId");
  bool by_user = r.Query("idProperty").value_or("id") == "userId";
  bool archived = r.Query("archived").value_or("false") == "true";
  for (const Owner& o : portal_->Owners()) {
    if (o.archived != archived) continue;
    if ((!by_user && o.id == id) || (by_user && std::to_string(o.user_id) == id)) return JsonResponse(200, OwnerToJson(o));
  }
  return Error(ApiError::NotFound("Owner " + id + " not found"));
}

http::HttpResponse HubSpotSandbox::ListSchemas(http::HttpRequest&, const TokenInfo&) {
  nlohmann::json results = nlohmann::json::array();
  for (const ObjectType* t : portal_->Types())
    if (t->kind == TypeKind::kCustom) results.push_back(SchemaToJson(*t, portal_->Properties(*t, false), portal_->portal_id()));
  return JsonResponse(200, {{"results", std::move(results)}});
}

http::HttpResponse HubSpotSandbox::GetSchema(http::HttpRequest& r, const TokenInfo&) {
  const ObjectType* t = portal_->FindType(r.Param("objectType"));
  if (!t || t->kind != TypeKind::kCustom) return Error(ApiError::NotFound("Unable to find object type " + r.Param("objectType")));
  return JsonResponse(200, SchemaToJson(*t, portal_->Properties(*t, false), portal_->portal_id()));
}

http::HttpResponse HubSpotSandbox::CreateSchema(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (!body.is_object()) return Error(ApiError::Validation("Invalid input JSON: expected an object"));
  ObjectType type;
  auto str = [&](const char* key) {
    return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : std::string();
  };
  auto strs = [&](const char* key) {
    std::vector<std::string> out;
    if (body.contains(key) && body[key].is_array())
      for (const auto& v : body[key])
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
  };
  type.singular = str("name");
  if (type.singular.empty()) return Error(ApiError::Validation("name is required"));
  if (!body.contains("labels") || !body["labels"].is_object())
    return Error(ApiError::Validation("labels {singular, plural} is required"));
  type.label_singular = body["labels"].value("singular", "");
  type.label_plural = body["labels"].value("plural", "");
  type.primary_display_property = str("primaryDisplayProperty");
  type.secondary_display_properties = strs("secondaryDisplayProperties");
  type.searchable_properties = strs("searchableProperties");
  type.required_properties = strs("requiredProperties");
  type.description = str("description");
  std::vector<PropertyDef> props;
  if (body.contains("properties") && body["properties"].is_array()) {
    for (const auto& p : body["properties"]) {
      PropertyDef def;
      nlohmann::json with_group = p;
      if (with_group.is_object() && !with_group.contains("groupName")) with_group["groupName"] = type.singular + "_information";
      std::string problem = PropertyFromJson(with_group, &def);
      if (!problem.empty()) return Error(ApiError::Validation("properties: " + problem));
      props.push_back(std::move(def));
    }
  }
  for (const std::string& req : type.required_properties) {
    bool found = std::any_of(props.begin(), props.end(), [&](const PropertyDef& d) { return d.name == req; });
    if (!found) return Error(ApiError::Validation("requiredProperties: " + req + " is not one of the properties"));
  }
  auto created = portal_->CreateSchema(std::move(type), std::move(props), strs("associatedObjects"));
  if (!created.ok()) return Error(created.error());
  const ObjectType* t = created.value();
  return JsonResponse(201, SchemaToJson(*t, portal_->Properties(*t, false), portal_->portal_id()));
}

}  // namespace tajo::sandbox::hubspot
