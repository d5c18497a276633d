// The tajo.yaml loader's insides, shared by its files (core/config_loader*.cc): the Loader that
// walks one document, and the small text helpers its sections use. Not an API: include it only
// from core/config_loader*.cc.
//
// A Loader is used by one thread, once.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/yaml_reader.h"

namespace tajo::config_internal {

inline constexpr std::array<std::string_view, 5> kLogLevelNames = {"error", "warn", "info", "debug",
                                                                  "verbose"};

std::string Upper(std::string_view s);

// [A-Za-z][A-Za-z0-9_]*: HubSpot internal property names and Brevo attribute names.
bool IsIdentifier(std::string_view s);

// True for anything a reader would take for a number: "10", "-3", "0", "1.5", "1e3".
bool LooksNumeric(std::string_view s);

// Empty or only spaces and tabs.
bool IsBlank(std::string_view s);

// The lower-cased scheme of "scheme://...", or "" when `s` is not such a URL.
std::string UrlScheme(std::string_view s);

// The password of scheme://user:password@host/..., or "".
std::string UrlPassword(std::string_view url);

// "host:port" or "[v6]:port" -> host (without brackets), port 0..65535.
bool ParseListen(std::string_view s, std::string* host, int* port);

// Walks one document with a YamlReader and fills a Config.
class Loader {
 public:
  Loader(YamlReader& r, const ConfigLoadOptions& options) : r_(r), options_(options) {}
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  void ParseRoot(const YAML::Node& root);
  Config& config() { return config_; }

 private:
  void ParseHubSpot(const YamlEntry& section);
  void ParseSync(const YamlEntry& section);
  void ParseLists(const YamlEntry& section);
  void ParseListRule(const YamlEntry& e, ListAssignment a);
  // Reads a list id (a positive integer) or a list name from `e` into a->list_id / list_name.
  // Returns false, reported with `expected`, when the value is neither (or null).
  bool ParseListTarget(const YamlEntry& e, std::string_view expected, ListAssignment* a);
  void ParseFieldMapping(const YamlEntry& section);
  void ParseOAuth(const YamlEntry& section);
  void ParseHubSpotRateLimits(const YamlEntry& section);
  void ParseSchedule(const YamlEntry& section);
  void ParseDefaultCountry(const YamlEntry& e);
  void ParseLogLevel(const YamlEntry& e);
  void ParseBrevo(const YamlEntry& section);
  void ParseStore(const YamlEntry& e);
  void ParseServer(const YamlEntry& section);
  void ParseWebhooks(const YamlEntry& section);
  void ParseSignatureVersions(const YamlEntry& e);
  void ParseWorker(const YamlEntry& section);
  // An integer (digits only) from `lo` to `hi`; reported with `expected` otherwise.
  std::optional<int64_t> IntInRange(const YamlEntry& e, int64_t lo, int64_t hi, std::string_view expected);
  // Defaults that depend on other sections, once every section is read.
  void FillDerived();
  void CheckRequired();
  // " (\"${X}\" expanded to an empty string)" when an empty value came from the environment.
  std::string EmptyHint(const std::optional<YamlEntry>& e) const;

  YamlReader& r_;
  const ConfigLoadOptions& options_;
  Config config_;
  // Remembered for the cross-field checks in CheckRequired().
  std::optional<YamlEntry> hubspot_, access_token_, brevo_, api_key_;
  bool signature_versions_written_ = false;  // server.webhooks.hubspot_signature_versions
};

}  // namespace tajo::config_internal
