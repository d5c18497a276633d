// Connection checks: what `tajo connectors test hubspot|brevo` prints, each line from a real API
// call — never assumed. A failing check carries the reason and the fix (401 -> regenerate the
// private app token; 403 -> the missing scope by name).
//
// Thread-compatible: one check run at a time per client pair.
#pragma once

#include <string>
#include <vector>

#include "brevo/client.h"
#include "core/config.h"
#include "hubspot/client.h"

namespace tajo::sync {

struct CheckResult {
  enum class Outcome { kPassed, kFailed, kNotChecked };
  std::string label;   // "API connection successful", "Contacts readable", ...
  Outcome outcome = Outcome::kFailed;
  std::string detail;  // why it failed / why it was not checked, and what to do; "" when passed
};

// HubSpot: "API connection successful", "Contacts readable", "Companies readable",
// "Deals readable", "Webhooks registered".
// When the connection check fails (bad token, unreachable base URL), the other lines are
// kNotChecked ("the API connection failed") rather than the same failure four more times.
// The webhooks line needs connectors.hubspot.app_id (a private app's webhook settings cannot be
// read at all: kNotChecked with where to look in HubSpot) and an API that accepts the token
// (HubSpot's webhooks API wants the developer API key: kNotChecked when it refuses).
// The Config overload compares the app's target URL with <server.public_url>/webhooks/hubspot
// (kNotChecked when server.public_url is empty); the HubSpotConfig one does not know the public
// URL and accepts any target whose path is /webhooks/hubspot.
std::vector<CheckResult> CheckHubSpot(hubspot::HubSpotClient& client, const Config& config);
std::vector<CheckResult> CheckHubSpot(hubspot::HubSpotClient& client, const HubSpotConfig& config);

// Brevo: "API connection successful", "Contacts readable", "Attributes readable",
// "Lists readable", "Webhooks registered" (a marketing webhook whose URL, without credentials or
// query, is <server.public_url>/webhooks/brevo; kNotChecked when server.public_url is empty).
// As for HubSpot, a failed connection leaves the other lines kNotChecked.
std::vector<CheckResult> CheckBrevo(brevo::BrevoClient& client, const Config& config);

// A URL reduced to what identifies a webhook endpoint: scheme and host lower-cased, without
// user:password, query, fragment or trailing '/'. Two webhook URLs name the same endpoint when
// their normalized forms are equal (what "Webhooks registered" and the registration compare).
std::string NormalizeWebhookUrl(const std::string& url);

// The lines as the CLI prints them: "✓ label", "✗ label: detail", "- label: detail" (not checked).
std::string FormatChecks(const std::vector<CheckResult>& checks);

// True when no check failed.
bool AllPassed(const std::vector<CheckResult>& checks);

}  // namespace tajo::sync
