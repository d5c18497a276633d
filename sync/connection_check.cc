#include "sync/connection_check.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "core/redact.h"

namespace tajo::sync {
namespace {

using Outcome = CheckResult::Outcome;

constexpr const char* kConnection = "API connection successful";
constexpr const char* kWebhooks = "Webhooks registered";
constexpr const char* kNoConnection = "not checked: the API connection failed (see above)";
constexpr const char* kRegisterLater =
    "Or run `tajo connectors webhooks register hubspot`: it registers the HubSpot and the Brevo webhooks (or "
    "prints the settings to enter in HubSpot)";

CheckResult Passed(std::string label) { return {std::move(label), Outcome::kPassed, ""}; }

CheckResult Failed(std::string label, const std::string& detail) {
  return {std::move(label), Outcome::kFailed, Redact(detail)};
}

CheckResult NotChecked(std::string label, const std::string& detail) {
  return {std::move(label), Outcome::kNotChecked, Redact(detail)};
}

// Masks `secret` wherever it appears in `text` — on top of Redact(), for a secret that was not
// registered (a config built in code) and has no recognisable shape.
std::string Mask(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
    text.replace(pos, secret.size(), "[REDACTED]");
  return text;
}

// True when the Status carries an HTTP answer ("GET /x: HTTP 503 ..."), false when the call got
// no answer at all (refused connection, DNS, TLS, timeout).
bool HasHttpAnswer(const Status& s) { return s.message().find(": HTTP ") != std::string::npos; }

// Why a call failed and what to do. The typed clients' Status already names the endpoint, the
// HTTP status and, for 401/403, the fix (hubspot/errors.h, brevo/errors.h); this adds a fix for
// the failures they leave without one.
std::string Explain(const Status& s, const std::string& service, const std::string& base_url_key,
                    const std::string& base_url) {
  std::string text = s.message();
  if (text.find("Fix:") != std::string::npos) return text;
  if (!HasHttpAnswer(s)) {
    switch (s.code()) {
      case StatusCode::kUnavailable:
      case StatusCode::kDeadlineExceeded:
      case StatusCode::kFailedPrecondition:
      case StatusCode::kInvalidArgument:
        return fmt::format("{}. Fix: check {} ({}) and that this machine can reach it", text, base_url_key,
                           base_url);
      default:
        break;
    }
  }
  switch (s.code()) {
    case StatusCode::kUnavailable:
      return fmt::format("{}. {} answered with a server error: try again in a few minutes", text, service);
    case StatusCode::kResourceExhausted:
      return fmt::format("{}. The {} rate limit is spent: try again later", text, service);
    case StatusCode::kPermissionDenied:
      return fmt::format("{}. Fix: give the {} credentials access to this API", text, service);
    case StatusCode::kNotFound:
      return fmt::format("{}. Fix: check {} ({}): it does not look like the {} API", text, base_url_key, base_url,
                         service);
    default:
      return text;
  }
}

// A URL reduced to what identifies the endpoint: scheme and host lower-cased, no user:password,
// query or fragment, no trailing '/'.
std::string NormalizeUrl(std::string url) {
  url = url.substr(0, url.find_first_of("?#"));
  const size_t scheme_end = url.find("://");
  const size_t host_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  size_t host_end = url.find('/', host_start);
  if (host_end == std::string::npos) host_end = url.size();
  const size_t at = url.rfind('@', host_end);
  if (at != std::string::npos && at >= host_start) {
    url.erase(host_start, at + 1 - host_start);
    host_end -= at + 1 - host_start;
  }
  std::transform(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(host_end), url.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string PublicUrlMissing(const std::string& path) {
  return fmt::format(
      "server.public_url is not set, so there is no webhook address to look for. Fix: set server.public_url "
      "to the https address where this service is reachable from the internet (webhooks go to "
      "<server.public_url>{})",
      path);
}

// ---- HubSpot

CheckResult HubSpotConnection(hubspot::HubSpotClient& client, const HubSpotConfig& config) {
  // HubSpot checks the token before the scopes: a 403 MISSING_SCOPES answer proves the token was
  // accepted (the owners scope is not one tajo needs; missing data scopes show on their own lines).
  auto owners = client.ListOwnersFirstPage(1);
  if (owners.ok() || owners.status().code() == StatusCode::kPermissionDenied) return Passed(kConnection);
  return Failed(kConnection, Mask(Explain(owners.status(), "HubSpot", "connectors.hubspot.base_url", config.base_url),
                                  config.access_token));
}

CheckResult HubSpotReadable(hubspot::HubSpotClient& client, const HubSpotConfig& config, const std::string& type,
                            const std::string& label) {
  hubspot::ListOptions o;
  o.limit = 1;
  auto page = client.ListPage(type, o);
  if (page.ok()) return Passed(label);
  return Failed(label, Mask(Explain(page.status(), "HubSpot", "connectors.hubspot.base_url", config.base_url),
                            config.access_token));
}

std::string HubSpotWebhooksWhere(const std::string& target) {
  return fmt::format(
      "In HubSpot: Settings > Integrations > Private Apps > (your app) > Webhooks (a public app: your developer "
      "account > Apps > (your app) > Webhooks): target URL {}, with active subscriptions to the contact events "
      "(creation, propertyChange, deletion, merge; companies and deals too when they are synced). {}",
      target, kRegisterLater);
}

// `public_url`: nullopt when the caller does not know it (then any target whose path is
// /webhooks/hubspot is ours).
CheckResult HubSpotWebhooks(hubspot::HubSpotClient& client, const HubSpotConfig& config,
                            const std::optional<std::string>& public_url) {
  if (public_url && public_url->empty()) return NotChecked(kWebhooks, PublicUrlMissing("/webhooks/hubspot"));
  const std::string target = public_url ? *public_url + "/webhooks/hubspot" : "<server.public_url>/webhooks/hubspot";
  auto is_ours = [&](const std::string& url) {
    const std::string u = NormalizeUrl(url);
    if (public_url) return u == NormalizeUrl(target);
    const size_t scheme_end = u.find("://");
    const size_t path = u.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    return path != std::string::npos && u.substr(path) == "/webhooks/hubspot";
  };
  if (!config.app_id) {
    return NotChecked(kWebhooks,
                      "HubSpot has no API that reads a private app's webhook settings with its access token "
                      "(and connectors.hubspot.app_id is not set): check them yourself. " +
                          HubSpotWebhooksWhere(target));
  }
  const int64_t app = *config.app_id;
  // HubSpot's webhooks API authenticates the app developer (developer API key, which tajo's
  // configuration does not hold); some tokens are accepted. A refusal is "cannot tell", not a failure.
  auto cannot_tell = [&](const Status& s) {
    return NotChecked(kWebhooks,
                      Mask(fmt::format("HubSpot's webhooks API refused the access token ({}): it authenticates the "
                                       "app developer's API key, which tajo's configuration does not hold: check "
                                       "them yourself. {}",
                                       s.code() == StatusCode::kUnauthenticated ? "HTTP 401" : "HTTP 403",
                                       HubSpotWebhooksWhere(target)),
                           config.access_token));
  };
  auto refused = [](const Status& s) {
    return s.code() == StatusCode::kUnauthenticated || s.code() == StatusCode::kPermissionDenied;
  };
  auto settings = client.GetWebhookSettings(app);
  if (!settings.ok()) {
    if (refused(settings.status())) return cannot_tell(settings.status());
    if (settings.status().code() == StatusCode::kNotFound)
      return Failed(kWebhooks, fmt::format("app {} has no webhook target URL, so HubSpot sends no events. Fix: {}",
                                           app, HubSpotWebhooksWhere(target)));
    return Failed(kWebhooks, Mask(Explain(settings.status(), "HubSpot", "connectors.hubspot.base_url", config.base_url),
                                  config.access_token));
  }
  if (!is_ours(settings->target_url)) {
    return Failed(kWebhooks, fmt::format("app {} sends its webhooks to {}, not to {}. Fix: {}", app,
                                         settings->target_url.empty() ? "(nowhere)" : settings->target_url, target,
                                         HubSpotWebhooksWhere(target)));
  }
  auto subscriptions = client.ListWebhookSubscriptions(app);
  if (!subscriptions.ok()) {
    if (refused(subscriptions.status())) return cannot_tell(subscriptions.status());
    return Failed(kWebhooks, Mask(Explain(subscriptions.status(), "HubSpot", "connectors.hubspot.base_url",
                                          config.base_url),
                                  config.access_token));
  }
  const auto active = std::count_if(subscriptions->begin(), subscriptions->end(),
                                    [](const hubspot::WebhookSubscription& s) { return s.active; });
  if (active == 0) {
    return Failed(kWebhooks,
                  fmt::format("app {} sends to {} but has no active subscription ({} paused), so HubSpot sends no "
                              "events. Fix: {}",
                              app, target, subscriptions->size(), HubSpotWebhooksWhere(target)));
  }
  return Passed(kWebhooks);
}

// ---- Brevo

CheckResult BrevoConnection(brevo::BrevoClient& client, const BrevoConfig& config) {
  // 401 is a wrong key (or an IP Brevo does not authorise); 403 means the key was recognised.
  auto account = client.GetAccount();
  if (account.ok() || account.status().code() == StatusCode::kPermissionDenied) return Passed(kConnection);
  return Failed(kConnection,
                Mask(Explain(account.status(), "Brevo", "brevo.base_url", config.base_url), config.api_key));
}

template <typename F>
CheckResult BrevoReadable(const BrevoConfig& config, const std::string& label, F&& call) {
  Status s = call();
  if (s.ok()) return Passed(label);
  return Failed(label, Mask(Explain(s, "Brevo", "brevo.base_url", config.base_url), config.api_key));
}

CheckResult BrevoWebhooks(brevo::BrevoClient& client, const BrevoConfig& config, const std::string& public_url) {
  if (public_url.empty()) return NotChecked(kWebhooks, PublicUrlMissing("/webhooks/brevo"));
  const std::string target = public_url + "/webhooks/brevo";
  auto hooks = client.ListWebhooks("marketing");
  if (!hooks.ok())
    return Failed(kWebhooks, Mask(Explain(hooks.status(), "Brevo", "brevo.base_url", config.base_url), config.api_key));
  const std::string want = NormalizeUrl(target);
  for (const auto& h : *hooks)
    if (NormalizeUrl(h.url) == want) return Passed(kWebhooks);
  std::string seen;
  for (size_t i = 0; i < hooks->size() && i < 3; ++i) seen += (i == 0 ? "" : ", ") + (*hooks)[i].url;
  if (hooks->size() > 3) seen += ", ...";
  return Failed(kWebhooks,
                Mask(fmt::format("no marketing webhook points at {} ({}). Fix: in Brevo > Settings > Webhooks, "
                                 "add a marketing webhook to {} for the events unsubscribed, spam, hardBounce, "
                                 "softBounce, opened, click, listAddition, contactUpdated and contactDeleted. {}",
                                 target,
                                 hooks->empty() ? std::string("the account has none")
                                                : fmt::format("the account has {}: {}", hooks->size(), seen),
                                 target, kRegisterLater),
                     config.api_key));
}

std::vector<CheckResult> NotCheckedAfter(std::vector<CheckResult> checks, std::initializer_list<const char*> labels) {
  for (const char* label : labels) checks.push_back(NotChecked(label, kNoConnection));
  return checks;
}

std::vector<CheckResult> RunHubSpotChecks(hubspot::HubSpotClient& client, const HubSpotConfig& config,
                                          const std::optional<std::string>& public_url) {
  std::vector<CheckResult> checks{HubSpotConnection(client, config)};
  if (checks.back().outcome != Outcome::kPassed)
    return NotCheckedAfter(std::move(checks), {"Contacts readable", "Companies readable", "Deals readable", kWebhooks});
  checks.push_back(HubSpotReadable(client, config, "contacts", "Contacts readable"));
  checks.push_back(HubSpotReadable(client, config, "companies", "Companies readable"));
  checks.push_back(HubSpotReadable(client, config, "deals", "Deals readable"));
  checks.push_back(HubSpotWebhooks(client, config, public_url));
  return checks;
}

}  // namespace

std::vector<CheckResult> CheckHubSpot(hubspot::HubSpotClient& client, const Config& config) {
  return RunHubSpotChecks(client, config.connectors.hubspot, config.server.public_url);
}

std::vector<CheckResult> CheckHubSpot(hubspot::HubSpotClient& client, const HubSpotConfig& config) {
  return RunHubSpotChecks(client, config, std::nullopt);
}

std::vector<CheckResult> CheckBrevo(brevo::BrevoClient& client, const Config& config) {
  const BrevoConfig& b = config.brevo;
  std::vector<CheckResult> checks{BrevoConnection(client, b)};
  if (checks.back().outcome != Outcome::kPassed)
    return NotCheckedAfter(std::move(checks), {"Contacts readable", "Attributes readable", "Lists readable", kWebhooks});
  checks.push_back(BrevoReadable(b, "Contacts readable", [&] {
    brevo::ContactListOptions o;
    o.limit = 1;
    return client.ListContacts(o).status();
  }));
  checks.push_back(BrevoReadable(b, "Attributes readable", [&] { return client.ListAttributes().status(); }));
  checks.push_back(BrevoReadable(b, "Lists readable", [&] { return client.ListLists().status(); }));
  checks.push_back(BrevoWebhooks(client, b, config.server.public_url));
  return checks;
}

std::string NormalizeWebhookUrl(const std::string& url) { return NormalizeUrl(url); }

std::string FormatChecks(const std::vector<CheckResult>& checks) {
  std::string out;
  for (const auto& c : checks) {
    switch (c.outcome) {
      case Outcome::kPassed: out += "✓ " + c.label; break;
      case Outcome::kFailed: out += "✗ " + c.label + ": " + c.detail; break;
      case Outcome::kNotChecked: out += "- " + c.label + ": " + c.detail; break;
    }
    out += "\n";
  }
  return out;
}

bool AllPassed(const std::vector<CheckResult>& checks) {
  return std::none_of(checks.begin(), checks.end(),
                      [](const CheckResult& c) { return c.outcome == CheckResult::Outcome::kFailed; });
}

}  // namespace tajo::sync
