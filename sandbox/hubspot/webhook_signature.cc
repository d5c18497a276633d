#include "sandbox/hubspot/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace tajo::sandbox::hubspot {
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0xF];
  }
  return out;
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return Hex(digest, sizeof digest);
}

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
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), client_secret.data(), static_cast<int>(client_secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_len);
  unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int n = EVP_EncodeBlock(b64, mac, static_cast<int>(mac_len));
  return std::string(reinterpret_cast<char*>(b64), static_cast<size_t>(n));
}

}  // namespace tajo::sandbox::hubspot
