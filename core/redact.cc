#include "core/redact.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <regex>
#include <set>
#include <vector>

namespace tajo {
namespace {

std::mutex& SecretsMu() {
  static std::mutex mu;
  return mu;
}
std::set<std::string, std::greater<>>& Secrets() {  // longest-first is not needed: set order is fine
  static std::set<std::string, std::greater<>> s;
  return s;
}

struct Pattern {
  std::regex re;
  std::string replacement;
};

const std::vector<Pattern>& Patterns() {
  static const std::vector<Pattern> patterns = [] {
    const auto icase = std::regex::ECMAScript | std::regex::icase | std::regex::optimize;
    std::vector<Pattern> p;
    // Headers: "Authorization: Bearer x", "api-key: x", "X-HubSpot-Signature: x".
    p.push_back({std::regex(R"re((\b(?:proxy-)?authorization\s*[:=]\s*)(?:(?:bearer|basic)\s+)?[^\s",;]+)re", icase),
                 "$1[REDACTED]"});
    p.push_back({std::regex(R"re((\b(?:api-key|x-api-key|x-hubspot-signature(?:-v3)?|x-sib-api-key)\s*:\s*)[^\s",;]+)re", icase),
                 "$1[REDACTED]"});
    // JSON fields: "access_token": "x" (also refresh_token, client_secret, api_key, apiKey, ...).
    p.push_back({std::regex(R"re(("(?:access_?token|refresh_?token|client_?secret|api_?key|apikey|password|secret|token|authorization)"\s*:\s*")(?:[^"\\]|\\.)*")re", icase),
                 "$1[REDACTED]\""});
    // YAML / form / query: access_token=x, refresh_token: x, hapikey=x.
    p.push_back({std::regex(R"re((\b(?:access_token|refresh_token|client_secret|api_key|apikey|hapikey|password|token|secret)\s*[=:]\s*)[^\s&"',;]+)re", icase),
                 "$1[REDACTED]"});
    // OAuth authorization codes in redirect URLs and form bodies: ?code=x, &code=x.
    p.push_back({std::regex(R"re((^|[?&])(code=)[^&\s"]+)re", icase), "$1$2[REDACTED]"});
    // user:password@ in URLs.
    p.push_back({std::regex(R"re((\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^@\s/]+@)re", icase), "$1[REDACTED]@"});
    // HubSpot token info paths.
    p.push_back({std::regex(R"re((/oauth/v1/(?:access|refresh)-tokens/)[^/?\s"]+)re", icase), "$1[REDACTED]"});
    // Token shapes: HubSpot private app tokens and Brevo API keys.
    p.push_back({std::regex(R"re(\bpat-[a-z0-9]{2,4}-[A-Za-z0-9-]{8,})re", icase), "[REDACTED]"});
    p.push_back({std::regex(R"re(\bxkeysib-[A-Za-z0-9-]{8,})re", icase), "[REDACTED]"});
    p.push_back({std::regex(R"re(\bxsmtpsib-[A-Za-z0-9-]{8,})re", icase), "[REDACTED]"});
    return p;
  }();
  return patterns;
}

void ReplaceAll(std::string& s, const std::string& from, std::string_view to) {
  if (from.empty()) return;
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

}  // namespace

void RegisterSecret(std::string_view secret) {
  if (secret.size() < 6) return;
  std::lock_guard<std::mutex> lock(SecretsMu());
  Secrets().emplace(secret);
}

void ClearRegisteredSecrets() {
  std::lock_guard<std::mutex> lock(SecretsMu());
  Secrets().clear();
}

std::string Redact(std::string_view text) {
  std::string out(text);
  {
    std::lock_guard<std::mutex> lock(SecretsMu());
    // Longer secrets first, so a secret containing another is masked whole.
    std::vector<const std::string*> ordered;
    for (const auto& s : Secrets()) ordered.push_back(&s);
    std::sort(ordered.begin(), ordered.end(),
              [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
    for (const auto* s : ordered) ReplaceAll(out, *s, kRedacted);
  }
  for (const auto& p : Patterns()) out = std::regex_replace(out, p.re, p.replacement);
  return out;
}

bool IsSecretName(std::string_view name) {
  std::string n;
  for (char c : name) {
    if (c == '-' || c == '_') continue;
    n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  static const char* kWords[] = {"authorization", "apikey", "token", "secret", "password", "hapikey",
                                 "signature"};
  for (const char* w : kWords) {
    if (n.find(w) != std::string::npos) return true;
  }
  return false;
}

std::string MaskSecret(std::string_view secret) {
  if (secret.empty()) return "";
  if (secret.size() < 12) return std::string(kRedacted);
  return std::string(secret.substr(0, 4)) + "…" + std::string(kRedacted);
}

}  // namespace tajo
