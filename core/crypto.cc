#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <climits>
#include <vector>

namespace tajo {

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  // EVP_EncodeBlock takes an int length: encode in chunks that are a multiple of 3 bytes.
  constexpr size_t kChunk = 3 * (1 << 20);
  std::vector<unsigned char> buf(4 * ((std::min(bytes.size(), kChunk) + 2) / 3) + 1);
  for (size_t pos = 0; pos < bytes.size(); pos += kChunk) {
    const size_t n = std::min(kChunk, bytes.size() - pos);
    const int written = EVP_EncodeBlock(buf.data(), reinterpret_cast<const unsigned char*>(bytes.data() + pos),
                                        static_cast<int>(n));
    out.append(reinterpret_cast<const char*>(buf.data()), static_cast<size_t>(written));
  }
  return out;
}

std::string Sha256(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  // Keys longer than INT_MAX do not occur (secrets are short); clamp rather than overflow.
  const int key_len = static_cast<int>(std::min<size_t>(key.size(), INT_MAX));
  HMAC(EVP_sha256(), key.data(), key_len, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       mac, &mac_len);
  return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

std::string HexLower(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool SecretEquals(std::string_view presented, std::string_view secret) {
  const std::string a = Sha256(presented);
  const std::string b = Sha256(secret);
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tajo
