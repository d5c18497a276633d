#include "sandbox/hubspot/webhook_signature.h"

#include "core/crypto.h"

namespace tajo::sandbox::hubspot {
namespace {

std::string Sha256Hex(std::string_view text) { return HexLower(Sha256(text)); }

}  // namespace

std::string SignatureV1(std::string_view client_secret, std::string_view body) {
  std::string source(client_secret);
  source.append(body);
  return Sha256Hex(source);
}

std::string SignatureV2(std::string_view client_secret, std::string_view method, std::string_view uri,
                        std::string_view body) {
  std::string source(client_secret);
  source.append(method).append(uri).append(body);
  return Sha256Hex(source);
}

std::string SignatureV3(std::string_view client_secret, std::string_view method, std::string_view uri,
                        std::string_view body, std::string_view timestamp) {
  std::string message(method);
  message.append(uri).append(body).append(timestamp);
  return Base64Encode(HmacSha256(client_secret, message));
}

}  // namespace tajo::sandbox::hubspot
