// Webhook registration: what `tajo connectors webhooks register hubspot` does — point HubSpot's
// app webhooks (webhooks API v3, hubspot-api.md §6) and a Brevo marketing webhook (brevo-api.md
// §7) at this service, with the subscriptions tajo needs, derived from the configuration.
//
// Registration is idempotent: a HubSpot subscription with the same (eventType, propertyName) is
// kept (activated when paused), never duplicated; a Brevo marketing webhook with the same URL is
// updated in place (PUT), never duplicated. So running it again is how a configuration change
// (a new mapped property, a rotated Brevo token) reaches the APIs.
//
// HubSpot's webhooks API only exists for an app id (connectors.hubspot.app_id) and authenticates
// the app developer; when there is no app id (a private app) or the API refuses the access token
// (401/403), the report says exactly what to enter in HubSpot instead, and that is not a failure.
//
// The Brevo bearer token (server.webhooks.brevo_token) is a secret: it is sent to Brevo and
// appears in no report line.
//
// Thread-compatible: one registration at a time per client pair; the functions keep no state.
#pragma once

#include <string>
#include <vector>

#include "brevo/client.h"
#include "core/config.h"
#include "core/status.h"
#include "hubspot/client.h"

namespace tajo::sync {

inline constexpr const char* kHubSpotWebhookPath = "/webhooks/hubspot";
inline constexpr const char* kBrevoWebhookPath = "/webhooks/brevo";
// HubSpot's default in-flight limit per account (reference §6.4); it must be above five.
inline constexpr int kHubSpotMaxConcurrentRequests = 10;
// The description of the Brevo webhook tajo creates.
inline constexpr const char* kBrevoWebhookDescription = "tajo: HubSpot <-> Brevo sync";

// One HubSpot subscription: an event type and, for *.propertyChange, the property.
struct SubscriptionSpec {
  std::string event_type;     // "contact.creation", "contact.propertyChange", ...
  std::string property_name;  // *.propertyChange only; "" otherwise

  // "contact.creation" or "contact.propertyChange firstname".
  std::string Describe() const;
  bool operator==(const SubscriptionSpec&) const = default;
};

// The subscriptions tajo needs, in a stable order: contact creation, deletion, restore, merge,
// privacyDeletion and associationChange; contact.propertyChange for each HubSpot property of
// connectors.hubspot.field_mapping (email included) and each property the list rules read
// (sync/list_membership.h), once each, skipping the two HubSpot refuses (hs_lastmodifieddate,
// num_unique_conversion_events); company.propertyChange name; deal creation, deletion,
// propertyChange amount and dealstage, associationChange.
std::vector<SubscriptionSpec> RequiredHubSpotSubscriptions(const HubSpotConfig& config);

// The Brevo marketing events tajo needs (names from the reference's marketing list):
// unsubscribed, spam, hardBounce, softBounce, opened, click, listAddition, contactUpdated,
// contactDeleted.
std::vector<std::string> RequiredBrevoEvents();

// <server.public_url>/webhooks/hubspot and <server.public_url>/webhooks/brevo.
std::string HubSpotWebhookTarget(const Config& config);
std::string BrevoWebhookTarget(const Config& config);

// Fails with kFailedPrecondition, naming the key and what to set it to, when server.public_url or
// server.webhooks.brevo_token is empty (nothing can be registered without them).
Status CheckRegistrationConfig(const Config& config);

// One line of the report.
struct RegistrationLine {
  enum class Outcome { kDone, kFailed, kNote };
  Outcome outcome = Outcome::kDone;
  std::string text;  // kNote may span several lines (the settings to enter by hand)
};

struct RegistrationReport {
  std::vector<RegistrationLine> lines;

  void Done(std::string text) { lines.push_back({RegistrationLine::Outcome::kDone, std::move(text)}); }
  void Failed(std::string text) { lines.push_back({RegistrationLine::Outcome::kFailed, std::move(text)}); }
  void Note(std::string text) { lines.push_back({RegistrationLine::Outcome::kNote, std::move(text)}); }
  // True when a call failed (a note is not a failure).
  bool failed() const;
  // "✓ text" / "✗ text" / the note as is, one per line.
  std::string Format() const;
};

// HubSpot: with connectors.hubspot.app_id, sets the app's target URL (kept when it is already
// ours, with HubSpot's concurrency setting) and creates or activates each required subscription,
// one line per action ("✓ HubSpot subscription contact.creation: created" / "already registered"
// / "activated", "✗ ...: reason"). Without an app id, an empty access token, or when the webhooks
// API refuses the token (401/403), adds a note with the settings to enter by hand
// (HubSpotManualSettings) instead. Never stops early: one failed subscription does not prevent
// the others. REQUIRES: CheckRegistrationConfig(config).ok().
void RegisterHubSpotWebhooks(hubspot::HubSpotClient& client, const Config& config, RegistrationReport& report);

// Brevo: updates (PUT) the marketing webhook whose URL is BrevoWebhookTarget — URLs compared as
// `connectors test` compares them (sync/connection_check.h) — with the required events and the
// bearer token, or creates one (POST) when there is none. One line. REQUIRES:
// CheckRegistrationConfig(config).ok().
void RegisterBrevoWebhook(brevo::BrevoClient& client, const Config& config, RegistrationReport& report);

// The settings to enter in HubSpot by hand, after `why` (one sentence): where, the target URL,
// the concurrency, each subscription on its own line, and which signatures the app sends (private
// apps: v1, with the app's client secret) and whether tajo accepts them.
std::string HubSpotManualSettings(const Config& config, const std::string& why);

}  // namespace tajo::sync
