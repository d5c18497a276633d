// HubSpotClient: the typed HubSpot CRM API tajo uses — list pages, batch reads, search,
// properties, owners and app webhook settings — on top of http::ApiCaller, so every call is
// budgeted ("hubspot", or "hubspot-search" for search; http/plan_budgets.h), retried per policy,
// and counted.
//
// Each method returns the parsed value, or a Status from hubspot/errors.h (an HTTP error, with
// what to do about it) or hubspot/parse.h (a malformed answer), always naming the endpoint.
// The token is sent as `Authorization: Bearer` and never appears in a Status or a log line.
//
// Thread-safe: methods may be called from several threads at once (the ApiCaller is).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/api_caller.h"
#include "hubspot/types.h"

namespace tajo::hubspot {

struct HubSpotClientOptions {
  std::string base_url = "https://api.hubapi.com";  // no trailing '/'
  std::string access_token;                         // private-app or OAuth access token
  int timeout_ms = 30'000;
};

struct ListOptions {
  int limit = 100;  // 1..100
  std::string after;
  std::vector<std::string> properties;    // only these; empty = HubSpot's defaults
  std::vector<std::string> associations;  // object types whose associated ids to include
  bool archived = false;                  // true: only archived (deleted) records
};

class HubSpotClient {
 public:
  // `caller` must outlive the client.
  HubSpotClient(http::ApiCaller& caller, HubSpotClientOptions options);
  HubSpotClient(const HubSpotClient&) = delete;
  HubSpotClient& operator=(const HubSpotClient&) = delete;

  // GET /crm/v3/objects/{type}: one page.
  Result<ObjectPage> ListPage(const std::string& object_type, const ListOptions& options);

  // GET /crm/v3/objects/{type}/{id}[?idProperty=]. kNotFound when there is no such record.
  Result<CrmObject> Get(const std::string& object_type, const std::string& id,
                        const std::vector<std::string>& properties, const std::string& id_property = "");

  // POST /crm/v3/objects/{type}/batch/read: up to 100 ids in one call (more are split into
  // several calls). Ids HubSpot does not know are left out of the result.
  Result<std::vector<CrmObject>> BatchRead(const std::string& object_type, const std::vector<std::string>& ids,
                                           const std::vector<std::string>& properties,
                                           const std::string& id_property = "");

  // POST /crm/v3/objects/{type}/search: one page (limit up to 200; HubSpot refuses to page past
  // 10,000 results — re-anchor the filter instead).
  Result<ObjectPage> Search(const std::string& object_type, const SearchRequest& request);

  // GET /crm/v3/properties/{type}
  Result<std::vector<PropertyDefinition>> ListProperties(const std::string& object_type);

  // GET /crm/v3/owners: every page.
  Result<std::vector<Owner>> ListOwners();

  // GET /crm/v3/owners?limit={limit}: the first page only (1..100). The cheapest authenticated
  // read there is: `tajo connectors test` uses it to check the token (HubSpot answers 401 for a
  // bad token before it looks at scopes, so a 403 MISSING_SCOPES still means the token works).
  Result<std::vector<Owner>> ListOwnersFirstPage(int limit);

  // GET /webhooks/v3/{appId}/settings and /subscriptions: the app's webhook target and event
  // subscriptions. HubSpot's webhooks API authenticates the app developer (developer API key);
  // an access token may be refused (401/403). kNotFound when the app has no settings.
  Result<WebhookSettings> GetWebhookSettings(int64_t app_id);
  Result<std::vector<WebhookSubscription>> ListWebhookSubscriptions(int64_t app_id);

  // PUT /webhooks/v3/{appId}/settings: where HubSpot sends the app's webhooks and how many
  // requests it keeps in flight (HubSpot wants more than five; period SECONDLY). Returns the
  // settings as HubSpot saved them. Same authentication caveat as above (401/403).
  Result<WebhookSettings> PutWebhookSettings(int64_t app_id, const std::string& target_url,
                                             int max_concurrent_requests);
  // POST /webhooks/v3/{appId}/subscriptions: subscribes the app to `event_type`
  // ("contact.creation", ...); `property_name` only for *.propertyChange ("" otherwise). HubSpot
  // creates subscriptions paused unless `active`. Not retried after a lost answer (it could create
  // a second one): list the subscriptions before trying again. Returns the new subscription.
  Result<WebhookSubscription> CreateWebhookSubscription(int64_t app_id, const std::string& event_type,
                                                        const std::string& property_name, bool active);
  // PATCH /webhooks/v3/{appId}/subscriptions/{id} {"active"}: pauses or activates one
  // subscription. kNotFound when the app has no such subscription.
  Result<WebhookSubscription> UpdateWebhookSubscription(int64_t app_id, const std::string& subscription_id,
                                                        bool active);

  // POST /crm/v4/associations/{from_type}/{to_type}/batch/read (hubspot/associations.cc): the
  // ids of the `to_type` records associated with each of `ids` (100 per call; per-input pages
  // followed). Ids HubSpot does not know are left out of the result.
  Result<std::map<std::string, std::vector<std::string>>> BatchReadAssociations(const std::string& from_type,
                                                                                const std::string& to_type,
                                                                                const std::vector<std::string>& ids);

 private:
  // Sends, maps a non-2xx status to a Status, and returns the body.
  Result<std::string> Send(const std::string& method, const std::string& path_and_query, const std::string& body,
                           const std::string& bucket, bool idempotent);

  http::ApiCaller& caller_;
  HubSpotClientOptions options_;
};

}  // namespace tajo::hubspot
