// HubSpotSandboxOptions: everything tajo-sandbox's command line sets for the HubSpot emulator
// (--hubspot-plan, --hubspot-token, --client-secret, --app-id, --seed, --seed-number,
// --latency-ms, --time-scale), the settings for behaviours the reference leaves UNCONFIRMED,
// and the parsers main.cc needs (seed specs, token specs, plans).
//
// Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sandbox/hubspot/search_request.h"

namespace tajo::sandbox::hubspot {

// The private-app token every sandbox accepts unless --hubspot-token is given (all scopes).
inline constexpr const char* kDefaultToken = "pat-na1-11111111-2222-4333-8444-555555555555";
// The app's client secret (signs webhooks, OAuth): the secret of HubSpot's own signature
// examples, so the documented test vectors reproduce.
inline constexpr const char* kDefaultClientSecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
inline constexpr int64_t kDefaultAppId = 54321;
// The app developer's API key: the webhooks v3 management API authenticates with it as
// `?hapikey=` (reference §6.1; HubSpot's Node client sends only that on those calls).
inline constexpr const char* kDefaultDeveloperApiKey = "dev-11111111-2222-4333-8444-666666666666";
// The app's OAuth client id (tajo-sandbox has no flag for it; HubSpot client ids are UUIDs).
inline constexpr const char* kDefaultClientId = "11111111-aaaa-4bbb-8ccc-222222222222";
inline constexpr int64_t kDefaultPortalId = 62515;

// How many records /_sandbox/seed or --seed creates. `engagements` is spread over calls,
// emails, meetings, notes and tasks on top of their own counts.
struct SeedSpec {
  int64_t contacts = 0, companies = 0, deals = 0, tickets = 0;
  int64_t calls = 0, emails = 0, meetings = 0, notes = 0, tasks = 0;
  int64_t engagements = 0;
  double email_missing_share = 0.03;    // contacts without an email
  double email_duplicate_share = 0.02;  // near-duplicate people (same name and phone, another email)
  bool empty() const;
};

// Parses "contacts=1000,companies=100,deals=200,tickets=50,engagements=500" (also calls, emails,
// meetings, notes, tasks, email_missing=0.05, email_duplicates=0.02). Counts are integers
// 0..50,000,000; "" is an empty spec. Errors name the offending item.
Result<SeedSpec> ParseSeedSpec(std::string_view text);
std::string FormatSeedSpec(const SeedSpec& spec);

// A private-app token and its scopes (empty: every scope).
struct TokenSpec {
  std::string token;
  std::vector<std::string> scopes;
};

// Parses "TOKEN" or "TOKEN:scope1,scope2" (--hubspot-token). Tokens are 8..512 printable
// characters without spaces or ':'.
Result<TokenSpec> ParseTokenSpec(std::string_view text);

// Rate limits of a plan (reference §9.1).
struct PlanLimits {
  std::string plan;
  int64_t burst_per_10s = 100;  // per token (private app)
  int64_t daily = 250'000;      // per account
};

// "free" | "starter" | "professional" | "enterprise" | "api_addon".
Result<PlanLimits> LimitsForPlan(std::string_view plan);
// Public OAuth apps: 110 per 10 s per account, no daily limit (reference §9.1).
inline constexpr int64_t kOAuthBurstPer10s = 110;

struct HubSpotSandboxOptions {
  std::string plan = "professional";
  std::vector<TokenSpec> tokens;  // empty: kDefaultToken with every scope
  std::string client_secret = kDefaultClientSecret;
  std::string client_id = kDefaultClientId;
  int64_t app_id = kDefaultAppId;
  std::string developer_api_key = kDefaultDeveloperApiKey;  // webhooks v3 API (?hapikey=)
  int64_t portal_id = kDefaultPortalId;
  SeedSpec seed;
  uint64_t seed_number = 1;
  int64_t latency_ms = 0;         // added to every API request
  double time_scale = 1.0;        // > 1 makes rate windows and retry delays pass faster

  // Behaviours the reference leaves open (UNCONFIRMED there), as settings.
  bool enforce_rate_limits = true;
  int list_max_limit = 100;             // list `limit` maximum
  bool list_over_max_is_error = false;  // false: cap to the maximum; true: 400
  int batch_max_inputs = 100;
  SearchLimits search;
  int search_per_second = 5;
  bool empty_properties_as_null = false;
  bool retry_after_on_429 = false;      // HubSpot documents no Retry-After on REST 429s
  int64_t oauth_access_token_ttl_s = 1800;
  bool rotate_refresh_tokens = false;
};

}  // namespace tajo::sandbox::hubspot
