#include "server/brevo_webhook_auth.h"


#include <cstdint>
#include <optional>
#include <string>

#include "core/crypto.h"

namespace tajo::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 (RFC 4648 §4); padding optional. nullopt on any other character.
std::optional<std::string> Base64Decode(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// The scheme word of an Authorization value, shortened and made printable for a message.
std::string SchemeForMessage(std::string_view scheme) {
  std::string out;
  for (char c : scheme.substr(0, 20)) out += (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) ? '?' : c;
  return "\"" + out + (scheme.size() > 20 ? "...\"" : "\"");
}

constexpr const char* kExpected =
    "expected \"Authorization: Bearer <token>\" or Basic credentials with the token as password";

}  // namespace

Status VerifyBrevoRequest(const http::HttpRequest& request, std::string_view token) {
  if (token.empty()) {
    return Status::Unauthenticated("no Brevo webhook token is configured (server.webhooks.brevo_token)");
  }
  std::optional<std::string> header = request.headers.Get("Authorization");
  if (!header) return Status::Unauthenticated(std::string("Brevo webhook: missing Authorization header; ") + kExpected);
  const std::string_view value = Trim(*header);
  const size_t space = value.find_first_of(" \t");
  const std::string_view scheme = value.substr(0, space);
  const std::string_view credentials = space == std::string_view::npos ? std::string_view() : Trim(value.substr(space));

  if (http::EqualsIgnoreCase(scheme, "Bearer")) {
    if (credentials.empty()) return Status::Unauthenticated("Brevo webhook: the Bearer token is empty");
    if (!SecretEquals(credentials, token)) {
      return Status::Unauthenticated(
          "Brevo webhook: the Bearer token does not match server.webhooks.brevo_token");
    }
    return Status::Ok();
  }
  if (http::EqualsIgnoreCase(scheme, "Basic")) {
    std::optional<std::string> decoded = Base64Decode(credentials);
    if (!decoded || credentials.empty()) {
      return Status::Unauthenticated("Brevo webhook: the Basic credentials are not valid base64");
    }
    // RFC 7617: the user-id cannot hold ':', the password can.
    const size_t colon = decoded->find(':');
    if (colon == std::string::npos) {
      return Status::Unauthenticated("Brevo webhook: the Basic credentials have no ':' between user and password");
    }
    if (!SecretEquals(std::string_view(*decoded).substr(colon + 1), token)) {
      return Status::Unauthenticated(
          "Brevo webhook: the Basic password does not match server.webhooks.brevo_token");
    }
    return Status::Ok();
  }
  return Status::Unauthenticated("Brevo webhook: unsupported Authorization scheme " + SchemeForMessage(scheme) +
                                 "; " + kExpected);
}

}  // namespace tajo::server
