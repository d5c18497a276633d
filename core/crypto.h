// Small cryptographic and encoding helpers on OpenSSL: standard base64, SHA-256 and
// HMAC-SHA256, as the APIs tajo talks to use them (webhook signatures, Basic authentication).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tajo {

// Standard base64 (RFC 4648 section 4: '+', '/', '=' padding, no line breaks).
std::string Base64Encode(std::string_view bytes);
// The 32-byte SHA-256 digest of `bytes`, raw.
std::string Sha256(std::string_view bytes);
// The 32-byte HMAC-SHA256 of `message` under `key`, raw.
std::string HmacSha256(std::string_view key, std::string_view message);
// Whether `a` equals `b`, in time that depends on their lengths only (for secrets, signatures
// and tokens: the lengths are not secret, the contents are).
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// Whether `presented` equals `secret`, comparing their SHA-256 digests in constant time, so that
// neither the contents nor the length of the secret leak through timing (API keys, tokens).
bool SecretEquals(std::string_view presented, std::string_view secret);
// Lower-case hexadecimal ("\x01\xab" -> "01ab").
std::string HexLower(std::string_view bytes);

}  // namespace tajo
