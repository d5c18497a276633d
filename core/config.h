// The tajo configuration: what tajo.yaml says, validated, with every default filled in.
//
// The structs mirror the YAML: `config.connectors.hubspot.sync.deals` is
// `connectors: hubspot: sync: deals:`. The loader checks the whole file and reports every
// problem at once, one per line, each naming the file, the 1-based line and column, the key path
// and what was expected:
//
//   tajo.yaml:7:12: connectors.hubspot.sync.deals: expected a boolean (true/false), got "maybe"
//
// Scalar values may use ${VAR}, ${VAR:-default} and $$ (core/env_subst.h); keys may not.
// Every secret read (access_token, client secrets, API keys, a password in a store URL) is
// registered with RegisterSecret() (core/redact.h) as soon as it is read, so no log can show it.
//
// A Config is a plain value: safe to copy and to share read-only between threads. The loader
// functions are thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/env_subst.h"
#include "core/log.h"
#include "core/plans.h"
#include "core/sync_direction.h"
#include "core/status.h"

namespace tajo {

// connectors.hubspot.sync: which HubSpot object types take part. Contacts are on unless turned
// off; the others cost API budget, so they are opt-in.
struct HubSpotSyncObjects {
  bool contacts = true;
  bool companies = false;
  bool deals = false;
  bool tickets = false;
  bool engagements = false;
};

enum class ListRuleOperator { kEq, kNeq, kIn, kNotIn, kExists, kGt, kLt };
// "eq" | "neq" | "in" | "not_in" | "exists" | "gt" | "lt".
std::string_view ListRuleOperatorName(ListRuleOperator op);
std::span<const std::string_view> ListRuleOperatorNames();  // in enum order

// A membership rule: a contact belongs to the list when its HubSpot `property` satisfies
// `op` against `values`. eq, neq, gt, lt take exactly one value; in, not_in one or more;
// exists none.
struct ListRule {
  std::string property;
  ListRuleOperator op = ListRuleOperator::kEq;
  std::vector<std::string> values;
};

// One entry of connectors.hubspot.lists, `<key>: <target>`, in one of three forms:
//   all_contacts: 10                 kListId: the Brevo list with this id
//   customers: "Customers 2024"      kListName: the Brevo list with this name (resolved at run
//                                    time); a value that looks like a number is always an id
//   vip: {property: hs_lead_status, operator: in, value: [HOT], list: 15}
//                                    kRule: contacts matching the rule go to the Brevo list
//                                    that `list:` names (an id, or a name resolved at run time);
//                                    without `list:`, to the Brevo list named by the key
// The key gives an id or a name its meaning: all_contacts (every synced contact),
// qualified_leads (lifecyclestage marketingqualifiedlead or salesqualifiedlead) or customers
// (lifecyclestage customer). Any other key must be a rule (the loader rejects it otherwise); a
// rule under a built-in key replaces the built-in meaning.
struct ListAssignment {
  enum class Kind { kListId, kListName, kRule };

  std::string key;
  Kind kind = Kind::kListId;
  // The target list. kListId: list_id > 0. kListName: list_name. kRule: either list_id > 0
  // (`list:` is an id) or list_name (`list:` is a name; the key when there is no `list:`).
  int64_t list_id = 0;
  std::string list_name;
  ListRule rule;  // kRule
};

// The names with a built-in meaning in connectors.hubspot.lists.
inline std::span<const std::string_view> BuiltInListNames() {
  static constexpr std::array<std::string_view, 3> kNames = {"all_contacts", "qualified_leads", "customers"};
  return kNames;
}

// One line of connectors.hubspot.field_mapping: HubSpot property -> Brevo attribute.
struct FieldMapping {
  std::string hubspot_property;  // as written, e.g. "firstname"
  // Upper-cased, e.g. "FIRSTNAME": Brevo stores attribute names in capitals, so "firstName" and
  // "FIRSTNAME" name the same attribute and the loader normalises to the form Brevo uses.
  std::string brevo_attribute;
  // True only for `email: EMAIL`: email is the identity key both sides match contacts on, not an
  // attribute that is copied. It is always present in HubSpotConfig::field_mapping, first.
  bool identity = false;
};

// The field mapping used when tajo.yaml has no field_mapping (the product document's
// "Default Mappings" and its CRM and deal-metric lines): email (identity), firstname -> FIRSTNAME,
// lastname -> LASTNAME, phone -> SMS, company -> COMPANY_NAME, lifecyclestage -> LIFECYCLE_STAGE,
// hs_lead_status -> LEAD_STATUS, hubspot_owner_id -> OWNER_ID, hs_total_deal_value -> DEAL_VALUE,
// num_associated_deals -> DEAL_COUNT.
std::vector<FieldMapping> DefaultFieldMapping();

// connectors.hubspot.oauth: a HubSpot public app, for multi-account installs.
struct HubSpotOAuthConfig {
  std::string client_id;
  std::string client_secret;  // secret
  std::string redirect_uri;
  std::vector<std::string> scopes;  // default: DefaultHubSpotScopes()
};

// The scopes the product document lists as required.
std::vector<std::string> DefaultHubSpotScopes();

// How a HubSpot enumeration value is written to Brevo: its internal value ("customer") or its
// label as shown in HubSpot ("Customer"). connectors.hubspot.enumerations: value | label.
enum class EnumerationFormat { kValue, kLabel };
std::span<const std::string_view> EnumerationFormatNames();  // in enum order

// What happens in Brevo when a synced HubSpot contact is deleted (archived):
// connectors.hubspot.on_delete: delete (default; the product document's "Cleanup in Brevo") |
// blocklist (keep it, blocklisted for email) | unlink (keep it, out of every list tajo manages) |
// ignore (keep it as it is). In every case tajo forgets the link.
enum class OnDelete { kDelete, kBlocklist, kUnlink, kIgnore };
std::span<const std::string_view> OnDeleteNames();  // in enum order

struct HubSpotScheduleConfig {
  std::chrono::seconds interval{15 * 60};  // incremental sync period; YAML "15m", "30s", "1h"
};

struct HubSpotConfig {
  // Defaults to true when the connectors.hubspot section exists, false when it does not.
  bool enabled = false;
  std::string access_token;  // private app token; secret. Required when enabled, unless oauth.
  HubSpotSyncObjects sync;
  SyncDirection direction = SyncDirection::kBidirectional;
  std::vector<ListAssignment> lists;        // in file order
  // Identity (email) first, then in file order; DefaultFieldMapping() when the file has none.
  std::vector<FieldMapping> field_mapping = DefaultFieldMapping();
  // A mapped Brevo attribute that does not exist is created (type from the HubSpot property)
  // when true; when false, a sync stops before writing anything and lists the missing ones.
  bool create_missing_attributes = true;
  EnumerationFormat enumerations = EnumerationFormat::kValue;
  // ISO 3166-1 alpha-2 code ("FR", upper case) used to read phone numbers written without a
  // country code; "" = such numbers are reported, not guessed.
  std::string default_country;
  OnDelete on_delete = OnDelete::kDelete;
  bool debug = false;
  LogLevel log_level = LogLevel::kInfo;
  bool log_webhooks = false;
  HubSpotPlan plan = HubSpotPlan::kFree;
  HubSpotRateLimits rate_limits = DefaultHubSpotRateLimits(HubSpotPlan::kFree);  // overrides applied
  std::string base_url = "https://api.hubapi.com";  // no trailing '/'
  std::optional<int64_t> app_id;
  std::string client_secret;  // the app's client secret: signs webhooks (v3); secret
  std::optional<HubSpotOAuthConfig> oauth;  // set when the oauth section is present
  HubSpotScheduleConfig schedule;

  // log_level, raised to at least debug when `debug: true`.
  LogLevel EffectiveLogLevel() const;
};

struct ConnectorsConfig {
  HubSpotConfig hubspot;
};

struct BrevoConfig {
  std::string api_key;  // secret; required when a connector is enabled
  std::string base_url = "https://api.brevo.com/v3";  // no trailing '/'
  BrevoPlan plan = BrevoPlan::kStandard;
  BrevoRateLimits rate_limits = DefaultBrevoRateLimits(BrevoPlan::kStandard);  // overrides applied
};

// `store:` is a SQLite file path (default "tajo.db", relative to the working directory), or a
// postgresql:// / postgres:// URL. The loader only checks the URL's shape; the PostgreSQL engine
// is another module's business.
struct StoreConfig {
  enum class Engine { kSqlite, kPostgres };
  Engine engine = Engine::kSqlite;
  std::string location = "tajo.db";  // the path or the URL as written (the URL may hold a password)
};

// HubSpot webhook signature versions tajo accepts (reference hubspot-api.md §7).
enum class SignatureVersion { kV1, kV3 };
std::span<const std::string_view> SignatureVersionNames();  // "v1", "v3" (enum order)

// server.webhooks: how `tajo serve` authenticates webhook requests.
struct WebhooksConfig {
  // Accepted X-HubSpot-Signature versions, in any order; the loader always fills it. Default:
  // {v3} when connectors.hubspot.oauth is configured, else {v3, v1} (private apps sign v1 only).
  std::vector<SignatureVersion> hubspot_signature_versions;
  int64_t max_timestamp_age_ms = 300'000;  // v3: older X-HubSpot-Request-Timestamp is refused
  // The token Brevo sends (registered by `tajo connectors webhooks register`): accepted as
  // "Authorization: Bearer <token>" or Basic with the token as password. Secret. "" = Brevo
  // webhooks are refused (401) with a message saying the token is not configured.
  std::string brevo_token;
  bool log_webhooks = false;  // mirrors connectors.hubspot.log_webhooks
};

// server.worker: how `tajo serve` applies inbox events.
struct WorkerConfig {
  int64_t window_ms = 1000;   // events of one object are coalesced this long before applying
  int max_objects = 100;      // ... or until this many objects wait (one batch read)
  int max_attempts = 8;       // failed attempts before an event goes to the dead-letter queue
  int64_t retry_base_ms = 1000;     // first retry delay; doubled on each attempt
  int64_t retry_max_ms = 600'000;   // cap of the retry delay
};

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";  // as written, "host:port" or "[v6]:port"
  std::string host = "127.0.0.1";         // parsed from listen, without brackets
  int port = 8080;                        // 0..65535; 0 lets the OS pick
  std::string api_key;                    // protects the control API; secret
  std::string public_url;                 // e.g. https://tajo.example.com (webhook URLs); no trailing '/'
  int64_t max_body_bytes = 1024 * 1024;   // larger webhook / API bodies get 413
  WebhooksConfig webhooks;
  WorkerConfig worker;
};

struct Config {
  std::string source;  // the display name it was loaded from, e.g. "tajo.yaml"
  ConnectorsConfig connectors;
  BrevoConfig brevo;
  StoreConfig store;
  ServerConfig server;
};

struct ConfigLoadOptions {
  EnvLookup env = ProcessEnvironment();  // where ${VAR} comes from
  bool register_secrets = true;          // RegisterSecret() every secret read
};

// The secret HubSpot signs webhooks with (v1 and v3 signatures): connectors.hubspot.client_secret
// when set, else connectors.hubspot.oauth.client_secret when oauth is configured, else "". The
// loader does not require it (the CLI sync does not need it); `tajo serve` checks it is non-empty
// when HubSpot webhooks are accepted.
std::string HubSpotWebhookSecret(const Config& config);

// Picks the config file: `flag_value` (from --config) when non-empty, else $TAJO_CONFIG when set
// and non-empty, else "tajo.yaml" in the working directory. Returns that path; fails with
// NotFound, naming where the path came from, when no file exists there.
Result<std::string> ResolveConfigPath(const std::string& flag_value,
                                      const EnvLookup& env = ProcessEnvironment());

// Reads and validates the file at `path` (errors name it as written). Fails with NotFound/IOError
// when it cannot be read, InvalidArgument listing every problem (one per line) when it is wrong.
Result<Config> LoadConfigFile(const std::string& path, const ConfigLoadOptions& options = {});

// Validates YAML `text`; errors name `display_name` as the file. Same failures as above.
Result<Config> LoadConfigString(const std::string& text, const std::string& display_name,
                                const ConfigLoadOptions& options = {});

// The effective configuration (defaults filled in) as YAML that LoadConfigString accepts again,
// for `tajo config check`. Every secret is masked with MaskSecret(): none appears in the output.
std::string DescribeEffectiveConfig(const Config& config);

// Parses "15m", "30s", "1h", "1h30m" (units h, m, s; at least one; total > 0).
Result<std::chrono::seconds> ParseDuration(std::string_view text);
// The shortest form ParseDuration reads back: 900s -> "15m", 5400s -> "1h30m".
std::string FormatDuration(std::chrono::seconds d);

}  // namespace tajo
