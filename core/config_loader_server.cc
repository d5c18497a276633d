// tajo.yaml: store, server (listen, keys, public_url, limits, webhooks, worker).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

#include "core/config_loader.h"
#include "core/redact.h"
#include "core/yaml_reader.h"

namespace tajo::config_internal {

void Loader::ParseStore(const YamlEntry& e) {
  static constexpr std::string_view kExpected = "a SQLite file path or a postgresql:// URL";
  std::optional<std::string> v = r_.String(e, kExpected);
  if (!v) return;
  if (IsBlank(*v)) {
    r_.Error(e, fmt::format("expected {}, got {}", kExpected, r_.Got(e.value, *v)));
    return;
  }
  const std::string scheme = UrlScheme(*v);
  if (scheme.empty()) {
    config_.store = {StoreConfig::Engine::kSqlite, *v};
    return;
  }
  // A URL may hold a password: register it, and never quote the URL in a message.
  const std::string password = UrlPassword(*v);
  if (!password.empty() && options_.register_secrets) RegisterSecret(password);
  if (scheme != "postgresql" && scheme != "postgres") {
    r_.Error(e, fmt::format("unsupported store URL scheme '{}' (expected a SQLite file path, or a "
                            "postgresql:// or postgres:// URL)", scheme));
    return;
  }
  config_.store = {StoreConfig::Engine::kPostgres, *v};
}

void Loader::ParseServer(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  ServerConfig& s = config_.server;
  static constexpr std::array<std::string_view, 6> kKeys = {"listen",         "api_key", "public_url",
                                                           "max_body_bytes", "webhooks", "worker"};
  for (const YamlEntry& e : r_.KnownEntries(*m, section.path, kKeys)) {
    const std::string& k = e.key.Scalar();
    if (k == "listen") {
      std::optional<std::string> v = r_.String(e, "host:port");
      if (!v) continue;
      if (!ParseListen(*v, &s.host, &s.port)) {
        r_.Error(e, "expected host:port with a port from 0 to 65535 (e.g. 127.0.0.1:8080, "
                    "[::1]:8080), got " + r_.Got(e.value, *v));
        continue;
      }
      s.listen = *v;
    } else if (k == "api_key") {
      if (auto v = r_.Secret(e)) s.api_key = *v;
    } else if (k == "public_url") {
      if (e.value.IsScalar() && e.value.Scalar().empty()) continue;  // "": not set
      if (auto v = r_.Url(e)) s.public_url = *v;
    } else if (k == "max_body_bytes") {
      if (auto v = IntInRange(e, 1024, 64 * 1024 * 1024,
                              "a number of bytes from 1024 (1 KiB) to 67108864 (64 MiB)")) {
        s.max_body_bytes = *v;
      }
    } else if (k == "webhooks") {
      ParseWebhooks(e);
    } else if (k == "worker") {
      ParseWorker(e);
    }
  }
}

std::optional<int64_t> Loader::IntInRange(const YamlEntry& e, int64_t lo, int64_t hi,
                                          std::string_view expected) {
  std::optional<std::string> v = r_.String(e, expected);
  if (!v) return std::nullopt;
  const bool digits = !v->empty() && v->size() <= 18 && std::all_of(v->begin(), v->end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  int64_t n = 0;
  if (digits) std::from_chars(v->data(), v->data() + v->size(), n);
  if (!digits || n < lo || n > hi) {
    r_.Error(e, fmt::format("expected {}, got {}", expected, r_.Got(e.value, *v)));
    return std::nullopt;
  }
  return n;
}

void Loader::ParseWebhooks(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  WebhooksConfig& w = config_.server.webhooks;
  static constexpr std::array<std::string_view, 3> kKeys = {"hubspot_signature_versions",
                                                           "max_timestamp_age", "brevo_token"};
  for (const YamlEntry& e : r_.KnownEntries(*m, section.path, kKeys)) {
    const std::string& k = e.key.Scalar();
    if (k == "hubspot_signature_versions") {
      ParseSignatureVersions(e);
    } else if (k == "max_timestamp_age") {
      static constexpr std::string_view kExpected = "a duration from 1s to 1h, like 5m or 30s";
      std::optional<std::string> v = r_.String(e, kExpected);
      if (!v) continue;
      Result<std::chrono::seconds> d = ParseDuration(*v);
      if (!d.ok() || *d > std::chrono::hours(1)) {  // ParseDuration refuses 0
        r_.Error(e, fmt::format("expected {}, got {}", kExpected, r_.Got(e.value, *v)));
        continue;
      }
      w.max_timestamp_age_ms = std::chrono::duration_cast<std::chrono::milliseconds>(*d).count();
    } else if (k == "brevo_token") {
      if (auto v = r_.Secret(e)) w.brevo_token = *v;
    }
  }
}

void Loader::ParseSignatureVersions(const YamlEntry& e) {
  if (e.value.IsNull()) return;  // absent: the default
  const std::string expected =
      "a non-empty list of HubSpot signature versions (" + JoinNames(SignatureVersionNames()) + "), e.g. [v3]";
  if (!e.value.IsSequence() || e.value.size() == 0) {
    r_.Error(e, "expected " + expected + ", got " + r_.Got(e.value));
    return;
  }
  std::vector<SignatureVersion> versions;
  std::vector<int> lines;  // 1-based line of each entry of `versions`
  bool ok = true;
  for (size_t i = 0; i < e.value.size(); ++i) {
    const YamlEntry item{e.key, e.value[i], fmt::format("{}[{}]", e.path, i)};
    if (item.value.IsNull()) {
      r_.Error(item, "expected a signature version (" + JoinNames(SignatureVersionNames()) + "), got nothing");
      ok = false;
      continue;
    }
    std::optional<size_t> index = r_.OneOf(item, SignatureVersionNames());
    if (!index) {
      ok = false;
      continue;
    }
    const auto v = static_cast<SignatureVersion>(*index);
    const auto dup = std::find(versions.begin(), versions.end(), v);
    if (dup != versions.end()) {
      r_.Error(item, fmt::format("{} is listed twice (first on line {})", SignatureVersionNames()[*index],
                                 lines[static_cast<size_t>(dup - versions.begin())]));
      ok = false;
      continue;
    }
    versions.push_back(v);
    lines.push_back(item.value.Mark().line + 1);
  }
  signature_versions_written_ = true;  // even when wrong: the error stands, no default hides it
  if (ok) config_.server.webhooks.hubspot_signature_versions = std::move(versions);
}

void Loader::ParseWorker(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  WorkerConfig& w = config_.server.worker;
  static constexpr std::array<std::string_view, 5> kKeys = {"window_ms", "max_objects", "max_attempts",
                                                           "retry_base_ms", "retry_max_ms"};
  const std::vector<YamlEntry> entries = r_.KnownEntries(*m, section.path, kKeys);
  bool base_ok = true, max_ok = true;  // false when the value was reported as wrong
  for (const YamlEntry& e : entries) {
    const std::string& k = e.key.Scalar();
    if (k == "window_ms") {
      if (auto v = IntInRange(e, 0, 60'000, "a number of milliseconds from 0 to 60000")) w.window_ms = *v;
    } else if (k == "max_objects") {
      auto v = IntInRange(e, 1, 1000, "a number of objects from 1 to 1000");
      if (v) w.max_objects = static_cast<int>(*v);
    } else if (k == "max_attempts") {
      auto v = IntInRange(e, 1, 100, "a number of attempts from 1 to 100");
      if (v) w.max_attempts = static_cast<int>(*v);
    } else if (k == "retry_base_ms") {
      auto v = IntInRange(e, 1, 3'600'000, "a number of milliseconds from 1 to 3600000 (1h)");
      if (v) w.retry_base_ms = *v;
      base_ok = v.has_value() || e.value.IsNull();
    } else if (k == "retry_max_ms") {
      auto v = IntInRange(e, 1, std::numeric_limits<int64_t>::max(), "a positive number of milliseconds");
      if (v) w.retry_max_ms = *v;
      max_ok = v.has_value() || e.value.IsNull();
    }
  }
  if (!base_ok || !max_ok || w.retry_max_ms >= w.retry_base_ms) return;
  if (std::optional<YamlEntry> max = YamlReader::Find(entries, "retry_max_ms"); max && !max->value.IsNull()) {
    r_.Error(*max, fmt::format("retry_max_ms ({}) must be at least retry_base_ms ({})", w.retry_max_ms,
                               w.retry_base_ms));
  } else if (std::optional<YamlEntry> base = YamlReader::Find(entries, "retry_base_ms")) {
    r_.Error(*base, fmt::format("retry_base_ms ({}) must be at most retry_max_ms ({}, its default; "
                                "raise it too)", w.retry_base_ms, w.retry_max_ms));
  }
}

}  // namespace tajo::config_internal
