#include "sandbox/brevo/options.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

namespace tajo::sandbox::brevo {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<ApiKeySpec> ParseApiKeySpec(std::string_view text, size_t index) {
  ApiKeySpec spec;
  std::string_view key = text;
  size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    spec.name = std::string(text.substr(0, colon));
    key = text.substr(colon + 1);
    if (spec.name.empty() || spec.name.size() > 100)
      return Status::InvalidArgument("--brevo-api-key: the name before ':' must be 1 to 100 characters");
  } else {
    spec.name = "api-key-" + std::to_string(index + 1);
  }
  if (key.size() < 8 || key.size() > 512)
    return Status::InvalidArgument("--brevo-api-key: the key must be 8 to 512 characters");
  for (char c : key) {
    if (c == ':' || !std::isgraph(static_cast<unsigned char>(c)))
      return Status::InvalidArgument("--brevo-api-key: the key must be printable characters without spaces or ':'");
  }
  spec.key = std::string(key);
  return spec;
}

Result<PlanLimits> LimitsForPlan(std::string_view plan) {
  std::string p = Lower(Trim(plan));
  PlanLimits limits;
  if (p == "standard" || p == "general" || p == "free" || p == "starter" || p == "business") {
    limits.plan = "standard";
    return limits;
  }
  if (p == "advanced" || p == "professional" || p == "enterprise") {
    limits.plan = "advanced";
    limits.contacts_per_second = 20;
    limits.contacts_per_hour = 72'000;
    limits.events_per_second = 20;
    limits.events_per_hour = 72'000;
    limits.other_per_hour = 200;
    return limits;
  }
  return Status::InvalidArgument("unknown Brevo plan \"" + std::string(plan) + "\" (standard or advanced)");
}

Result<SeedSpec> ParseSeedSpec(std::string_view text) {
  SeedSpec spec;
  spec.lists = 0;
  text = Trim(text);
  if (text.empty()) return spec;
  spec.lists = 3;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string_view item = Trim(text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    pos = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      return Status::InvalidArgument("brevo seed: \"" + std::string(item) + "\" is not name=value");
    std::string name = Lower(Trim(item.substr(0, eq)));
    std::string value(Trim(item.substr(eq + 1)));
    struct Count {
      const char* name;
      int64_t* slot;
      int64_t max;
    };
    struct Share {
      const char* name;
      double* slot;
    };
    bool done = false;
    for (const Count& c : {Count{"contacts", &spec.contacts, 50'000'000}, Count{"lists", &spec.lists, 1'000},
                           Count{"hubspot_contacts", &spec.hubspot_contacts, 50'000'000},
                           Count{"hubspot_companies", &spec.hubspot_companies, 50'000'000}}) {
      if (name != c.name) continue;
      int64_t v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || end != value.data() + value.size() || v < 0 || v > c.max)
        return Status::InvalidArgument(fmt::format("brevo seed: {} must be a whole number between 0 and {} (got \"{}\")",
                                                   c.name, c.max, value));
      *c.slot = v;
      done = true;
    }
    for (const Share& s : {Share{"overlap", &spec.overlap_share}, Share{"different_names", &spec.different_name_share},
                           Share{"blocklisted", &spec.blocklisted_share}, Share{"sms", &spec.sms_share},
                           Share{"ext_ids", &spec.ext_id_share},
                           Share{"hubspot_email_missing", &spec.hubspot_email_missing_share},
                           Share{"hubspot_email_duplicates", &spec.hubspot_email_duplicate_share}}) {
      if (name != s.name) continue;
      char* end = nullptr;
      double v = std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || !(v >= 0 && v <= 1))
        return Status::InvalidArgument(fmt::format("brevo seed: {} must be a number between 0 and 1 (got \"{}\")", s.name, value));
      *s.slot = v;
      done = true;
    }
    if (!done)
      return Status::InvalidArgument(
          "brevo seed: unknown item \"" + name +
          "\" (contacts, overlap, different_names, blocklisted, sms, ext_ids, lists, hubspot_contacts, "
          "hubspot_companies, hubspot_email_missing, hubspot_email_duplicates)");
  }
  return spec;
}

std::string FormatSeedSpec(const SeedSpec& s) {
  return fmt::format(
      "contacts={},overlap={},different_names={},blocklisted={},sms={},ext_ids={},lists={},hubspot_contacts={},"
      "hubspot_companies={},hubspot_email_missing={},hubspot_email_duplicates={}",
      s.contacts, s.overlap_share, s.different_name_share, s.blocklisted_share, s.sms_share, s.ext_id_share, s.lists,
      s.hubspot_contacts, s.hubspot_companies, s.hubspot_email_missing_share, s.hubspot_email_duplicate_share);
}

}  // namespace tajo::sandbox::brevo
