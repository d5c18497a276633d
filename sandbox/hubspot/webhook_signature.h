// HubSpot request signatures (reference §7.2), as the sandbox's webhook sender computes them:
//   v1  hex(SHA-256(client_secret + body))
//   v2  hex(SHA-256(client_secret + method + uri + body))
//   v3  base64(HMAC-SHA256(key = client_secret, method + uri + body + timestamp))
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tajo::sandbox::hubspot {

std::string SignatureV1(std::string_view client_secret, std::string_view body);
std::string SignatureV2(std::string_view client_secret, std::string_view method, std::string_view uri,
                        std::string_view body);
std::string SignatureV3(std::string_view client_secret, std::string_view method, std::string_view uri,
                        std::string_view body, std::string_view timestamp);

}  // namespace tajo::sandbox::hubspot
