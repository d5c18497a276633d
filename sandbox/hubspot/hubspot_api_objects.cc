// HubSpotSandbox: the CRM v3 objects endpoints (reference §1, §2).
#include <charconv>

#include "sandbox/hubspot/hubspot_sandbox.h"
#include "sandbox/hubspot/record_json.h"

namespace tajo::sandbox::hubspot {
namespace {

// Array query parameters arrive repeated (the Node client) or comma-separated (the docs):
// accept both (reference §1.3).
std::vector<std::string> ListParam(const http::HttpRequest& r, const char* name) {
  std::vector<std::string> out;
  for (const std::string& v : r.QueryAll(name)) {
    size_t pos = 0;
    while (pos <= v.size()) {
      size_t comma = v.find(',', pos);
      std::string item = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  return out;
}

// Parses "true"/"false"; absent is `fallback`.
std::optional<bool> BoolParam(const http::HttpRequest& r, const char* name, bool fallback) {
  auto v = r.Query(name);
  if (!v || v->empty()) return fallback;
  if (*v == "true") return true;
  if (*v == "false") return false;
  return std::nullopt;
}

std::optional<std::vector<std::pair<std::string, std::string>>> PropertiesFrom(const nlohmann::json& j,
                                                                              std::string* problem) {
  std::vector<std::pair<std::string, std::string>> out;
  if (j.is_null()) return out;
  if (!j.is_object()) {
    *problem = "properties must be an object of property names to string values";
    return std::nullopt;
  }
  for (const auto& [k, v] : j.items()) {
    if (v.is_string()) out.emplace_back(k, v.get<std::string>());
    else if (v.is_number_integer()) out.emplace_back(k, std::to_string(v.get<int64_t>()));
    else if (v.is_number()) out.emplace_back(k, v.dump());
    else if (v.is_boolean()) out.emplace_back(k, v.get<bool>() ? "true" : "false");
    else if (v.is_null()) out.emplace_back(k, "");
    else {
      *problem = "properties." + k + " must be a string";
      return std::nullopt;
    }
  }
  return out;
}

std::optional<std::vector<CreateAssociation>> AssociationsFrom(const nlohmann::json& j, std::string* problem) {
  std::vector<CreateAssociation> out;
  if (j.is_null()) return out;
  if (!j.is_array()) {
    *problem = "associations must be an array";
    return std::nullopt;
  }
  for (const auto& a : j) {
    CreateAssociation ca;
    if (!a.is_object() || !a.contains("to") || !a["to"].is_object() || !a["to"].contains("id")) {
      *problem = "associations[].to.id is required";
      return std::nullopt;
    }
    const auto& id = a["to"]["id"];
    ca.to_id = id.is_string() ? id.get<std::string>() : id.is_number_integer() ? std::to_string(id.get<int64_t>()) : "";
    if (!a.contains("types") || !a["types"].is_array()) {
      *problem = "associations[].types is required";
      return std::nullopt;
    }
    for (const auto& t : a["types"]) {
      if (!t.is_object() || !t.contains("associationTypeId") || !t["associationTypeId"].is_number_integer()) {
        *problem = "associations[].types[].associationTypeId must be an integer";
        return std::nullopt;
      }
      AssociationSpec spec;
      spec.type_id = t["associationTypeId"].get<uint32_t>();
      if (t.contains("associationCategory") && t["associationCategory"].is_string())
        spec.category = t["associationCategory"].get<std::string>();
      ca.types.push_back(spec);
    }
    out.push_back(std::move(ca));
  }
  return out;
}

std::string StringField(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return "";
}

// Checks a batch body's `inputs` array against the batch cap; returns the validation message, or "" when
// the body is fine.
std::string BatchInputsProblem(const nlohmann::json& body, int max_inputs) {
  if (!body.is_object() || !body.contains("inputs") || !body["inputs"].is_array())
    return "inputs is required and must be an array";
  if (static_cast<int>(body["inputs"].size()) > max_inputs)
    return "Too many inputs: " + std::to_string(body["inputs"].size()) + " (a batch takes at most " +
           std::to_string(max_inputs) + ")";
  return "";
}

// Collects inputs[].id into *ids. Returns false when an input has no id.
// REQUIRES: BatchInputsProblem(body, ...) is "".
bool BatchIds(const nlohmann::json& body, std::vector<std::string>* ids) {
  for (const auto& in : body["inputs"]) {
    std::string id = StringField(in, "id");
    if (id.empty()) return false;
    ids->push_back(id);
  }
  return true;
}

enum Mode { kCreate = 0, kUpdate = 1, kUpsert = 2 };

}  // namespace

http::HttpResponse HubSpotSandbox::ListObjects(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  Runtime rt = runtime();
  int limit = 10;
  if (auto l = r.Query("limit"); l && !l->empty()) {
    int v = 0;
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), v);
    if (ec != std::errc() || p != l->data() + l->size() || v < 1)
      return Error(ApiError::Validation("limit must be a positive integer, got \"" + *l + "\""));
    if (v > rt.list_max_limit) {
      if (rt.list_over_max_is_error)
        return Error(ApiError::Validation("limit must be at most " + std::to_string(rt.list_max_limit) + ", got " + *l));
      v = rt.list_max_limit;
    }
    limit = v;
  }
  auto archived = BoolParam(r, "archived", false);
  if (!archived) return Error(ApiError::Validation("archived must be true or false"));
  PropertySelection sel;
  sel.names = ListParam(r, "properties");
  sel.with_history = ListParam(r, "propertiesWithHistory");
  if (!sel.with_history.empty()) limit = std::min(limit, portal_->options().properties_with_history_max);
  auto page = portal_->List(*type, limit, r.Query("after").value_or(""), sel, ListParam(r, "associations"), *archived);
  if (!page.ok()) return Error(page.error());
  return JsonResponse(200, PageToJson(page.value(), false));
}

http::HttpResponse HubSpotSandbox::GetObject(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  auto archived = BoolParam(r, "archived", false);
  if (!archived) return Error(ApiError::Validation("archived must be true or false"));
  PropertySelection sel;
  sel.names = ListParam(r, "properties");
  sel.with_history = ListParam(r, "propertiesWithHistory");
  auto rec = portal_->Get(*type, r.Param("objectId"), r.Query("idProperty").value_or(""), sel,
                          ListParam(r, "associations"), *archived);
  if (!rec.ok()) return Error(rec.error());
  return JsonResponse(200, RecordToJson(rec.value()));
}

http::HttpResponse HubSpotSandbox::CreateObject(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (!body.is_object()) return Error(ApiError::Validation("Invalid input JSON: expected an object"));
  std::string problem;
  WriteInput in;
  auto props = PropertiesFrom(body.value("properties", nlohmann::json()), &problem);
  if (!props) return Error(ApiError::Validation(problem));
  auto assocs = AssociationsFrom(body.value("associations", nlohmann::json()), &problem);
  if (!assocs) return Error(ApiError::Validation(problem));
  in.properties = std::move(*props);
  in.associations = std::move(*assocs);
  in.object_write_trace_id = StringField(body, "objectWriteTraceId");
  auto rec = portal_->Create(*type, in, SourceFor(t));
  if (!rec.ok()) return Error(rec.error());
  return JsonResponse(201, RecordToJson(rec.value()));
}

http::HttpResponse HubSpotSandbox::UpdateObject(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (!body.is_object()) return Error(ApiError::Validation("Invalid input JSON: expected an object"));
  std::string problem;
  auto props = PropertiesFrom(body.value("properties", nlohmann::json()), &problem);
  if (!props) return Error(ApiError::Validation(problem));
  WriteInput in;
  in.id = r.Param("objectId");
  in.id_property = r.Query("idProperty").value_or("");
  in.properties = std::move(*props);
  auto rec = portal_->Update(*type, in, SourceFor(t));
  if (!rec.ok()) return Error(rec.error());
  return JsonResponse(200, RecordToJson(rec.value()));
}

http::HttpResponse HubSpotSandbox::ArchiveObject(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  auto done = portal_->Archive(*type, r.Param("objectId"), SourceFor(t));
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse HubSpotSandbox::BatchRead(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (std::string problem = BatchInputsProblem(body, runtime().batch_max_inputs); !problem.empty())
    return Error(ApiError::Validation(problem));
  std::vector<std::string> ids;
  if (!BatchIds(body, &ids)) return Error(ApiError::Validation("inputs[].id is required"));
  auto archived = BoolParam(r, "archived", false);
  if (!archived) return Error(ApiError::Validation("archived must be true or false"));
  PropertySelection sel;
  auto list = [&](const char* key, std::vector<std::string>* out) {
    if (body.contains(key) && body[key].is_array())
      for (const auto& p : body[key])
        if (p.is_string()) out->push_back(p.get<std::string>());
  };
  list("properties", &sel.names);
  list("propertiesWithHistory", &sel.with_history);
  int64_t started = clock_.NowMillis();
  auto out = portal_->BatchRead(*type, ids, StringField(body, "idProperty"), sel, *archived);
  if (!out.ok()) return Error(out.error());
  return JsonResponse(out->errors.empty() ? 200 : 207, BatchToJson(out.value(), started, clock_.NowMillis()));
}

http::HttpResponse HubSpotSandbox::BatchCreate(http::HttpRequest& r, const TokenInfo& t) { return BatchWrite(r, t, kCreate); }
http::HttpResponse HubSpotSandbox::BatchUpdate(http::HttpRequest& r, const TokenInfo& t) { return BatchWrite(r, t, kUpdate); }
http::HttpResponse HubSpotSandbox::BatchUpsert(http::HttpRequest& r, const TokenInfo& t) { return BatchWrite(r, t, kUpsert); }

http::HttpResponse HubSpotSandbox::BatchWrite(http::HttpRequest& r, const TokenInfo& t, int mode) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (std::string problem = BatchInputsProblem(body, runtime().batch_max_inputs); !problem.empty())
    return Error(ApiError::Validation(problem));
  std::vector<WriteInput> inputs;
  size_t i = 0;
  for (const auto& in : body["inputs"]) {
    std::string where = "inputs[" + std::to_string(i++) + "]";
    if (!in.is_object()) return Error(ApiError::Validation(where + " must be an object"));
    std::string problem;
    WriteInput w;
    auto props = PropertiesFrom(in.value("properties", nlohmann::json()), &problem);
    if (!props) return Error(ApiError::Validation(where + ": " + problem));
    w.properties = std::move(*props);
    if (mode == kCreate) {
      auto assocs = AssociationsFrom(in.value("associations", nlohmann::json()), &problem);
      if (!assocs) return Error(ApiError::Validation(where + ": " + problem));
      w.associations = std::move(*assocs);
    } else {
      w.id = StringField(in, "id");
      if (w.id.empty()) return Error(ApiError::Validation(where + ".id is required"));
      w.id_property = StringField(in, "idProperty");
    }
    w.object_write_trace_id = StringField(in, "objectWriteTraceId");
    inputs.push_back(std::move(w));
  }
  int64_t started = clock_.NowMillis();
  ApiResult<BatchOut> out = mode == kCreate   ? portal_->BatchCreate(*type, inputs, SourceFor(t))
                            : mode == kUpdate ? portal_->BatchUpdate(*type, inputs, SourceFor(t))
                                              : portal_->BatchUpsert(*type, inputs, SourceFor(t));
  if (!out.ok()) return Error(out.error());
  int status = !out->errors.empty() ? 207 : mode == kCreate ? 201 : 200;
  return JsonResponse(status, BatchToJson(out.value(), started, clock_.NowMillis()));
}

http::HttpResponse HubSpotSandbox::BatchArchive(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (std::string problem = BatchInputsProblem(body, runtime().batch_max_inputs); !problem.empty())
    return Error(ApiError::Validation(problem));
  std::vector<std::string> ids;
  if (!BatchIds(body, &ids)) return Error(ApiError::Validation("inputs[].id is required"));
  portal_->BatchArchive(*type, ids, SourceFor(t));
  return http::HttpResponse::Empty(204);
}

http::HttpResponse HubSpotSandbox::SearchObjects(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  Runtime rt = runtime();
  auto req = ParseSearchRequest(body, rt.search);
  if (!req.ok()) return Error(req.error());
  auto page = portal_->Search(*type, req.value(), rt.search.max_results);
  if (!page.ok()) return Error(page.error());
  return JsonResponse(200, PageToJson(page.value(), true));
}

http::HttpResponse HubSpotSandbox::MergeObjects(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  std::string primary = StringField(body, "primaryObjectId"), merged = StringField(body, "objectIdToMerge");
  if (primary.empty() || merged.empty())
    return Error(ApiError::Validation("primaryObjectId and objectIdToMerge are required"));
  auto rec = portal_->Merge(*type, primary, merged, SourceFor(t));
  if (!rec.ok()) return Error(rec.error());
  return JsonResponse(200, RecordToJson(rec.value()));
}

http::HttpResponse HubSpotSandbox::GdprDelete(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  const ObjectType* type = TypeParam(r, "objectType", &error);
  if (!type) return error;
  if (type->kind != TypeKind::kContact)
    return Error(ApiError::NotFound("No route found for POST " + r.RawPath()));
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  std::string id = StringField(body, "objectId");
  if (id.empty()) return Error(ApiError::Validation("objectId is required"));
  auto done = portal_->GdprDelete(*type, id, StringField(body, "idProperty"), SourceFor(t));
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

}  // namespace tajo::sandbox::hubspot
