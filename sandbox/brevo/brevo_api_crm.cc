// BrevoSandbox: the Sales CRM endpoints (reference §5): companies, deals, pipelines and the CRM
// attribute catalogs. All are in the "other" rate bucket (100 calls an hour on standard plans).
#include "sandbox/brevo/brevo_sandbox.h"

namespace tajo::sandbox::brevo {

bool BrevoSandbox::CrmQueryFrom(const http::HttpRequest& r, bool companies, CrmQuery* q, http::HttpResponse* error) const {
  int64_t limit = 0, offset = 0, page = 0, contact = 0;
  if (!QueryInt(r, "limit", 50, 0, 1000, &limit, error) || !QuerySort(r, &q->descending, error) ||
      !QueryTime(r, "modifiedSince", &q->modified_since_ms, error) || !QueryTime(r, "createdSince", &q->created_since_ms, error))
    return false;
  q->limit = static_cast<size_t>(limit);
  if (companies) {
    // Companies page with `page` (1-based), deals with `offset`.
    if (!QueryInt(r, "page", 1, 1, INT64_MAX / 4096, &page, error)) return false;
    q->offset = static_cast<size_t>((page - 1) * limit);
    if (auto v = r.Query("filters[attributes.name]")) q->name = *v;
    if (!QueryInt(r, "linkedContactsIds", 0, 0, INT64_MAX / 2, &contact, error)) return false;
    if (auto v = r.Query("linkedDealsIds"); v && !v->empty()) q->linked_object = *v;
    if (auto v = r.Query("sortBy"); v && !v->empty()) q->sort_by = *v;
  } else {
    if (!QueryInt(r, "offset", 0, 0, INT64_MAX / 2, &offset, error)) return false;
    q->offset = static_cast<size_t>(offset);
    if (auto v = r.Query("filters[attributes.deal_name]")) q->name = *v;
    if (!QueryInt(r, "filters[linkedContactsIds]", 0, 0, INT64_MAX / 2, &contact, error)) return false;
    if (auto v = r.Query("filters[linkedCompaniesIds]"); v && !v->empty()) q->linked_object = *v;
    if (auto v = r.Query("sortBy"); v && !v->empty()) q->sort_by = *v;
  }
  if (contact > 0) q->linked_contact = contact;
  return true;
}

http::HttpResponse BrevoSandbox::ListCompanies(http::HttpRequest& r, const KeyInfo&) {
  CrmQuery q;
  http::HttpResponse error;
  if (!CrmQueryFrom(r, true, &q, &error)) return error;
  return Json(200, crm_.ListCompanies(q));
}

http::HttpResponse BrevoSandbox::CreateCompany(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto id = crm_.CreateCompany(body);
  if (!id.ok()) return Error(id.error());
  return Json(200, {{"id", id.value()}});  // 200, not 201 (reference §5.1)
}

http::HttpResponse BrevoSandbox::GetCompany(http::HttpRequest& r, const KeyInfo&) {
  auto c = crm_.GetCompany(r.Param("id"));
  if (!c.ok()) return Error(c.error());
  return Json(200, c.value());
}

http::HttpResponse BrevoSandbox::UpdateCompany(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto c = crm_.UpdateCompany(r.Param("id"), body);
  if (!c.ok()) return Error(c.error());
  return Json(200, c.value());
}

http::HttpResponse BrevoSandbox::DeleteCompany(http::HttpRequest& r, const KeyInfo&) {
  auto done = crm_.DeleteCompany(r.Param("id"));
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::LinkCompany(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto done = crm_.LinkCompany(r.Param("id"), body);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::ListDeals(http::HttpRequest& r, const KeyInfo&) {
  CrmQuery q;
  http::HttpResponse error;
  if (!CrmQueryFrom(r, false, &q, &error)) return error;
  return Json(200, crm_.ListDeals(q));
}

http::HttpResponse BrevoSandbox::CreateDeal(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto id = crm_.CreateDeal(body);
  if (!id.ok()) return Error(id.error());
  return Json(201, {{"id", id.value()}});
}

http::HttpResponse BrevoSandbox::GetDeal(http::HttpRequest& r, const KeyInfo&) {
  auto d = crm_.GetDeal(r.Param("id"));
  if (!d.ok()) return Error(d.error());
  return Json(200, d.value());
}

http::HttpResponse BrevoSandbox::UpdateDeal(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto done = crm_.UpdateDeal(r.Param("id"), body);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::DeleteDeal(http::HttpRequest& r, const KeyInfo&) {
  auto done = crm_.DeleteDeal(r.Param("id"));
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::LinkDeal(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto done = crm_.LinkDeal(r.Param("id"), body);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::GetPipelineDeprecated(http::HttpRequest&, const KeyInfo&) {
  return Json(200, crm_.DefaultPipeline());
}

http::HttpResponse BrevoSandbox::ListPipelines(http::HttpRequest&, const KeyInfo&) { return Json(200, crm_.Pipelines()); }

http::HttpResponse BrevoSandbox::GetPipeline(http::HttpRequest& r, const KeyInfo&) {
  auto p = crm_.Pipeline(r.Param("pipelineID"));
  if (!p.ok()) return Error(p.error());
  return Json(200, p.value());
}

http::HttpResponse BrevoSandbox::CrmAttributes(http::HttpRequest& r, const KeyInfo&) {
  return Json(200, crm_.Attributes(r.RawPath().find("/companies") != std::string::npos ? "companies" : "deals"));
}

http::HttpResponse BrevoSandbox::CreateCrmAttribute(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto id = crm_.CreateAttribute(body);
  if (!id.ok()) return Error(id.error());
  return Json(200, {{"id", id.value()}});
}

}  // namespace tajo::sandbox::brevo
