// CrmStore: Brevo's Sales CRM objects (reference §5) — companies, deals, their links to contacts
// and to each other, deal pipelines with stages, and the company / deal attribute catalogs.
//
// Ids are strings (24 hex digits, Mongo-style; deterministic from a counter). Links are kept on
// both sides: a company's linkedDealsIds and the deals' linkedCompaniesIds always agree. Link
// arrays in a PATCH replace the whole set; link-unlink adds and removes. Attribute values are
// kept as given (JSON), apart from the system attributes the store maintains (created_at,
// last_updated_at / last_updated_date, number_of_contacts, stage_updated_at).
// A fresh account has one pipeline ("Sales pipeline") with six stages.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "sandbox/brevo/api_error.h"

namespace tajo::sandbox::brevo {

// CRM list queries (GET /companies, GET /crm/deals).
struct CrmQuery {
  std::optional<std::string> name;  // filters[attributes.name] / filters[attributes.deal_name]
  std::optional<int64_t> linked_contact;
  std::optional<std::string> linked_object;  // linkedDealsIds (companies) / linkedCompaniesIds (deals)
  std::optional<int64_t> modified_since_ms, created_since_ms;
  size_t offset = 0;
  size_t limit = 50;
  bool descending = true;
  std::string sort_by;  // "" (creation), or an attribute name
};

class CrmStore {
 public:
  // `contact_exists` checks linked contact ids; `format_time` writes created_at & co.
  CrmStore(Clock& clock, std::function<bool(int64_t)> contact_exists, std::function<std::string(int64_t)> format_time);
  CrmStore(const CrmStore&) = delete;
  CrmStore& operator=(const CrmStore&) = delete;

  // Companies. Bodies as the reference gives them; 400 invalid_parameter for bad bodies or
  // unknown linked ids, 404 document_not_found "Document not found".
  ApiResult<std::string> CreateCompany(const nlohmann::json& body);
  ApiResult<nlohmann::json> GetCompany(const std::string& id) const;
  ApiResult<nlohmann::json> UpdateCompany(const std::string& id, const nlohmann::json& body);  // the company after
  ApiResult<Done> DeleteCompany(const std::string& id);
  ApiResult<Done> LinkCompany(const std::string& id, const nlohmann::json& body);
  nlohmann::json ListCompanies(const CrmQuery& q) const;  // {"items": [...]}

  // Deals.
  ApiResult<std::string> CreateDeal(const nlohmann::json& body);
  ApiResult<nlohmann::json> GetDeal(const std::string& id) const;
  ApiResult<Done> UpdateDeal(const std::string& id, const nlohmann::json& body);
  ApiResult<Done> DeleteDeal(const std::string& id);
  ApiResult<Done> LinkDeal(const std::string& id, const nlohmann::json& body);
  nlohmann::json ListDeals(const CrmQuery& q) const;

  // Pipelines: all, or the one with `id` (an array either way); 400 "Pipeline not found".
  nlohmann::json Pipelines() const;
  ApiResult<nlohmann::json> Pipeline(const std::string& id) const;
  nlohmann::json DefaultPipeline() const;

  // Attribute catalogs (GET /crm/attributes/companies|deals) and custom attributes
  // (POST /crm/attributes: label, attributeType, objectType, optionsLabels).
  nlohmann::json Attributes(const std::string& object_type) const;
  ApiResult<std::string> CreateAttribute(const nlohmann::json& body);

  // A contact was deleted: it leaves every link.
  void ForgetContact(int64_t contact_id);
  void Reset();
  size_t companies() const;
  size_t deals() const;

 private:
  struct Object {
    std::string id;
    nlohmann::json attributes = nlohmann::json::object();
    std::set<int64_t> contacts;
    std::set<std::string> others;  // deals of a company, companies of a deal
    int64_t created_ms = 0, modified_ms = 0;
  };
  struct Attr {
    std::string id, internal_name, label, type;
    std::vector<std::string> options;
    bool required = false, system = false;
  };
  struct PipelineDef {
    std::string id, name;
    std::vector<std::pair<std::string, std::string>> stages;  // id, name
  };

  std::string NewId();
  static bool ValidId(const std::string& id);
  // REQUIRES: mu_ held; the body passed CheckCreateBody (crm.cc).
  Object NewObject(const nlohmann::json& body, const char* name_key);
  std::optional<ApiError> ReadLinks(const nlohmann::json& body, const char* contacts_key, const char* others_key,
                                    bool others_are_deals, std::optional<std::set<int64_t>>* contacts,
                                    std::optional<std::set<std::string>>* others) const;
  void SetOthers(Object& o, bool is_company, const std::set<std::string>& ids);
  void SetContacts(Object& o, bool is_company, const std::set<int64_t>& ids);
  nlohmann::json CompanyJson(const Object& o) const;
  nlohmann::json DealJson(const Object& o) const;
  nlohmann::json PipelineJson(const PipelineDef& p) const;
  nlohmann::json List(const std::map<std::string, Object>& objects, const CrmQuery& q, const char* name_key,
                      bool is_company) const;
  void LoadDefaults();

  Clock& clock_;
  std::function<bool(int64_t)> contact_exists_;
  std::function<std::string(int64_t)> format_time_;
  mutable std::mutex mu_;
  std::map<std::string, Object> companies_, deals_;
  std::vector<PipelineDef> pipelines_;
  std::vector<Attr> company_attrs_, deal_attrs_;
  uint64_t counter_ = 0;
};

}  // namespace tajo::sandbox::brevo
