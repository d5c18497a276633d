// DescribeEffectiveConfig: the configuration as tajo will run it, for `tajo config check`.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "core/config.h"
#include "core/redact.h"

namespace tajo {
namespace {

// Every string goes through EscapeForEnv so that loading the description gives the same value
// back (a literal "${X}" in a value is written "$${X}").
std::string Str(std::string_view s) { return EscapeForEnv(s); }
std::string Masked(std::string_view secret) { return EscapeForEnv(MaskSecret(secret)); }

// scheme://user:password@host -> scheme://user:[REDACTED]@host.
std::string MaskUrlPassword(const std::string& url) {
  const size_t start = url.find("://");
  if (start == std::string::npos) return url;
  const size_t end = url.find_first_of("/?#", start + 3);
  const std::string authority = url.substr(start + 3, end == std::string::npos ? std::string::npos
                                                                               : end - start - 3);
  const size_t at = authority.rfind('@');
  if (at == std::string::npos) return url;
  const size_t colon = authority.find(':');
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, start + 3) + authority.substr(0, colon + 1) + std::string(kRedacted) +
         authority.substr(at) + (end == std::string::npos ? "" : url.substr(end));
}

void Limit(YAML::Emitter& out, const char* key, int64_t value, int64_t plan_default) {
  out << YAML::Key << key << YAML::Value << value;
  out << YAML::Comment(value == plan_default ? std::string("plan default")
                                             : fmt::format("overridden; plan default {}", plan_default));
}

void DescribeHubSpot(YAML::Emitter& out, const HubSpotConfig& h) {
  out << YAML::Key << "hubspot" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << h.enabled;
  out << YAML::Key << "access_token" << YAML::Value << Masked(h.access_token);
  out << YAML::Key << "base_url" << YAML::Value << Str(h.base_url);
  if (h.app_id.has_value()) out << YAML::Key << "app_id" << YAML::Value << *h.app_id;
  out << YAML::Key << "client_secret" << YAML::Value << Masked(h.client_secret);
  if (h.oauth.has_value()) {
    out << YAML::Key << "oauth" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "client_id" << YAML::Value << Str(h.oauth->client_id);
    out << YAML::Key << "client_secret" << YAML::Value << Masked(h.oauth->client_secret);
    out << YAML::Key << "redirect_uri" << YAML::Value << Str(h.oauth->redirect_uri);
    out << YAML::Key << "scopes" << YAML::Value << YAML::BeginSeq;
    for (const std::string& s : h.oauth->scopes) out << Str(s);
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::Key << "plan" << YAML::Value << std::string(HubSpotPlanName(h.plan));
  const HubSpotRateLimits d = DefaultHubSpotRateLimits(h.plan);
  out << YAML::Key << "rate_limits" << YAML::Value << YAML::BeginMap;
  Limit(out, "per_10s", h.rate_limits.per_10s, d.per_10s);
  Limit(out, "daily", h.rate_limits.daily, d.daily);
  Limit(out, "search_per_second", h.rate_limits.search_per_second, d.search_per_second);
  out << YAML::EndMap;
  out << YAML::Key << "sync" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "contacts" << YAML::Value << h.sync.contacts;
  out << YAML::Key << "companies" << YAML::Value << h.sync.companies;
  out << YAML::Key << "deals" << YAML::Value << h.sync.deals;
  out << YAML::Key << "tickets" << YAML::Value << h.sync.tickets;
  out << YAML::Key << "engagements" << YAML::Value << h.sync.engagements;
  out << YAML::EndMap;
  out << YAML::Key << "direction" << YAML::Value << std::string(SyncDirectionName(h.direction));
  out << YAML::Key << "schedule" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "interval" << YAML::Value << FormatDuration(h.schedule.interval);
  out << YAML::EndMap;
  out << YAML::Key << "lists" << YAML::Value << YAML::BeginMap;
  for (const ListAssignment& a : h.lists) {
    out << YAML::Key << a.key << YAML::Value;
    switch (a.kind) {
      case ListAssignment::Kind::kListId: out << a.list_id; break;
      case ListAssignment::Kind::kListName: out << Str(a.list_name); break;
      case ListAssignment::Kind::kRule:
        out << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "property" << YAML::Value << a.rule.property;
        out << YAML::Key << "operator" << YAML::Value << std::string(ListRuleOperatorName(a.rule.op));
        if (a.rule.op == ListRuleOperator::kIn || a.rule.op == ListRuleOperator::kNotIn) {
          out << YAML::Key << "value" << YAML::Value << YAML::Flow << YAML::BeginSeq;
          for (const std::string& v : a.rule.values) out << Str(v);
          out << YAML::EndSeq;
        } else if (!a.rule.values.empty()) {
          out << YAML::Key << "value" << YAML::Value << Str(a.rule.values.front());
        }
        // The target; left out when it is the default (the list named by the key), which also
        // keeps a key like "2024" from reading back as a list id.
        if (a.list_id > 0) {
          out << YAML::Key << "list" << YAML::Value << a.list_id;
        } else if (a.list_name != a.key) {
          out << YAML::Key << "list" << YAML::Value << Str(a.list_name);
        }
        out << YAML::EndMap;
        break;
    }
  }
  out << YAML::EndMap;
  out << YAML::Key << "field_mapping" << YAML::Value << YAML::BeginMap;
  for (const FieldMapping& f : h.field_mapping) {
    out << YAML::Key << f.hubspot_property << YAML::Value << f.brevo_attribute;
    if (f.identity) out << YAML::Comment("identity key");
  }
  out << YAML::EndMap;
  out << YAML::Key << "create_missing_attributes" << YAML::Value << h.create_missing_attributes;
  out << YAML::Key << "enumerations" << YAML::Value
      << std::string(EnumerationFormatNames()[static_cast<size_t>(h.enumerations)]);
  if (!h.default_country.empty()) {
    out << YAML::Key << "default_country" << YAML::Value << h.default_country;
  }
  out << YAML::Key << "on_delete" << YAML::Value << std::string(OnDeleteNames()[static_cast<size_t>(h.on_delete)]);
  out << YAML::Key << "debug" << YAML::Value << h.debug;
  out << YAML::Key << "log_level" << YAML::Value << std::string(LogLevelName(h.log_level));
  if (h.EffectiveLogLevel() != h.log_level) {
    out << YAML::Comment(fmt::format("effective: {} (debug: true)", LogLevelName(h.EffectiveLogLevel())));
  }
  out << YAML::Key << "log_webhooks" << YAML::Value << h.log_webhooks;
  out << YAML::EndMap;
}

void DescribeWebhooks(YAML::Emitter& out, const WebhooksConfig& w) {
  out << YAML::Key << "webhooks" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "hubspot_signature_versions" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (SignatureVersion v : w.hubspot_signature_versions) {
    out << std::string(SignatureVersionNames()[static_cast<size_t>(v)]);
  }
  out << YAML::EndSeq;
  // The file says it in seconds; a value set in code below a second shows as 1s.
  const int64_t seconds = std::max<int64_t>(1, (w.max_timestamp_age_ms + 999) / 1000);
  out << YAML::Key << "max_timestamp_age" << YAML::Value << FormatDuration(std::chrono::seconds(seconds));
  out << YAML::Key << "brevo_token" << YAML::Value << Masked(w.brevo_token);
  if (w.brevo_token.empty()) out << YAML::Comment("not set: Brevo webhooks are refused");
  // log_webhooks is connectors.hubspot.log_webhooks, described there.
  out << YAML::EndMap;
}

}  // namespace

std::string DescribeEffectiveConfig(const Config& config) {
  YAML::Emitter out;
  out.SetBoolFormat(YAML::TrueFalseBool);
  out << YAML::Comment(fmt::format("effective configuration of {}: defaults filled in, secrets masked",
                                   config.source.empty() ? "(built in)" : config.source));
  out << YAML::Newline;
  out << YAML::BeginMap;

  out << YAML::Key << "connectors" << YAML::Value << YAML::BeginMap;
  DescribeHubSpot(out, config.connectors.hubspot);
  out << YAML::EndMap;

  const BrevoConfig& b = config.brevo;
  out << YAML::Key << "brevo" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "api_key" << YAML::Value << Masked(b.api_key);
  out << YAML::Key << "base_url" << YAML::Value << Str(b.base_url);
  out << YAML::Key << "plan" << YAML::Value << std::string(BrevoPlanName(b.plan));
  const BrevoRateLimits d = DefaultBrevoRateLimits(b.plan);
  out << YAML::Key << "rate_limits" << YAML::Value << YAML::BeginMap;
  Limit(out, "contacts_per_second", b.rate_limits.contacts_per_second, d.contacts_per_second);
  Limit(out, "contacts_per_hour", b.rate_limits.contacts_per_hour, d.contacts_per_hour);
  Limit(out, "events_per_second", b.rate_limits.events_per_second, d.events_per_second);
  Limit(out, "other_per_hour", b.rate_limits.other_per_hour, d.other_per_hour);
  out << YAML::EndMap << YAML::EndMap;

  const StoreConfig& st = config.store;
  out << YAML::Key << "store" << YAML::Value << Str(MaskUrlPassword(st.location));
  out << YAML::Comment(st.engine == StoreConfig::Engine::kPostgres ? "PostgreSQL" : "SQLite file");

  const ServerConfig& s = config.server;
  out << YAML::Key << "server" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "listen" << YAML::Value << Str(s.listen);
  out << YAML::Key << "api_key" << YAML::Value << Masked(s.api_key);
  out << YAML::Key << "public_url" << YAML::Value << Str(s.public_url);
  out << YAML::Key << "max_body_bytes" << YAML::Value << s.max_body_bytes;
  DescribeWebhooks(out, s.webhooks);
  const WorkerConfig& w = s.worker;
  out << YAML::Key << "worker" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "window_ms" << YAML::Value << w.window_ms;
  out << YAML::Key << "max_objects" << YAML::Value << w.max_objects;
  out << YAML::Key << "max_attempts" << YAML::Value << w.max_attempts;
  out << YAML::Key << "retry_base_ms" << YAML::Value << w.retry_base_ms;
  out << YAML::Key << "retry_max_ms" << YAML::Value << w.retry_max_ms;
  out << YAML::EndMap;
  out << YAML::EndMap;

  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace tajo
