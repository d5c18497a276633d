// HubSpotSandbox: associations endpoints (reference §1.11, §3).
#include <charconv>
#include <limits>

#include "sandbox/common/time_format.h"
#include "sandbox/hubspot/hubspot_sandbox.h"
#include "sandbox/hubspot/record_json.h"

namespace tajo::sandbox::hubspot {
namespace {

// The reference gives no input cap for v4 association batches; we take 1,000.
constexpr size_t kMaxAssociationInputs = 1000;

std::string IdOf(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return std::to_string(j.get<int64_t>());
  if (j.is_object() && j.contains("id")) return IdOf(j["id"]);
  return "";
}

nlohmann::json TypesJson(const AssociationOut& a) {
  nlohmann::json types = nlohmann::json::array();
  for (const auto& t : a.types)
    types.push_back({{"category", t.category}, {"typeId", t.type_id}, {"label", t.label ? nlohmann::json(*t.label) : nlohmann::json()}});
  return types;
}

uint64_t AsNumber(const std::string& s) {
  uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Checks a batch body's `inputs` array and its size against max_inputs; returns the validation message, or
// "" when the body is fine.
std::string InputsProblem(const nlohmann::json& body, size_t max_inputs) {
  if (!body.is_object() || !body.contains("inputs") || !body["inputs"].is_array())
    return "inputs is required and must be an array";
  if (body["inputs"].size() > max_inputs) return "Too many inputs: at most " + std::to_string(max_inputs);
  return "";
}

// Parses a whole decimal association type id. Returns false (and leaves *out unspecified) otherwise.
bool ParseTypeId(const std::string& s, uint32_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool ParseSpecs(const nlohmann::json& j, std::vector<AssociationSpec>* out, std::string* problem) {
  if (!j.is_array()) {
    *problem = "expected an array of {associationCategory, associationTypeId}";
    return false;
  }
  for (const auto& s : j) {
    if (!s.is_object() || !s.contains("associationTypeId") || !s["associationTypeId"].is_number_integer()) {
      *problem = "associationTypeId is required and must be an integer";
      return false;
    }
    AssociationSpec spec;
    spec.type_id = s["associationTypeId"].get<uint32_t>();
    if (s.contains("associationCategory") && s["associationCategory"].is_string())
      spec.category = s["associationCategory"].get<std::string>();
    out->push_back(spec);
  }
  return true;
}

}  // namespace

http::HttpResponse HubSpotSandbox::ListAssociationsV4(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "objectType", &error);
  if (!from) return error;
  int limit = 500;
  if (auto l = r.Query("limit"); l && !l->empty()) {
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || p != l->data() + l->size() || limit < 1)
      return Error(ApiError::Validation("limit must be a positive integer"));
    limit = std::min(limit, 500);
  }
  auto page = portal_->ListAssociations(*from, r.Param("objectId"), *to, limit, r.Query("after").value_or(""));
  if (!page.ok()) return Error(page.error());
  bool v3 = r.RawPath().rfind("/crm/v3/", 0) == 0;
  nlohmann::json results = nlohmann::json::array();
  std::vector<AssociationType> all = portal_->AssociationTypes(*from, *to);
  for (const AssociationOut& a : page->results) {
    if (v3) {
      for (const auto& t : a.types)
        for (const AssociationType& def : all)
          if (def.id == t.type_id) results.push_back({{"id", std::to_string(a.to_id)}, {"type", def.v3_name}});
    } else {
      // v4 returns ids as JSON numbers (reference §3.1: the docs' examples; clients accept both).
      results.push_back({{"toObjectId", a.to_id}, {"associationTypes", TypesJson(a)}});
    }
  }
  nlohmann::json body = {{"results", std::move(results)}};
  if (page->next_after)
    body["paging"] = {{"next", {{"after", *page->next_after}, {"link", "?after=" + *page->next_after}}}};
  return JsonResponse(200, body);
}

http::HttpResponse HubSpotSandbox::AssociateDefaultV4(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "fromObjectType", &error);
  if (!from) return error;
  int64_t started = clock_.NowMillis();
  auto spec = portal_->AssociateDefault(*from, r.Param("fromObjectId"), *to, r.Param("toObjectId"), SourceFor(t));
  if (!spec.ok()) return Error(spec.error());
  nlohmann::json result = {{"from", {{"id", r.Param("fromObjectId")}}},
                           {"to", {{"id", r.Param("toObjectId")}}},
                           {"associationSpec", {{"associationCategory", spec->category}, {"associationTypeId", spec->type_id}}}};
  return JsonResponse(200, BatchEnvelopeJson(nlohmann::json::array({result}), {}, started, clock_.NowMillis()));
}

http::HttpResponse HubSpotSandbox::AssociateLabelledV4(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "objectType", &error);
  if (!from) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  std::vector<AssociationSpec> specs;
  std::string problem;
  if (!ParseSpecs(body, &specs, &problem)) return Error(ApiError::Validation(problem));
  auto labels = portal_->Associate(*from, r.Param("objectId"), *to, r.Param("toObjectId"), specs, SourceFor(t));
  if (!labels.ok()) return Error(labels.error());
  return JsonResponse(201, {{"fromObjectTypeId", from->type_id},
                            {"fromObjectId", AsNumber(r.Param("objectId"))},
                            {"toObjectTypeId", to->type_id},
                            {"toObjectId", AsNumber(r.Param("toObjectId"))},
                            {"labels", labels.value()}});
}

http::HttpResponse HubSpotSandbox::DeleteAssociationsV4(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "objectType", &error);
  if (!from) return error;
  auto done = portal_->Disassociate(*from, r.Param("objectId"), *to, r.Param("toObjectId"), {}, SourceFor(t));
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse HubSpotSandbox::AssociateV3Path(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "objectType", &error);
  if (!from) return error;
  uint32_t type_id = 0;
  std::string tid = r.Param("associationTypeId");
  if (!ParseTypeId(tid, &type_id))
    return Error(ApiError::Validation("associationTypeId must be an integer, got \"" + tid + "\""));
  auto labels = portal_->Associate(*from, r.Param("objectId"), *to, r.Param("toObjectId"), {{"", type_id}}, SourceFor(t));
  if (!labels.ok()) return Error(labels.error());
  auto rec = portal_->Get(*from, r.Param("objectId"), "", {}, {to->name}, false);
  if (!rec.ok()) return Error(rec.error());
  return JsonResponse(200, RecordToJson(rec.value()));
}

http::HttpResponse HubSpotSandbox::DisassociateV3Path(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "objectType", &error);
  if (!from) return error;
  uint32_t type_id = 0;
  std::string tid = r.Param("associationTypeId");
  if (!ParseTypeId(tid, &type_id))
    return Error(ApiError::Validation("associationTypeId must be an integer, got \"" + tid + "\""));
  auto done = portal_->Disassociate(*from, r.Param("objectId"), *to, r.Param("toObjectId"), {{"", type_id}}, SourceFor(t));
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse HubSpotSandbox::AssociationBatch(http::HttpRequest& r, int ok_status, const AssociationBatchStep& step) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "fromObjectType", &error);
  if (!from) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (std::string problem = InputsProblem(body, kMaxAssociationInputs); !problem.empty())
    return Error(ApiError::Validation(problem));
  int64_t started = clock_.NowMillis();
  nlohmann::json results = nlohmann::json::array();
  std::vector<BatchError> errors;
  for (const auto& in : body["inputs"]) step(in, *from, *to, &results, &errors);
  return JsonResponse(errors.empty() ? ok_status : 207,
                      BatchEnvelopeJson(std::move(results), errors, started, clock_.NowMillis()));
}

http::HttpResponse HubSpotSandbox::BatchReadAssociations(http::HttpRequest& r, const TokenInfo&) {
  return AssociationBatch(r, 200, [&](const nlohmann::json& in, const ObjectType& from, const ObjectType& to,
                                      nlohmann::json* results, std::vector<BatchError>* errors) {
    std::string id = IdOf(in);
    std::string after = in.is_object() && in.contains("after") && in["after"].is_string() ? in["after"].get<std::string>() : "";
    auto page = portal_->ListAssociations(from, id, to, 500, after);
    if (!page.ok()) {
      ApiError e = page.error();
      e.context = {{"fromObjectId", {id}}};
      e.message = "No " + to.singular + " is associated with " + from.singular + " " + id + ", or it does not exist";
      errors->push_back({e, "", ""});
      return;
    }
    nlohmann::json tos = nlohmann::json::array();
    for (const AssociationOut& a : page->results) tos.push_back({{"toObjectId", a.to_id}, {"associationTypes", TypesJson(a)}});
    nlohmann::json item = {{"from", {{"id", id}}}, {"to", std::move(tos)}};
    if (page->next_after) item["paging"] = {{"next", {{"after", *page->next_after}}}};
    results->push_back(std::move(item));
  });
}

http::HttpResponse HubSpotSandbox::BatchCreateAssociations(http::HttpRequest& r, const TokenInfo& t) {
  return AssociationBatch(r, 201, [&](const nlohmann::json& in, const ObjectType& from, const ObjectType& to,
                                      nlohmann::json* results, std::vector<BatchError>* errors) {
    std::string from_id = in.is_object() ? IdOf(in.value("from", nlohmann::json())) : "";
    std::string to_id = in.is_object() ? IdOf(in.value("to", nlohmann::json())) : "";
    std::vector<AssociationSpec> specs;
    std::string problem;
    if (from_id.empty() || to_id.empty() || !ParseSpecs(in.value("types", nlohmann::json()), &specs, &problem)) {
      errors->push_back({ApiError::Validation(problem.empty() ? "from.id and to.id are required" : problem), "", ""});
      return;
    }
    auto labels = portal_->Associate(from, from_id, to, to_id, specs, SourceFor(t));
    if (!labels.ok()) {
      errors->push_back({labels.error(), "", ""});
      return;
    }
    results->push_back({{"fromObjectTypeId", from.type_id}, {"fromObjectId", AsNumber(from_id)},
                        {"toObjectTypeId", to.type_id}, {"toObjectId", AsNumber(to_id)}, {"labels", labels.value()}});
  });
}

http::HttpResponse HubSpotSandbox::BatchAssociateDefault(http::HttpRequest& r, const TokenInfo& t) {
  return AssociationBatch(r, 200, [&](const nlohmann::json& in, const ObjectType& from, const ObjectType& to,
                                      nlohmann::json* results, std::vector<BatchError>* errors) {
    std::string from_id = in.is_object() ? IdOf(in.value("from", nlohmann::json())) : "";
    std::string to_id = in.is_object() ? IdOf(in.value("to", nlohmann::json())) : "";
    auto spec = portal_->AssociateDefault(from, from_id, to, to_id, SourceFor(t));
    if (!spec.ok()) {
      errors->push_back({spec.error(), "", ""});
      return;
    }
    results->push_back({{"from", {{"id", from_id}}}, {"to", {{"id", to_id}}},
                        {"associationSpec", {{"associationCategory", spec->category}, {"associationTypeId", spec->type_id}}}});
  });
}

http::HttpResponse HubSpotSandbox::BatchArchiveAssociations(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "fromObjectType", &error);
  if (!from) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (std::string problem = InputsProblem(body, kMaxAssociationInputs); !problem.empty())
    return Error(ApiError::Validation(problem));
  for (const auto& in : body["inputs"]) {
    if (!in.is_object()) continue;
    std::string from_id = IdOf(in.value("from", nlohmann::json()));
    nlohmann::json tos = in.value("to", nlohmann::json::array());
    if (!tos.is_array()) tos = nlohmann::json::array({tos});
    for (const auto& to_ref : tos) portal_->Disassociate(*from, from_id, *to, IdOf(to_ref), {}, SourceFor(t));
  }
  return http::HttpResponse::Empty(204);
}

http::HttpResponse HubSpotSandbox::BatchArchiveLabels(http::HttpRequest& r, const TokenInfo& t) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "fromObjectType", &error);
  if (!from) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  if (std::string problem = InputsProblem(body, std::numeric_limits<size_t>::max()); !problem.empty())
    return Error(ApiError::Validation(problem));
  for (const auto& in : body["inputs"]) {
    if (!in.is_object()) continue;
    std::vector<AssociationSpec> specs;
    std::string problem;
    if (!ParseSpecs(in.value("types", nlohmann::json()), &specs, &problem)) return Error(ApiError::Validation(problem));
    portal_->Disassociate(*from, IdOf(in.value("from", nlohmann::json())), *to, IdOf(in.value("to", nlohmann::json())),
                          specs, SourceFor(t));
  }
  return http::HttpResponse::Empty(204);
}

http::HttpResponse HubSpotSandbox::ListLabels(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "fromObjectType", &error);
  if (!from) return error;
  nlohmann::json results = nlohmann::json::array();
  for (const AssociationType& t : portal_->AssociationTypes(*from, *to))
    results.push_back({{"category", t.category}, {"typeId", t.id}, {"label", t.label ? nlohmann::json(*t.label) : nlohmann::json()}});
  return JsonResponse(200, {{"results", std::move(results)}});
}

http::HttpResponse HubSpotSandbox::CreateLabel(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "fromObjectType", &error);
  if (!from) return error;
  nlohmann::json body;
  if (!ParseBody(r, &body, &error)) return error;
  std::string label = body.is_object() && body.contains("label") && body["label"].is_string() ? body["label"].get<std::string>() : "";
  std::string inverse = body.is_object() && body.contains("inverseLabel") && body["inverseLabel"].is_string()
                            ? body["inverseLabel"].get<std::string>() : "";
  auto id = portal_->CreateAssociationLabel(*from, *to, label, inverse);
  if (!id.ok()) return Error(id.error());
  nlohmann::json results = nlohmann::json::array();
  results.push_back({{"category", "USER_DEFINED"}, {"typeId", id.value()}, {"label", label}});
  if (!inverse.empty()) results.push_back({{"category", "USER_DEFINED"}, {"typeId", id.value() + 1}, {"label", inverse}});
  return JsonResponse(200, {{"results", std::move(results)}});
}

http::HttpResponse HubSpotSandbox::DeleteLabel(http::HttpRequest& r, const TokenInfo&) {
  http::HttpResponse error;
  auto [from, to] = FromToTypes(r, "fromObjectType", &error);
  if (!from) return error;
  uint32_t type_id = 0;
  std::string tid = r.Param("associationTypeId");
  if (!ParseTypeId(tid, &type_id))
    return Error(ApiError::Validation("associationTypeId must be an integer"));
  auto done = portal_->DeleteAssociationLabel(*from, *to, type_id);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

}  // namespace tajo::sandbox::hubspot
