// Turns a Brevo error response ({"code","message"}) into a Status that says what failed, where,
// and what to do:
//   401 unauthorized            kUnauthenticated, "check brevo.api_key" (and the authorised IPs
//                               setting when Brevo says the IP is unrecognised)
//   403 permission_denied       kPermissionDenied
//   404 document_not_found      kNotFound
//   400 duplicate_parameter     kAlreadyExists
//   402 not_enough_credits      kFailedPrecondition
//   429                         kResourceExhausted
//   400, 422 and other 4xx      kInvalidArgument, with Brevo's code and message
//   5xx                         kUnavailable
// Messages start with the endpoint ("POST /v3/contacts/batch: ...") and are redacted.
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/status.h"
#include "http/message.h"

namespace tajo::brevo {

// REQUIRES: response.status is not 2xx.
Status ErrorFromResponse(const std::string& endpoint, const http::HttpResponse& response);

}  // namespace tajo::brevo
