#include "sync/webhook_registration.h"

#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/redact.h"
#include "sync/connection_check.h"
#include "sync/list_membership.h"

namespace tajo::sync {
namespace {

// Properties HubSpot refuses in propertyChange subscriptions (reference §6.2).
const std::set<std::string>& UnsubscribableProperties() {
  static const std::set<std::string> kNames = {"hs_lastmodifieddate", "num_unique_conversion_events"};
  return kNames;
}

// Masks each of `secrets` in `text` — on top of Redact(), for secrets a config built in code did
// not register.
std::string Mask(std::string text, std::initializer_list<const std::string*> secrets) {
  text = Redact(text);
  for (const std::string* secret : secrets) {
    if (secret->empty()) continue;
    for (size_t pos = text.find(*secret); pos != std::string::npos; pos = text.find(*secret, pos))
      text.replace(pos, secret->size(), "[REDACTED]");
  }
  return text;
}

bool Refused(const Status& s) {
  return s.code() == StatusCode::kUnauthenticated || s.code() == StatusCode::kPermissionDenied;
}

std::string RefusedWhy(const Status& s) {
  return fmt::format(
      "HubSpot's webhooks API refused the access token (HTTP {}): it authenticates the app developer, whose "
      "credentials tajo's configuration does not hold, so the webhooks cannot be registered from here.",
      s.code() == StatusCode::kUnauthenticated ? 401 : 403);
}

std::string SignatureNote(const Config& config) {
  const HubSpotConfig& hs = config.connectors.hubspot;
  std::string secret_where =
      hs.client_secret.empty()
          ? "Set connectors.hubspot.client_secret to the app's client secret (the app's Auth tab) so `tajo serve` "
            "can check them"
          : "`tajo serve` checks them with connectors.hubspot.client_secret";
  std::string note = fmt::format(
      "Signatures: HubSpot signs a private app's webhooks with v1 signatures (X-HubSpot-Signature: SHA-256 of the "
      "app's client secret and the body; v3 is documented for public apps only, X-HubSpot-Signature-v3). {}.",
      secret_where);
  const auto& versions = config.server.webhooks.hubspot_signature_versions;
  if (!versions.empty()) {
    const bool v1 = std::find(versions.begin(), versions.end(), SignatureVersion::kV1) != versions.end();
    note += v1 ? " server.webhooks.hubspot_signature_versions includes v1: tajo accepts them."
               : " server.webhooks.hubspot_signature_versions does not include v1, so `tajo serve` would refuse a "
                 "private app's webhooks: add v1 to it.";
  }
  return note;
}

std::string BrevoWhat(const std::string& target) { return "Brevo marketing webhook " + target; }

}  // namespace

std::string SubscriptionSpec::Describe() const {
  return property_name.empty() ? event_type : event_type + " " + property_name;
}

std::vector<SubscriptionSpec> RequiredHubSpotSubscriptions(const HubSpotConfig& config) {
  std::vector<SubscriptionSpec> out;
  for (const char* e : {"creation", "deletion", "restore", "merge", "privacyDeletion", "associationChange"})
    out.push_back({std::string("contact.") + e, ""});
  std::vector<std::string> properties;
  for (const FieldMapping& m : config.field_mapping) properties.push_back(m.hubspot_property);
  for (std::string& p : ListRuleProperties(config.lists)) properties.push_back(std::move(p));
  std::set<std::string> seen;
  for (const std::string& p : properties) {
    if (p.empty() || UnsubscribableProperties().count(p) || !seen.insert(p).second) continue;
    out.push_back({"contact.propertyChange", p});
  }
  out.push_back({"company.propertyChange", "name"});
  out.push_back({"deal.creation", ""});
  out.push_back({"deal.deletion", ""});
  out.push_back({"deal.propertyChange", "amount"});
  out.push_back({"deal.propertyChange", "dealstage"});
  out.push_back({"deal.associationChange", ""});
  return out;
}

std::vector<std::string> RequiredBrevoEvents() {
  return {"unsubscribed", "spam",          "hardBounce",     "softBounce",    "opened",
          "click",        "listAddition",  "contactUpdated", "contactDeleted"};
}

std::string HubSpotWebhookTarget(const Config& config) { return config.server.public_url + kHubSpotWebhookPath; }
std::string BrevoWebhookTarget(const Config& config) { return config.server.public_url + kBrevoWebhookPath; }

Status CheckRegistrationConfig(const Config& config) {
  const std::string where = config.source.empty() ? "" : config.source + ": ";
  if (config.server.public_url.empty())
    return Status::FailedPrecondition(
        where +
        "server.public_url is not set, so there is no address to register. Fix: set server.public_url to the "
        "https address where this service is reachable from the internet (HubSpot will call "
        "<server.public_url>/webhooks/hubspot, Brevo <server.public_url>/webhooks/brevo)");
  if (config.server.webhooks.brevo_token.empty())
    return Status::FailedPrecondition(
        where +
        "server.webhooks.brevo_token is not set: Brevo's webhook must carry a token that `tajo serve` checks. "
        "Fix: set server.webhooks.brevo_token to a long random value (e.g. `openssl rand -hex 32`), for "
        "instance as \"${BREVO_WEBHOOK_TOKEN}\"");
  return Status::Ok();
}

bool RegistrationReport::failed() const {
  return std::any_of(lines.begin(), lines.end(),
                     [](const RegistrationLine& l) { return l.outcome == RegistrationLine::Outcome::kFailed; });
}

std::string RegistrationReport::Format() const {
  std::string out;
  for (const RegistrationLine& l : lines) {
    switch (l.outcome) {
      case RegistrationLine::Outcome::kDone: out += "✓ "; break;
      case RegistrationLine::Outcome::kFailed: out += "✗ "; break;
      case RegistrationLine::Outcome::kNote: break;
    }
    out += l.text;
    if (out.empty() || out.back() != '\n') out += "\n";
  }
  return out;
}

std::string HubSpotManualSettings(const Config& config, const std::string& why) {
  std::string out = fmt::format(
      "- HubSpot: {} Enter these settings in HubSpot yourself (a private app: Settings > Integrations > Private "
      "Apps > (your app) > Webhooks; a public app: your developer account > Apps > (your app) > Webhooks):\n",
      why);
  out += fmt::format("    Target URL: {}\n", HubSpotWebhookTarget(config));
  out += fmt::format("    Event throttling (max concurrent requests): {}\n", kHubSpotMaxConcurrentRequests);
  out += "    Subscriptions (create each one and make it active):\n";
  for (const SubscriptionSpec& s : RequiredHubSpotSubscriptions(config.connectors.hubspot))
    out += "      " + s.Describe() + "\n";
  out += "    " + SignatureNote(config) + "\n";
  return out;
}

void RegisterHubSpotWebhooks(hubspot::HubSpotClient& client, const Config& config, RegistrationReport& report) {
  const HubSpotConfig& hs = config.connectors.hubspot;
  if (!hs.app_id) {
    report.Note(HubSpotManualSettings(
        config,
        "connectors.hubspot.app_id is not set (a private app), and HubSpot has no API that registers a private "
        "app's webhooks."));
    return;
  }
  if (hs.access_token.empty()) {
    report.Note(HubSpotManualSettings(
        config, "connectors.hubspot.access_token is empty, so tajo cannot call HubSpot's webhooks API."));
    return;
  }
  const int64_t app = *hs.app_id;
  const std::string target = HubSpotWebhookTarget(config);
  auto failed = [&](const std::string& what, const Status& s) {
    report.Failed(what + ": " + Mask(s.message(), {&hs.access_token}));
  };

  // The target URL.
  const std::string target_what = fmt::format("HubSpot target URL of app {}", app);
  auto settings = client.GetWebhookSettings(app);
  std::optional<hubspot::WebhookSettings> current;
  if (settings.ok()) {
    current = *settings;
  } else if (Refused(settings.status())) {
    report.Note(HubSpotManualSettings(config, RefusedWhy(settings.status())));
    return;
  } else if (settings.status().code() != StatusCode::kNotFound) {
    failed(target_what, settings.status());
    return;
  }
  if (current && NormalizeWebhookUrl(current->target_url) == NormalizeWebhookUrl(target)) {
    report.Done(fmt::format("{} ({}): already registered", target_what, target));
  } else {
    const int concurrency = current && current->max_concurrent_requests > 5
                                ? static_cast<int>(current->max_concurrent_requests)
                                : kHubSpotMaxConcurrentRequests;
    auto put = client.PutWebhookSettings(app, target, concurrency);
    if (!put.ok()) {
      if (Refused(put.status())) {
        report.Note(HubSpotManualSettings(config, RefusedWhy(put.status())));
      } else {
        failed(target_what, put.status());
      }
      return;
    }
    report.Done(fmt::format("{} ({}): {}", target_what, target,
                            current && !current->target_url.empty() ? "set (was " + current->target_url + ")"
                                                                    : std::string("set")));
  }

  // The subscriptions.
  auto existing = client.ListWebhookSubscriptions(app);
  if (!existing.ok()) {
    failed(fmt::format("HubSpot subscriptions of app {}", app), existing.status());
    return;
  }
  for (const SubscriptionSpec& want : RequiredHubSpotSubscriptions(hs)) {
    const std::string what = "HubSpot subscription " + want.Describe();
    auto it = std::find_if(existing->begin(), existing->end(), [&](const hubspot::WebhookSubscription& s) {
      return s.event_type == want.event_type && s.property_name == want.property_name;
    });
    if (it != existing->end() && it->active) {
      report.Done(what + ": already registered");
    } else if (it != existing->end()) {
      auto updated = client.UpdateWebhookSubscription(app, it->id, true);
      if (updated.ok()) {
        report.Done(what + ": activated");
      } else {
        failed(what, updated.status());
      }
    } else {
      auto created = client.CreateWebhookSubscription(app, want.event_type, want.property_name, true);
      if (created.ok()) {
        report.Done(what + ": created");
      } else {
        failed(what, created.status());
      }
    }
  }
}

void RegisterBrevoWebhook(brevo::BrevoClient& client, const Config& config, RegistrationReport& report) {
  const std::string target = BrevoWebhookTarget(config);
  const std::string& token = config.server.webhooks.brevo_token;
  const std::string& key = config.brevo.api_key;
  auto failed = [&](const Status& s) { report.Failed(BrevoWhat(target) + ": " + Mask(s.message(), {&token, &key})); };
  auto hooks = client.ListWebhooks("marketing");
  if (!hooks.ok()) return failed(hooks.status());
  brevo::WebhookWrite w;
  w.url = target;
  w.description = kBrevoWebhookDescription;
  w.events = RequiredBrevoEvents();
  w.type = "marketing";
  w.bearer_token = token;
  const std::string want = NormalizeWebhookUrl(target);
  auto it = std::find_if(hooks->begin(), hooks->end(),
                         [&](const brevo::Webhook& h) { return NormalizeWebhookUrl(h.url) == want; });
  if (it != hooks->end()) {
    // Brevo does not show whether the token or events differ: replace them, so a rotated token or
    // a new event reaches Brevo.
    Status updated = client.UpdateWebhook(it->id, w);
    if (!updated.ok()) return failed(updated);
    report.Done(fmt::format("{}: already registered (id {}); events and token brought up to date", BrevoWhat(target),
                            it->id));
    return;
  }
  auto created = client.CreateWebhook(w);
  if (!created.ok()) return failed(created.status());
  report.Done(fmt::format("{}: created (id {}), events {}", BrevoWhat(target), *created, fmt::join(w.events, ", ")));
}

}  // namespace tajo::sync
