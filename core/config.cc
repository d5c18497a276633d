// The configuration's small parts: names, defaults, durations, finding and reading the file.
// The schema walk is config_loader.cc; DescribeEffectiveConfig is config_describe.cc.
#include "core/config.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/yaml_reader.h"

namespace tajo {
namespace {

constexpr std::array<std::string_view, 7> kOperatorNames = {"eq", "neq", "in", "not_in",
                                                           "exists", "gt", "lt"};

}  // namespace


std::string_view ListRuleOperatorName(ListRuleOperator op) {
  return kOperatorNames[static_cast<size_t>(op)];
}
std::span<const std::string_view> ListRuleOperatorNames() { return kOperatorNames; }

std::vector<FieldMapping> DefaultFieldMapping() {
  return {{"email", "EMAIL", true},
          {"firstname", "FIRSTNAME", false},
          {"lastname", "LASTNAME", false},
          {"phone", "SMS", false},
          {"company", "COMPANY_NAME", false},
          {"lifecyclestage", "LIFECYCLE_STAGE", false},
          {"hs_lead_status", "LEAD_STATUS", false},
          {"hubspot_owner_id", "OWNER_ID", false},
          {"hs_total_deal_value", "DEAL_VALUE", false},
          {"num_associated_deals", "DEAL_COUNT", false}};
}

std::span<const std::string_view> EnumerationFormatNames() {
  static constexpr std::array<std::string_view, 2> kNames = {"value", "label"};
  return kNames;
}

std::span<const std::string_view> OnDeleteNames() {
  static constexpr std::array<std::string_view, 4> kNames = {"delete", "blocklist", "unlink", "ignore"};
  return kNames;
}

std::span<const std::string_view> SignatureVersionNames() {
  static constexpr std::array<std::string_view, 2> kNames = {"v1", "v3"};
  return kNames;
}

std::string HubSpotWebhookSecret(const Config& config) {
  const HubSpotConfig& h = config.connectors.hubspot;
  if (!h.client_secret.empty()) return h.client_secret;
  if (h.oauth.has_value()) return h.oauth->client_secret;
  return "";
}

std::vector<std::string> DefaultHubSpotScopes() {
  return {"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read",
          "crm.objects.deals.read",    "crm.objects.deals.write",    "crm.objects.custom.read",
          "crm.schemas.custom.read"};
}

LogLevel HubSpotConfig::EffectiveLogLevel() const {
  if (debug && static_cast<int>(log_level) < static_cast<int>(LogLevel::kDebug)) return LogLevel::kDebug;
  return log_level;
}

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(fmt::format(
        "invalid duration {} (expected numbers with a unit h, m or s, e.g. 15m, 30s, 1h30m)",
        QuoteForMessage(text)));
  };
  if (text.empty()) return bad();
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j == i || j >= text.size() || j - i > 9) return bad();  // 9 digits: no overflow
    int64_t n = 0;
    std::from_chars(text.data() + i, text.data() + j, n);
    switch (text[j]) {
      case 'h': total += n * 3600; break;
      case 'm': total += n * 60; break;
      case 's': total += n; break;
      default: return bad();
    }
    i = j + 1;
  }
  if (total <= 0) return bad();
  return std::chrono::seconds(total);
}

std::string FormatDuration(std::chrono::seconds d) {
  const int64_t s = d.count();
  if (s <= 0) return fmt::format("{}s", s);
  std::string out;
  if (s >= 3600) out += fmt::format("{}h", s / 3600);
  if (s % 3600 >= 60) out += fmt::format("{}m", (s % 3600) / 60);
  if (s % 60 != 0) out += fmt::format("{}s", s % 60);
  return out;
}

Result<std::string> ResolveConfigPath(const std::string& flag_value, const EnvLookup& env) {
  std::error_code ec;
  if (!flag_value.empty()) {
    if (!std::filesystem::exists(flag_value, ec)) {
      return Status::NotFound("--config " + flag_value + ": no such file");
    }
    return flag_value;
  }
  const std::optional<std::string> from_env = env ? env("TAJO_CONFIG") : std::nullopt;
  if (from_env.has_value() && !from_env->empty()) {
    if (!std::filesystem::exists(*from_env, ec)) {
      return Status::NotFound("TAJO_CONFIG=" + *from_env + ": no such file");
    }
    return *from_env;
  }
  if (!std::filesystem::exists("tajo.yaml", ec)) {
    return Status::NotFound(
        "no tajo.yaml in the working directory (pass --config FILE or set TAJO_CONFIG)");
  }
  return std::string("tajo.yaml");
}

Result<Config> LoadConfigFile(const std::string& path, const ConfigLoadOptions& options) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) return Status::NotFound(path + ": no such file");
  if (!std::filesystem::is_regular_file(status)) return Status::IOError(path + ": not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read error");
  return LoadConfigString(text.str(), path, options);
}

}  // namespace tajo
