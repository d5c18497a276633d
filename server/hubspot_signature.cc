#include "server/hubspot_signature.h"


#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "core/crypto.h"
#include "core/redact.h"

namespace tajo::server {
namespace {

constexpr std::string_view kHeaderV3 = "X-HubSpot-Signature-v3";
constexpr std::string_view kHeaderTimestamp = "X-HubSpot-Request-Timestamp";
constexpr std::string_view kHeaderSignature = "X-HubSpot-Signature";
constexpr std::string_view kHeaderVersion = "X-HubSpot-Signature-Version";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDecodedInSignedUri(char c) {
  static constexpr std::string_view kDecoded = ":/?@!$'()*,;";
  return kDecoded.find(c) != std::string_view::npos;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// First element of a comma-separated header value (X-Forwarded-* may list every proxy).
std::string FirstListValue(std::string_view v) {
  const size_t comma = v.find(',');
  return std::string(Trim(comma == std::string_view::npos ? v : v.substr(0, comma)));
}

std::optional<std::string> HeaderValue(const http::HttpRequest& request, std::string_view name) {
  std::optional<std::string> v = request.headers.Get(name);
  if (!v) return std::nullopt;
  return std::string(Trim(*v));
}

// A header value quoted for an error message: short, printable.
std::string Quote(std::string_view v) {
  std::string out;
  for (char c : v.substr(0, 32)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (v.size() > 32) out += "...";
  return "\"" + out + "\"";
}

// The origin (scheme://authority) the request was sent to, or an error saying what is missing.
Result<std::string> Origin(const http::HttpRequest& request, const HubSpotVerifyOptions& options) {
  if (!options.public_url.empty()) {
    std::string_view u = options.public_url;
    while (!u.empty() && u.back() == '/') u.remove_suffix(1);
    return std::string(u);
  }
  std::string scheme = "http";
  if (auto proto = request.headers.Get("X-Forwarded-Proto")) {
    std::string p = FirstListValue(*proto);
    if (!p.empty()) scheme = p;
  }
  std::string host;
  if (auto fwd = request.headers.Get("X-Forwarded-Host")) host = FirstListValue(*fwd);
  if (host.empty()) {
    if (auto h = request.headers.Get("Host")) host = std::string(Trim(*h));
  }
  if (host.empty()) {
    return Status::Unauthenticated(
        "HubSpot signature v3: cannot rebuild the signed URL: the request has no Host header and "
        "server.public_url is not set");
  }
  return scheme + "://" + host;
}

bool Accepts(const HubSpotVerifyOptions& options, SignatureVersion v) {
  return std::find(options.accepted.begin(), options.accepted.end(), v) != options.accepted.end();
}

std::string AcceptedList(const HubSpotVerifyOptions& options) {
  std::string out;
  for (SignatureVersion v : options.accepted) {
    if (!out.empty()) out += ", ";
    out += SignatureVersionNames()[static_cast<size_t>(v)];
  }
  return out;
}

Status VerifyV3(const http::HttpRequest& request, const HubSpotVerifyOptions& options, int64_t now_ms,
                const std::string& signature) {
  std::optional<std::string> ts = HeaderValue(request, kHeaderTimestamp);
  if (!ts || ts->empty()) {
    return Status::Unauthenticated(fmt::format("HubSpot signature v3: missing {} header", kHeaderTimestamp));
  }
  int64_t ts_ms = 0;
  const char* end = ts->data() + ts->size();
  auto [p, ec] = std::from_chars(ts->data(), end, ts_ms);
  if (ec != std::errc() || p != end || ts_ms < 0) {
    return Status::Unauthenticated(fmt::format("HubSpot signature v3: {} is not a number of milliseconds: {}",
                                               kHeaderTimestamp, Quote(*ts)));
  }
  // Both values are far from the int64 limits for any real clock; guard the subtraction anyway.
  if (ts_ms < now_ms && now_ms - ts_ms > options.max_age_ms) {
    return Status::Unauthenticated(fmt::format(
        "HubSpot signature v3: the request timestamp is {} ms old, more than the {} ms allowed "
        "(server.webhooks.max_timestamp_age_ms); replayed request or clock skew",
        now_ms - ts_ms, options.max_age_ms));
  }
  Result<std::string> origin = Origin(request, options);
  if (!origin.ok()) return origin.status();
  const std::string uri = HubSpotSignedUri(*origin + request.target);
  const std::string expected = HubSpotSignatureV3(options.client_secret, request.method, uri, request.body, *ts);
  if (!ConstantTimeEquals(expected, signature)) {
    return Status::Unauthenticated(fmt::format(
        "HubSpot signature v3 does not match (signed as {} {}); check the client secret and that "
        "server.public_url is the URL registered with HubSpot",
        request.method, Redact(uri)));  // Redact: a token in the query string stays out of logs
  }
  return Status::Ok();
}

Status VerifyV1(const http::HttpRequest& request, const HubSpotVerifyOptions& options, const std::string& signature) {
  if (std::optional<std::string> version = HeaderValue(request, kHeaderVersion)) {
    if (!http::EqualsIgnoreCase(*version, "v1")) {
      return Status::Unauthenticated(fmt::format("HubSpot signature version {} is not supported (accepted: {})",
                                                 Quote(*version), AcceptedList(options)));
    }
  }
  std::string got = signature;
  std::transform(got.begin(), got.end(), got.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!ConstantTimeEquals(HubSpotSignatureV1(options.client_secret, request.body), got)) {
    return Status::Unauthenticated(
        "HubSpot signature v1 does not match the body; check the client secret");
  }
  return Status::Ok();
}

}  // namespace

std::string HubSpotSignedUri(std::string_view uri) {
  std::string out;
  out.reserve(uri.size());
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size()) {
      const int hi = HexValue(uri[i + 1]);
      const int lo = HexValue(uri[i + 2]);
      if (hi >= 0 && lo >= 0) {
        const char c = static_cast<char>(hi * 16 + lo);
        if (IsDecodedInSignedUri(c)) {
          out += c;
          i += 2;
          continue;
        }
      }
    }
    out += uri[i];
  }
  return out;
}

std::string HubSpotSignatureV1(std::string_view client_secret, std::string_view body) {
  std::string message;
  message.reserve(client_secret.size() + body.size());
  message.append(client_secret).append(body);
  return HexLower(Sha256(message));
}

std::string HubSpotSignatureV3(std::string_view client_secret, std::string_view method, std::string_view uri,
                               std::string_view body, std::string_view timestamp) {
  std::string message;
  message.reserve(method.size() + uri.size() + body.size() + timestamp.size());
  message.append(method).append(uri).append(body).append(timestamp);
  return Base64Encode(HmacSha256(client_secret, message));
}

Status VerifyHubSpotRequest(const http::HttpRequest& request, const HubSpotVerifyOptions& options, int64_t now_ms) {
  if (options.client_secret.empty()) {
    return Status::Unauthenticated(
        "no HubSpot client secret is configured, so webhook signatures cannot be checked");
  }
  if (options.accepted.empty()) {
    return Status::Unauthenticated(
        "no HubSpot signature version is accepted (server.webhooks.hubspot_signature_versions)");
  }
  const bool v3_ok = Accepts(options, SignatureVersion::kV3);
  const bool v1_ok = Accepts(options, SignatureVersion::kV1);
  const std::optional<std::string> v3 = HeaderValue(request, kHeaderV3);
  const std::optional<std::string> v1 = HeaderValue(request, kHeaderSignature);

  if (v3 && v3_ok) return VerifyV3(request, options, now_ms, *v3);
  if (v1 && v1_ok) return VerifyV1(request, options, *v1);

  if (!v3 && !v1) {
    return Status::Unauthenticated(fmt::format("missing HubSpot signature header ({}; accepted versions: {})",
                                               v3_ok && v1_ok ? fmt::format("{} or {}", kHeaderV3, kHeaderSignature)
                                               : v3_ok        ? std::string(kHeaderV3)
                                                              : std::string(kHeaderSignature),
                                               AcceptedList(options)));
  }
  // A signature is present, but only in a version that is not accepted.
  return Status::Unauthenticated(fmt::format(
      "the request is signed only with {}, which is not accepted (server.webhooks.hubspot_signature_versions: {})",
      v3 ? fmt::format("v3 ({})", kHeaderV3) : fmt::format("v1 ({})", kHeaderSignature), AcceptedList(options)));
}

}  // namespace tajo::server
