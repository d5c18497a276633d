// BrevoSandboxOptions: everything tajo-sandbox's command line sets for the Brevo emulator
// (--brevo-api-key, --brevo-plan, --brevo-seed, --seed-number, --latency-ms, --time-scale), the
// settings for behaviours the reference (shared/reference/brevo-api.md) leaves UNCONFIRMED, the
// plan rate limits (reference §8), and the parsers main.cc needs.
//
// Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tajo::sandbox::brevo {

// The API key every sandbox accepts unless --brevo-api-key is given. It has the shape of a real
// Brevo key (xkeysib-<64 hex>-<16 characters>) so that redaction treats it as a secret.
inline constexpr const char* kDefaultApiKey =
    "xkeysib-74616a6f2d73616e64626f782d627265766f2d6b65792d303100000000000000-TajoSandboxKey01";
inline constexpr const char* kDefaultApiKeyName = "tajo-sandbox";

// An API key and the name Brevo shows for it (webhook payloads carry it as `api_key_name`).
struct ApiKeySpec {
  std::string name;
  std::string key;
};

// Parses "KEY" or "NAME:KEY" (--brevo-api-key). Keys are 8..512 printable characters without
// spaces or ':'; names 1..100 characters without ':'. A bare key gets the name "api-key-N"
// (N = `index` + 1).
Result<ApiKeySpec> ParseApiKeySpec(std::string_view text, size_t index = 0);

// Rate limits of a plan (reference §8). Both the per-second and the per-hour limit apply.
struct PlanLimits {
  std::string plan;                // "standard" | "advanced"
  int64_t contacts_per_second = 10;
  int64_t contacts_per_hour = 36'000;
  int64_t events_per_second = 10;
  int64_t events_per_hour = 36'000;
  int64_t other_per_hour = 100;    // every other endpoint (/processes, /webhooks, /companies, /crm/*)
};

// "standard" (also "general", "free", "starter", "business") | "advanced" (also "professional",
// "enterprise").
Result<PlanLimits> LimitsForPlan(std::string_view plan);

// What /_sandbox/seed and --brevo-seed create.
struct SeedSpec {
  int64_t contacts = 0;           // Brevo contacts in all
  double overlap_share = 0.6;     // of them, the share whose email is one of the HubSpot seed's
  double different_name_share = 0.15;  // of the overlapping ones: edited names in Brevo
  double blocklisted_share = 0.05;     // emailBlacklisted
  double sms_share = 0.3;              // with an SMS attribute (international format)
  double ext_id_share = 0.0;           // with an ext_id
  int64_t lists = 3;                   // lists in one folder; contacts spread over them
  // The HubSpot seed this one overlaps with (the same numbers tajo-sandbox's --seed gives the
  // HubSpot emulator); see hubspot_emails.h.
  int64_t hubspot_contacts = 0;
  int64_t hubspot_companies = 0;
  double hubspot_email_missing_share = 0.03;
  double hubspot_email_duplicate_share = 0.02;
  bool empty() const { return contacts == 0 && lists == 0; }
};

// Parses "contacts=1000,overlap=0.6,different_names=0.15,blocklisted=0.05,sms=0.3,ext_ids=0.1,
// lists=3,hubspot_contacts=1000,hubspot_companies=100,hubspot_email_missing=0.03,
// hubspot_email_duplicates=0.02". Counts are integers 0..50,000,000 (lists 0..1,000), shares
// numbers in [0, 1]; "" is an empty spec. Errors name the offending item.
Result<SeedSpec> ParseSeedSpec(std::string_view text);
std::string FormatSeedSpec(const SeedSpec& spec);

// Behaviours the reference leaves open, as run-time settings (GET/PUT /_sandbox/settings).
struct Behaviour {
  bool enforce_rate_limits = true;
  // An attribute name the account does not have: ignored (false) or 400 invalid_parameter.
  bool unknown_attribute_is_error = false;
  // GET /contacts?modifiedSince=T: modifiedAt > T (false, "modified after") or >= T.
  bool modified_since_inclusive = false;
  // A PUT / batch item that changes nothing still moves modifiedAt.
  bool touch_on_noop_update = false;
  // Category attributes are returned by label ("Men") or by value (1).
  bool category_as_label = true;
  // Timestamps are written in UTC with "Z" (0) or in local time with this offset ("+01:00").
  int timestamp_offset_minutes = 0;
  // POST /contacts/batch: maximum contacts per call (UNCONFIRMED in the reference).
  int batch_max_contacts = 1000;
  // POST /v3/events for an identifier no contact has creates the contact.
  bool events_create_contacts = true;
  // Import process timing (simulated time, shrunk by --time-scale).
  int64_t import_queued_ms = 1'000;
  int64_t import_processing_ms = 2'000;
  // Add x-sib-ratelimit-* headers to 429s also as Retry-After (Brevo documents none).
  bool retry_after_on_429 = false;
};

struct BrevoSandboxOptions {
  std::string plan = "standard";
  std::vector<ApiKeySpec> api_keys;  // empty: kDefaultApiKey named kDefaultApiKeyName
  SeedSpec seed;
  uint64_t seed_number = 1;
  int64_t latency_ms = 0;   // added to every API request
  double time_scale = 1.0;  // > 1 makes rate windows, import processing and retries pass faster
  std::string account_email = "owner@tajo-sandbox.example";  // cannot be deleted (405)
  Behaviour behaviour;
};

}  // namespace tajo::sandbox::brevo
