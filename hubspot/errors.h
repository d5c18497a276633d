// Turns a HubSpot error response into a Status that says what failed, where, and what to do.
//
//   401 INVALID_AUTHENTICATION / EXPIRED_AUTHENTICATION  kUnauthenticated, with the fix
//       ("regenerate the private app token, or refresh the OAuth token")
//   403 MISSING_SCOPES                                    kPermissionDenied, naming the scopes
//   404                                                   kNotFound
//   409 CONFLICT                                          kAlreadyExists
//   429                                                   kResourceExhausted, naming the policy
//   400 and other 4xx                                     kInvalidArgument, with HubSpot's message
//   5xx                                                   kUnavailable
// Every message starts with the endpoint ("GET /crm/v3/objects/contacts: ..."), carries HubSpot's
// correlationId when there is one (what HubSpot support asks for), and is redacted.
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/status.h"
#include "http/message.h"

namespace tajo::hubspot {

// REQUIRES: response.status is not 2xx.
Status ErrorFromResponse(const std::string& endpoint, const http::HttpResponse& response);

}  // namespace tajo::hubspot
