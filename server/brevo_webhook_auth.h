// Authentication of Brevo webhook requests. Brevo does not sign its webhooks (reference
// brevo-api.md §7.5); tajo registers them with a shared token, which Brevo sends either as
// "Authorization: Bearer <token>" (webhook `auth`) or as Basic credentials (user:token embedded
// in the URL). This checks that token.
//
// Pure function; thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace tajo::server {

// OK when `request` carries "Authorization: Bearer <token>" or Basic credentials whose password
// is `token` (any user name); the scheme name is case-insensitive, the token is compared in
// constant time (its length is not revealed either). Unauthenticated otherwise, with a reason
// safe to log (missing header, unknown scheme, malformed Basic credentials, wrong token) that
// never holds the configured nor the presented token. An empty `token` refuses every request:
// "no Brevo webhook token is configured (server.webhooks.brevo_token)".
Status VerifyBrevoRequest(const http::HttpRequest& request, std::string_view token);

}  // namespace tajo::server
