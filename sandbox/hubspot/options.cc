#include "sandbox/hubspot/options.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace tajo::sandbox::hubspot {

bool SeedSpec::empty() const {
  return contacts + companies + deals + tickets + calls + emails + meetings + notes + tasks + engagements == 0;
}

Result<SeedSpec> ParseSeedSpec(std::string_view text) {
  SeedSpec spec;
  spec.email_missing_share = 0.03;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    std::string_view item = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    pos = comma == std::string_view::npos ? text.size() : comma + 1;
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      return Status::InvalidArgument("seed spec item \"" + std::string(item) + "\": expected name=value");
    std::string key(item.substr(0, eq));
    std::string_view value = item.substr(eq + 1);
    if (key == "email_missing" || key == "email_duplicates") {
      std::string v(value);
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size() || d < 0 || d > 1)
        return Status::InvalidArgument("seed spec item \"" + std::string(item) + "\": expected a share between 0 and 1");
      (key == "email_missing" ? spec.email_missing_share : spec.email_duplicate_share) = d;
      continue;
    }
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || ptr != value.data() + value.size() || n < 0 || n > 50'000'000)
      return Status::InvalidArgument("seed spec item \"" + std::string(item) +
                                     "\": expected a whole number between 0 and 50000000");
    int64_t* slot = nullptr;
    if (key == "contacts") slot = &spec.contacts;
    else if (key == "companies") slot = &spec.companies;
    else if (key == "deals") slot = &spec.deals;
    else if (key == "tickets") slot = &spec.tickets;
    else if (key == "calls") slot = &spec.calls;
    else if (key == "emails") slot = &spec.emails;
    else if (key == "meetings") slot = &spec.meetings;
    else if (key == "notes") slot = &spec.notes;
    else if (key == "tasks") slot = &spec.tasks;
    else if (key == "engagements") slot = &spec.engagements;
    if (!slot)
      return Status::InvalidArgument("seed spec: unknown object \"" + key +
                                     "\" (expected contacts, companies, deals, tickets, engagements, calls, emails, "
                                     "meetings, notes, tasks, email_missing, email_duplicates)");
    *slot = n;
  }
  return spec;
}

std::string FormatSeedSpec(const SeedSpec& s) {
  std::string out;
  auto add = [&](const char* k, int64_t v) {
    if (!v) return;
    if (!out.empty()) out += ',';
    out.append(k).append("=").append(std::to_string(v));
  };
  add("contacts", s.contacts);
  add("companies", s.companies);
  add("deals", s.deals);
  add("tickets", s.tickets);
  add("engagements", s.engagements);
  add("calls", s.calls);
  add("emails", s.emails);
  add("meetings", s.meetings);
  add("notes", s.notes);
  add("tasks", s.tasks);
  return out;
}

Result<TokenSpec> ParseTokenSpec(std::string_view text) {
  TokenSpec spec;
  size_t colon = text.find(':');
  spec.token = std::string(text.substr(0, colon));
  if (spec.token.size() < 8 || spec.token.size() > 512)
    return Status::InvalidArgument("--hubspot-token: a token must be 8 to 512 characters long");
  for (char c : spec.token)
    if (!std::isgraph(static_cast<unsigned char>(c)))
      return Status::InvalidArgument("--hubspot-token: a token may not contain spaces or control characters");
  if (colon != std::string_view::npos) {
    std::string_view rest = text.substr(colon + 1);
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string scope(rest.substr(0, comma));
      if (!scope.empty()) spec.scopes.push_back(scope);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    if (spec.scopes.empty())
      return Status::InvalidArgument("--hubspot-token: expected TOKEN or TOKEN:scope1,scope2 (no scope after ':')");
  }
  return spec;
}

Result<PlanLimits> LimitsForPlan(std::string_view plan) {
  if (plan == "free" || plan == "starter") return PlanLimits{std::string(plan), 100, 250'000};
  if (plan == "professional") return PlanLimits{"professional", 190, 625'000};
  if (plan == "enterprise") return PlanLimits{"enterprise", 190, 1'000'000};
  if (plan == "api_addon") return PlanLimits{"api_addon", 250, 2'000'000};
  return Status::InvalidArgument("unknown HubSpot plan \"" + std::string(plan) +
                                 "\" (expected free, starter, professional, enterprise or api_addon)");
}

}  // namespace tajo::sandbox::hubspot
