// HubSpot webhook request signatures (reference hubspot-api.md §7): computing v1 and v3
// signatures, rebuilding the URI HubSpot signed, and verifying an incoming webhook request.
//
// Pure functions of their arguments (time is passed in); thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "http/message.h"

namespace tajo::server {

// The URI as v3 signs it: decodes only the percent-escapes HubSpot lists (§7.2: %3A %2F %3F %40
// %21 %24 %27 %28 %29 %2A %2C %3B, hex digits in either case); every other byte, including
// other %XX escapes and malformed ones, is kept as it is.
std::string HubSpotSignedUri(std::string_view uri);

// v1: lower-case hex of SHA-256(client_secret + body).
std::string HubSpotSignatureV1(std::string_view client_secret, std::string_view body);

// v3: standard base64 (with padding) of HMAC-SHA256(key = client_secret,
// message = method + uri + body + timestamp). `uri` is used as given: pass HubSpotSignedUri(...).
std::string HubSpotSignatureV3(std::string_view client_secret, std::string_view method, std::string_view uri,
                               std::string_view body, std::string_view timestamp);

struct HubSpotVerifyOptions {
  std::string client_secret;                // the app's client secret; "" refuses every request
  std::vector<SignatureVersion> accepted;   // versions tried; empty refuses every request
  int64_t max_age_ms = 300'000;             // v3: a timestamp older than this is refused
  // The origin HubSpot posts to, "https://host[:port]" as registered (a trailing '/' is ignored).
  // "" = rebuilt from the request: scheme "http" and the Host header, or X-Forwarded-Proto /
  // X-Forwarded-Host when present (first value of each).
  std::string public_url;
};

// Verifies a HubSpot webhook request at time `now_ms` (Unix milliseconds).
//  - When the request carries X-HubSpot-Signature-v3 and v3 is accepted, v3 decides alone: the
//    X-HubSpot-Request-Timestamp must be a number of milliseconds no older than max_age_ms
//    (now_ms - ts > max_age_ms is refused; future times pass, as in HubSpot's SDKs), and the
//    signature is checked over method + HubSpotSignedUri(origin + target) + body + timestamp.
//  - Otherwise, when v1 is accepted, X-HubSpot-Signature is checked as v1. A missing
//    X-HubSpot-Signature-Version is taken as v1; any other declared version (v2) is refused.
// Header names are case-insensitive; signatures are compared in constant time.
// Returns OK, or Unauthenticated with a reason safe to log (which header is missing, the
// version refused, the timestamp's age, or the URI a v3 mismatch was computed over); the
// message never holds the client secret nor an expected signature.
Status VerifyHubSpotRequest(const http::HttpRequest& request, const HubSpotVerifyOptions& options, int64_t now_ms);

}  // namespace tajo::server
