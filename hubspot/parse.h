// Defensive parsing of HubSpot's JSON into hubspot/types.h. Nothing here trusts the server: a
// missing field, a wrong type or a body that is not JSON is a kInvalidArgument naming the
// endpoint and where in the body ("GET /crm/v3/objects/contacts: results[3].id: expected a
// string"), never a crash or a silently empty value. Fields tajo does not use are ignored.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "hubspot/types.h"

namespace tajo::hubspot {

// {"results":[record...], "paging":{"next":{"after":"..."}}, "total": N?}
Result<ObjectPage> ParseObjectPage(const std::string& endpoint, const std::string& body);

// A batch read/upsert answer: {"status":"COMPLETE","results":[record...],"errors":[...]?}.
// Records HubSpot could not find come back in `errors` (a 207); they are not an error here.
Result<std::vector<CrmObject>> ParseBatchResults(const std::string& endpoint, const std::string& body);

// One record.
Result<CrmObject> ParseObject(const std::string& endpoint, const std::string& body);

// {"results":[property...]}
Result<std::vector<PropertyDefinition>> ParseProperties(const std::string& endpoint, const std::string& body);

// {"results":[owner...], "paging"?}; `after` receives the next cursor ("" on the last page).
Result<std::vector<Owner>> ParseOwners(const std::string& endpoint, const std::string& body, std::string* after);

// {"targetUrl":"...","throttling":{"maxConcurrentRequests":N,...},...}
Result<WebhookSettings> ParseWebhookSettings(const std::string& endpoint, const std::string& body);

// {"results":[{"id","eventType","propertyName"?,"active"},...]}; ids may be numbers or strings.
Result<std::vector<WebhookSubscription>> ParseWebhookSubscriptions(const std::string& endpoint,
                                                                   const std::string& body);

// One subscription, as POST and PATCH /webhooks/v3/{appId}/subscriptions[/{id}] answer: the id is
// required (a number or a string).
Result<WebhookSubscription> ParseWebhookSubscription(const std::string& endpoint, const std::string& body);

}  // namespace tajo::hubspot
