// The tajo.yaml schema: which keys exist where, what each holds, what is required. The checked
// walk itself (positions, key paths, ${VAR}, "did you mean") is core/yaml_reader.h.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

#include "core/config.h"
#include "core/config_loader.h"
#include "core/redact.h"
#include "core/yaml_reader.h"

namespace tajo {
namespace config_internal {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// [A-Za-z][A-Za-z0-9_]*: HubSpot internal property names and Brevo attribute names.
bool IsIdentifier(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// True for anything a reader would take for a number: "10", "-3", "0", "1.5", "1e3".
bool LooksNumeric(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
           c == '+' || c == '-' || c == '_';
  });
}

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

// The lower-cased scheme of "scheme://...", or "" when `s` is not such a URL.
std::string UrlScheme(std::string_view s) {
  const size_t p = s.find("://");
  if (p == std::string_view::npos || p == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) {
    return "";
  }
  std::string scheme;
  for (char c : s.substr(0, p)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return "";
    scheme.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return scheme;
}

// The password of scheme://user:password@host/..., or "".
std::string UrlPassword(std::string_view url) {
  const size_t start = url.find("://");
  if (start == std::string_view::npos) return "";
  std::string_view authority = url.substr(start + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return "";
  const std::string_view userinfo = authority.substr(0, at);
  const size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return "";
  return std::string(userinfo.substr(colon + 1));
}

// "host:port" or "[v6]:port" -> host (without brackets), port 0..65535.
bool ParseListen(std::string_view s, std::string* host, int* port) {
  std::string_view h, p;
  if (s.starts_with("[")) {
    const size_t close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') return false;
    h = s.substr(1, close - 1);
    p = s.substr(close + 2);
  } else {
    const size_t colon = s.rfind(':');
    if (colon == std::string_view::npos) return false;
    h = s.substr(0, colon);
    p = s.substr(colon + 1);
    if (h.find(':') != std::string_view::npos) return false;  // a bare IPv6 address needs []
  }
  if (h.empty() || p.empty() || p.size() > 5) return false;
  if (std::any_of(h.begin(), h.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    return false;
  }
  int v = 0;
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
  if (ec != std::errc() || ptr != p.data() + p.size() || v < 0 || v > 65535) return false;
  *host = std::string(h);
  *port = v;
  return true;
}

void Loader::ParseRoot(const YAML::Node& root) {
  if (!root.IsDefined() || root.IsNull()) {  // an empty file: every default
    FillDerived();
    return;
  }
  if (!root.IsMap()) {
    r_.Error(root, "",
             "expected a mapping at the top level (connectors:, brevo:, store:, server:), got " +
                 r_.Got(root));
    return;
  }
  static constexpr std::array<std::string_view, 4> kKeys = {"connectors", "brevo", "store", "server"};
  for (const YamlEntry& e : r_.KnownEntries(root, "", kKeys)) {
    const std::string& k = e.key.Scalar();
    if (k == "connectors") {
      std::optional<YAML::Node> m = r_.Mapping(e);
      if (!m) continue;
      static constexpr std::array<std::string_view, 1> kConnectors = {"hubspot"};
      for (const YamlEntry& c : r_.KnownEntries(*m, e.path, kConnectors)) ParseHubSpot(c);
    } else if (k == "brevo") {
      ParseBrevo(e);
    } else if (k == "store") {
      ParseStore(e);
    } else if (k == "server") {
      ParseServer(e);
    }
  }
  FillDerived();
  CheckRequired();
}

void Loader::FillDerived() {
  const HubSpotConfig& h = config_.connectors.hubspot;
  WebhooksConfig& w = config_.server.webhooks;
  // A public app (oauth) signs v3 only; a private app signs v1 only, and tajo may run with either
  // before the switch, so both are accepted then.
  if (!signature_versions_written_) {
    w.hubspot_signature_versions = {SignatureVersion::kV3};
    if (!h.oauth.has_value()) w.hubspot_signature_versions.push_back(SignatureVersion::kV1);
  }
  w.log_webhooks = h.log_webhooks;  // not a key of its own: the HubSpot connector's switch
}

void Loader::ParseHubSpot(const YamlEntry& section) {
  HubSpotConfig& h = config_.connectors.hubspot;
  hubspot_ = section;
  h.enabled = true;  // the section exists: on unless `enabled: false`
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  static constexpr std::array<std::string_view, 20> kKeys = {
      "enabled",   "access_token", "sync",          "direction",   "lists",    "field_mapping",
      "debug",     "log_level",    "log_webhooks",  "plan",        "rate_limits", "base_url",
      "app_id",    "client_secret", "oauth",        "schedule",    "create_missing_attributes",
      "enumerations", "default_country", "on_delete"};
  std::vector<YamlEntry> entries = r_.KnownEntries(*m, section.path, kKeys);
  // The plan first: rate_limits overrides apply on top of its defaults.
  if (auto e = YamlReader::Find(entries, "plan")) {
    if (auto i = r_.OneOf(*e, HubSpotPlanNames())) h.plan = static_cast<HubSpotPlan>(*i);
  }
  h.rate_limits = DefaultHubSpotRateLimits(h.plan);
  for (const YamlEntry& e : entries) {
    const std::string& k = e.key.Scalar();
    if (k == "enabled") {
      if (auto v = r_.Bool(e)) h.enabled = *v;
    } else if (k == "access_token") {
      access_token_ = e;
      if (auto v = r_.Secret(e)) h.access_token = *v;
    } else if (k == "sync") {
      ParseSync(e);
    } else if (k == "direction") {
      if (auto i = r_.OneOf(e, SyncDirectionNames())) h.direction = static_cast<SyncDirection>(*i);
    } else if (k == "lists") {
      ParseLists(e);
    } else if (k == "field_mapping") {
      ParseFieldMapping(e);
    } else if (k == "debug") {
      if (auto v = r_.Bool(e)) h.debug = *v;
    } else if (k == "log_level") {
      ParseLogLevel(e);
    } else if (k == "log_webhooks") {
      if (auto v = r_.Bool(e)) h.log_webhooks = *v;
    } else if (k == "rate_limits") {
      ParseHubSpotRateLimits(e);
    } else if (k == "base_url") {
      if (auto v = r_.Url(e)) h.base_url = *v;
    } else if (k == "app_id") {
      if (auto v = r_.PositiveInt(e, "a positive integer (the HubSpot app id)")) h.app_id = *v;
    } else if (k == "client_secret") {
      if (auto v = r_.Secret(e)) h.client_secret = *v;
    } else if (k == "oauth") {
      ParseOAuth(e);
    } else if (k == "schedule") {
      ParseSchedule(e);
    } else if (k == "create_missing_attributes") {
      if (auto v = r_.Bool(e)) h.create_missing_attributes = *v;
    } else if (k == "enumerations") {
      if (auto i = r_.OneOf(e, EnumerationFormatNames())) h.enumerations = static_cast<EnumerationFormat>(*i);
    } else if (k == "on_delete") {
      if (auto i = r_.OneOf(e, OnDeleteNames())) h.on_delete = static_cast<OnDelete>(*i);
    } else if (k == "default_country") {
      ParseDefaultCountry(e);
    }
  }
}

void Loader::ParseDefaultCountry(const YamlEntry& e) {
  static constexpr std::string_view kExpected = "a two-letter ISO 3166 country code like US or FR";
  std::optional<std::string> v = r_.String(e, kExpected);
  if (!v) return;
  std::string code = *v;
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (code.size() != 2 || !std::isalpha(static_cast<unsigned char>(code[0])) ||
      !std::isalpha(static_cast<unsigned char>(code[1]))) {
    r_.Error(e, fmt::format("expected {}, got {}", kExpected, r_.Got(e.value, *v)));
    return;
  }
  config_.connectors.hubspot.default_country = code;
}

void Loader::ParseSync(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  HubSpotSyncObjects& sync = config_.connectors.hubspot.sync;
  static constexpr std::array<std::string_view, 5> kKeys = {"contacts", "companies", "deals",
                                                           "tickets", "engagements"};
  for (const YamlEntry& e : r_.KnownEntries(*m, section.path, kKeys)) {
    std::optional<bool> v = r_.Bool(e);
    if (!v) continue;
    const std::string& k = e.key.Scalar();
    if (k == "contacts") sync.contacts = *v;
    if (k == "companies") sync.companies = *v;
    if (k == "deals") sync.deals = *v;
    if (k == "tickets") sync.tickets = *v;
    if (k == "engagements") sync.engagements = *v;
  }
}

void Loader::ParseLogLevel(const YamlEntry& e) {
  const std::string expected = "one of " + JoinNames(kLogLevelNames);
  std::optional<std::string> v = r_.String(e, expected);
  if (!v) return;
  // ParseLogLevel also takes the logger's aliases (warning, trace).
  Result<LogLevel> level = tajo::ParseLogLevel(*v);
  if (level.ok()) {
    config_.connectors.hubspot.log_level = *level;
    return;
  }
  std::string what = fmt::format("expected {}, got {}", expected, r_.Got(e.value, *v));
  if (std::string s = SuggestName(*v, kLogLevelNames); !s.empty()) {
    what += fmt::format("; did you mean '{}'?", s);
  }
  r_.Error(e, what);
}

void Loader::ParseSchedule(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  static constexpr std::array<std::string_view, 1> kKeys = {"interval"};
  static constexpr std::string_view kExpected = "a duration like 15m, 30s or 1h";
  for (const YamlEntry& e : r_.KnownEntries(*m, section.path, kKeys)) {
    std::optional<std::string> v = r_.String(e, kExpected);
    if (!v) continue;
    Result<std::chrono::seconds> d = ParseDuration(*v);
    if (d.ok()) {
      config_.connectors.hubspot.schedule.interval = *d;
    } else {
      r_.Error(e, fmt::format("expected {}, got {}", kExpected, r_.Got(e.value, *v)));
    }
  }
}

void Loader::ParseOAuth(const YamlEntry& section) {
  static constexpr std::array<std::string_view, 4> kKeys = {"client_id", "client_secret",
                                                           "redirect_uri", "scopes"};
  static constexpr std::array<std::string_view, 3> kRequired = {"client_id", "client_secret",
                                                               "redirect_uri"};
  HubSpotOAuthConfig oauth;
  oauth.scopes = DefaultHubSpotScopes();
  std::vector<YamlEntry> entries;
  if (section.value.IsNull()) {
    // `oauth:` alone: reported below as three missing keys.
  } else if (std::optional<YAML::Node> m = r_.Mapping(section)) {
    entries = r_.KnownEntries(*m, section.path, kKeys);
  } else {
    return;
  }
  for (const YamlEntry& e : entries) {
    const std::string& k = e.key.Scalar();
    if (k == "client_id") {
      if (auto v = r_.String(e)) oauth.client_id = *v;
    } else if (k == "client_secret") {
      if (auto v = r_.Secret(e)) oauth.client_secret = *v;
    } else if (k == "redirect_uri") {
      if (auto v = r_.Url(e)) oauth.redirect_uri = *v;
    } else if (k == "scopes") {
      if (!e.value.IsSequence() || e.value.size() == 0) {
        r_.Error(e, "expected a list of HubSpot scopes, e.g. [crm.objects.contacts.read], got " +
                        r_.Got(e.value));
        continue;
      }
      oauth.scopes.clear();
      for (size_t i = 0; i < e.value.size(); ++i) {
        const YamlEntry item{e.key, e.value[i], fmt::format("{}[{}]", e.path, i)};
        std::optional<std::string> s = r_.String(item, "a scope name");
        if (!s) {
          if (item.value.IsNull()) r_.Error(item, "expected a scope name, got nothing");
        } else if (s->empty() || std::any_of(s->begin(), s->end(), [](char c) {
                     return std::isspace(static_cast<unsigned char>(c));
                   })) {
          r_.Error(item, "expected a scope name without spaces, got " + r_.Got(item.value, *s));
        } else {
          oauth.scopes.push_back(*s);
        }
      }
    }
  }
  // All three are needed for the authorization code flow.
  const std::array<const std::string*, 3> values = {&oauth.client_id, &oauth.client_secret,
                                                    &oauth.redirect_uri};
  for (size_t i = 0; i < kRequired.size(); ++i) {
    const std::string path = section.path + "." + std::string(kRequired[i]);
    if (!values[i]->empty() || r_.Reported(path)) continue;  // set, or already said to be wrong
    std::optional<YamlEntry> e = YamlReader::Find(entries, kRequired[i]);
    r_.Error(e ? e->key : section.key, path, "required when connectors.hubspot.oauth is set");
  }
  config_.connectors.hubspot.oauth = std::move(oauth);
}

void Loader::ParseHubSpotRateLimits(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  HubSpotRateLimits& limits = config_.connectors.hubspot.rate_limits;
  static constexpr std::array<std::string_view, 3> kKeys = {"per_10s", "daily", "search_per_second"};
  for (const YamlEntry& e : r_.KnownEntries(*m, section.path, kKeys)) {
    std::optional<int64_t> v = r_.PositiveInt(e);
    if (!v) continue;
    const std::string& k = e.key.Scalar();
    if (k == "per_10s") limits.per_10s = *v;
    if (k == "daily") limits.daily = *v;
    if (k == "search_per_second") limits.search_per_second = *v;
  }
}

void Loader::ParseBrevo(const YamlEntry& section) {
  brevo_ = section;
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  BrevoConfig& b = config_.brevo;
  static constexpr std::array<std::string_view, 4> kKeys = {"api_key", "base_url", "plan",
                                                           "rate_limits"};
  std::vector<YamlEntry> entries = r_.KnownEntries(*m, section.path, kKeys);
  if (auto e = YamlReader::Find(entries, "plan")) {
    if (auto i = r_.OneOf(*e, BrevoPlanNames())) b.plan = static_cast<BrevoPlan>(*i);
  }
  b.rate_limits = DefaultBrevoRateLimits(b.plan);
  for (const YamlEntry& e : entries) {
    const std::string& k = e.key.Scalar();
    if (k == "api_key") {
      api_key_ = e;
      if (auto v = r_.Secret(e)) b.api_key = *v;
    } else if (k == "base_url") {
      if (auto v = r_.Url(e)) b.base_url = *v;
    } else if (k == "rate_limits") {
      std::optional<YAML::Node> rm = r_.Mapping(e);
      if (!rm) continue;
      static constexpr std::array<std::string_view, 4> kLimits = {
          "contacts_per_second", "contacts_per_hour", "events_per_second", "other_per_hour"};
      for (const YamlEntry& l : r_.KnownEntries(*rm, e.path, kLimits)) {
        std::optional<int64_t> v = r_.PositiveInt(l);
        if (!v) continue;
        const std::string& lk = l.key.Scalar();
        if (lk == "contacts_per_second") b.rate_limits.contacts_per_second = *v;
        if (lk == "contacts_per_hour") b.rate_limits.contacts_per_hour = *v;
        if (lk == "events_per_second") b.rate_limits.events_per_second = *v;
        if (lk == "other_per_hour") b.rate_limits.other_per_hour = *v;
      }
    }
  }
}

std::string Loader::EmptyHint(const std::optional<YamlEntry>& e) const {
  if (!e || !e->value.IsScalar()) return "";
  if (!ExpandEnv(e->value.Scalar(), r_.env()).used_variables) return "";
  return " (" + QuoteForMessage(e->value.Scalar()) + " expanded to an empty string)";
}

// Cross-field rules, once every section is read. A value already reported as wrong is not
// reported again as missing, nor is anything in a file that is not valid YAML to the end.
void Loader::CheckRequired() {
  const HubSpotConfig& h = config_.connectors.hubspot;
  if (!h.enabled || !hubspot_ || r_.Reported("connectors.hubspot") || r_.syntax_error()) return;
  if (h.access_token.empty() && !h.oauth.has_value() &&
      !r_.Reported("connectors.hubspot.access_token")) {
    r_.Error(access_token_ ? access_token_->key : hubspot_->key, "connectors.hubspot.access_token",
             "required when connectors.hubspot is enabled (a private app token; or configure "
             "connectors.hubspot.oauth)" + EmptyHint(access_token_));
  }
  if (config_.brevo.api_key.empty() && !r_.Reported("brevo") && !r_.Reported("brevo.api_key")) {
    const YAML::Node& at = api_key_ ? api_key_->key : (brevo_ ? brevo_->key : hubspot_->key);
    r_.Error(at, "brevo.api_key", "required when connectors.hubspot is enabled" + EmptyHint(api_key_));
  }
}

}  // namespace config_internal

Result<Config> LoadConfigString(const std::string& text, const std::string& display_name,
                                const ConfigLoadOptions& options) {
  YamlReader reader(text, display_name, options.env, options.register_secrets);
  config_internal::Loader loader(reader, options);
  loader.ParseRoot(reader.Parse());
  if (!reader.ok()) return reader.ToStatus();
  Config config = std::move(loader.config());
  config.source = display_name;
  return config;
}

}  // namespace tajo
