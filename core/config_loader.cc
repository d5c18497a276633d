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
#include "core/redact.h"
#include "core/yaml_reader.h"

namespace tajo {
namespace {

constexpr std::array<std::string_view, 5> kLogLevelNames = {"error", "warn", "info", "debug",
                                                           "verbose"};

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

bool Loader::ParseListTarget(const YamlEntry& e, std::string_view expected, ListAssignment* a) {
  if (!e.value.IsScalar()) {
    r_.Error(e, fmt::format("expected {}, got {}", expected, r_.Got(e.value)));
    return false;
  }
  std::optional<std::string> v = r_.String(e, expected);
  if (!v) return false;
  if (LooksNumeric(*v)) {
    // A number is always an id: "0", "-3" and "1.5" are mistakes, not list names.
    int64_t id = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
    if (ec != std::errc() || ptr != v->data() + v->size() || id <= 0 || (*v)[0] == '+') {
      r_.Error(e, "expected a positive integer (a Brevo list id), got " + r_.Got(e.value, *v));
      return false;
    }
    a->list_id = id;
    a->list_name.clear();
    return true;
  }
  if (IsBlank(*v)) {
    r_.Error(e, fmt::format("expected {}, got {}", expected, r_.Got(e.value, *v)));
    return false;
  }
  a->list_id = 0;
  a->list_name = *v;
  return true;
}

void Loader::ParseLists(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  static constexpr std::string_view kExpected =
      "a Brevo list id (a positive integer), a list name, or a rule {property, operator, value}";
  const std::span<const std::string_view> built_in = BuiltInListNames();
  for (const YamlEntry& e : r_.Entries(*m, section.path)) {
    ListAssignment a;
    a.key = e.key.Scalar();
    if (IsBlank(a.key)) {
      r_.Error(e.key, e.path, "a list entry needs a name");
      continue;
    }
    if (e.value.IsMap()) {
      a.kind = ListAssignment::Kind::kRule;
      ParseListRule(e, std::move(a));
      continue;
    }
    if (!ParseListTarget(e, kExpected, &a)) continue;
    // Only the built-in names say who belongs; any other list needs a rule to say it.
    if (std::find(built_in.begin(), built_in.end(), a.key) == built_in.end()) {
      r_.Error(e, "a list other than all_contacts, qualified_leads and customers needs a rule: "
                  "{property, operator, value[, list]}");
      continue;
    }
    a.kind = a.list_id > 0 ? ListAssignment::Kind::kListId : ListAssignment::Kind::kListName;
    config_.connectors.hubspot.lists.push_back(std::move(a));
  }
}

void Loader::ParseListRule(const YamlEntry& e, ListAssignment a) {
  static constexpr std::array<std::string_view, 4> kKeys = {"property", "operator", "value", "list"};
  std::vector<YamlEntry> entries = r_.KnownEntries(e.value, e.path, kKeys);
  bool ok = true;
  // The target: `list:` (an id or a name), else the list named by the key. A null `list:` is
  // absent, as everywhere in the file.
  a.list_id = 0;
  a.list_name = a.key;
  if (const std::optional<YamlEntry> list = YamlReader::Find(entries, "list"); list && !list->value.IsNull()) {
    ok = ParseListTarget(*list, "a Brevo list id (a positive integer) or a list name", &a);
  }
  const std::optional<YamlEntry> property = YamlReader::Find(entries, "property");
  const std::optional<YamlEntry> op = YamlReader::Find(entries, "operator");
  const std::optional<YamlEntry> value = YamlReader::Find(entries, "value");

  std::optional<std::string> p = property ? r_.String(*property, "a HubSpot property name") : std::nullopt;
  if (p && !IsIdentifier(*p)) {
    r_.Error(*property, "expected a HubSpot property name (letters, digits and '_', starting with "
                        "a letter), got " + r_.Got(property->value, *p));
    ok = false;
  } else if (!p) {
    if (!property || property->value.IsNull()) {
      r_.Error(e.key, e.path + ".property", "a rule needs a HubSpot property");
    }
    ok = false;
  }

  std::optional<size_t> o = op ? r_.OneOf(*op, ListRuleOperatorNames()) : std::nullopt;
  if (!o) {
    if (!op || op->value.IsNull()) {
      r_.Error(e.key, e.path + ".operator",
               "a rule needs an operator (one of " + JoinNames(ListRuleOperatorNames()) + ")");
    }
    ok = false;
  } else {
    a.rule.op = static_cast<ListRuleOperator>(*o);
    const std::string_view name = ListRuleOperatorName(a.rule.op);
    const bool present = value && !value->value.IsNull();
    switch (a.rule.op) {
      case ListRuleOperator::kExists:
        if (present) {
          r_.Error(*value, "operator 'exists' takes no value");
          ok = false;
        }
        break;
      case ListRuleOperator::kIn:
      case ListRuleOperator::kNotIn:
        if (!present || !value->value.IsSequence() || value->value.size() == 0) {
          const std::string what = fmt::format("operator '{}' needs a list of values, e.g. [a, b]", name);
          if (present) {
            r_.Error(*value, what + ", got " + r_.Got(value->value));
          } else {
            r_.Error(e.key, e.path + ".value", what);
          }
          ok = false;
          break;
        }
        for (size_t i = 0; i < value->value.size(); ++i) {
          const YamlEntry item{value->key, value->value[i], fmt::format("{}[{}]", value->path, i)};
          if (std::optional<std::string> s = r_.String(item, "a single value")) {
            a.rule.values.push_back(*s);
          } else {
            if (item.value.IsNull()) r_.Error(item, "expected a value, got nothing");
            ok = false;
          }
        }
        break;
      default:  // eq, neq, gt, lt
        if (!present) {
          r_.Error(e.key, e.path + ".value", fmt::format("operator '{}' needs a value", name));
          ok = false;
        } else if (std::optional<std::string> s = r_.String(*value, "a single value")) {
          a.rule.values.push_back(*s);
        } else {
          ok = false;
        }
    }
  }
  if (!ok) return;
  a.rule.property = *p;
  config_.connectors.hubspot.lists.push_back(std::move(a));
}

void Loader::ParseFieldMapping(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;  // absent: DefaultFieldMapping()
  std::vector<FieldMapping> mapping;
  std::vector<int> lines;  // 1-based line of each entry of `mapping`
  for (const YamlEntry& e : r_.Entries(*m, section.path)) {
    const std::string& property = e.key.Scalar();
    bool ok = true;
    if (!IsIdentifier(property)) {
      r_.Error(e.key, e.path,
               "a HubSpot property name is letters, digits and '_', starting with a letter");
      ok = false;
    }
    std::optional<std::string> target = r_.String(e, "a Brevo attribute name");
    if (!target) {
      if (e.value.IsNull()) r_.Error(e, "expected a Brevo attribute name, got nothing");
      continue;
    }
    if (!IsIdentifier(*target)) {
      r_.Error(e, "expected a Brevo attribute name (letters, digits and '_', starting with a "
                  "letter), got " + r_.Got(e.value, *target));
      continue;
    }
    // Brevo keeps attribute names in capitals (it upper-cases what it is sent), so "firstName"
    // and "FIRSTNAME" are one attribute: normalise to the form Brevo uses.
    FieldMapping f{property, Upper(*target), false};
    if (property == "email") {
      if (f.brevo_attribute != "EMAIL") {
        r_.Error(e, "email is the identity key both sides match contacts on; it can only map to "
                    "email (EMAIL), got " + r_.Got(e.value, *target));
        continue;
      }
      f.identity = true;
    } else if (f.brevo_attribute == "EMAIL") {
      r_.Error(e, "EMAIL is Brevo's identity attribute; only the HubSpot property 'email' maps to it");
      continue;
    }
    auto dup = std::find_if(mapping.begin(), mapping.end(), [&](const FieldMapping& x) {
      return x.brevo_attribute == f.brevo_attribute;
    });
    if (dup != mapping.end()) {
      r_.Error(e, fmt::format("Brevo attribute {} is already mapped from '{}' on line {}",
                              f.brevo_attribute, dup->hubspot_property,
                              lines[static_cast<size_t>(dup - mapping.begin())]));
      continue;
    }
    if (!ok) continue;
    mapping.push_back(std::move(f));
    lines.push_back(e.key.Mark().line + 1);
  }
  // The identity always comes first, whether or not the file wrote it.
  std::stable_partition(mapping.begin(), mapping.end(), [](const FieldMapping& f) { return f.identity; });
  if (mapping.empty() || !mapping.front().identity) {
    mapping.insert(mapping.begin(), FieldMapping{"email", "EMAIL", true});
  }
  config_.connectors.hubspot.field_mapping = std::move(mapping);
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

}  // namespace

Result<Config> LoadConfigString(const std::string& text, const std::string& display_name,
                                const ConfigLoadOptions& options) {
  YamlReader reader(text, display_name, options.env, options.register_secrets);
  Loader loader(reader, options);
  loader.ParseRoot(reader.Parse());
  if (!reader.ok()) return reader.ToStatus();
  Config config = std::move(loader.config());
  config.source = display_name;
  return config;
}

}  // namespace tajo
