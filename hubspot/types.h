// Typed values of the HubSpot CRM API as tajo uses them: records, pages, search requests,
// property definitions, owners and app webhook settings. Parsed from HubSpot's JSON by hubspot/parse.h.
//
// Plain values; safe to copy and to share read-only between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tajo::hubspot {

// One CRM record (contact, company, deal, ticket, engagement, custom object).
struct CrmObject {
  std::string id;
  // Property values as HubSpot sends them: strings. A property sent as null is absent here.
  std::map<std::string, std::string> properties;
  std::string created_at;  // ISO-8601 as sent, e.g. "2024-01-17T19:55:04.281Z"
  std::string updated_at;
  bool archived = false;
  std::string archived_at;  // "" unless archived
  // Associated record ids by object type (the key as HubSpot names it, e.g. "companies"),
  // when the request asked for associations.
  std::map<std::string, std::vector<std::string>> associations;

  // The value of `name`, or nullopt when absent.
  std::optional<std::string> Get(const std::string& name) const;
};

// A page of a list or search call. `after` is empty on the last page.
struct ObjectPage {
  std::vector<CrmObject> results;
  std::string after;
  int64_t total = -1;  // search only: how many records match (-1 for list calls)
};

// The operators of HubSpot search filters (reference §2.1).
enum class FilterOperator { kEq, kNeq, kLt, kLte, kGt, kGte, kBetween, kIn, kNotIn, kHasProperty, kNotHasProperty };
const char* FilterOperatorName(FilterOperator op);  // "EQ", "GTE", ...

struct SearchFilter {
  std::string property;
  FilterOperator op = FilterOperator::kEq;
  std::string value;                // EQ, NEQ, LT, LTE, GT, GTE, BETWEEN (low)
  std::string high_value;           // BETWEEN
  std::vector<std::string> values;  // IN, NOT_IN
};

struct SearchRequest {
  // OR of groups, AND within a group.
  std::vector<std::vector<SearchFilter>> filter_groups;
  std::string sort_property;  // "" = HubSpot's default order
  bool sort_ascending = true;
  std::vector<std::string> properties;
  int limit = 200;    // 1..200
  std::string after;  // "" = first page
};

// A property definition (GET /crm/v3/properties/{objectType}).
struct PropertyDefinition {
  std::string name;
  std::string label;
  std::string type;        // string | number | date | datetime | enumeration | bool | phone_number
  std::string field_type;  // text, select, checkbox, booleancheckbox, date, number, ...
  struct Option {
    std::string value;
    std::string label;
  };
  std::vector<Option> options;  // enumeration values
  bool hubspot_defined = false;
};

struct Owner {
  std::string id;
  std::string email;
  std::string first_name;
  std::string last_name;
};

// An app's webhook settings (GET /webhooks/v3/{appId}/settings).
struct WebhookSettings {
  std::string target_url;
  int64_t max_concurrent_requests = 0;  // 0 when HubSpot did not say
};

// One webhook subscription of an app (GET /webhooks/v3/{appId}/subscriptions).
struct WebhookSubscription {
  std::string id;
  std::string event_type;     // "contact.creation", ...
  std::string property_name;  // propertyChange subscriptions only
  bool active = false;
};

}  // namespace tajo::hubspot
