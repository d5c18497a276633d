#include "http/rate_limit_headers.h"

#include <cctype>
#include <string>

namespace tajo::http {
namespace {

// Bounds that no real limit reaches; a larger value is garbage.
constexpr int64_t kMaxLimit = 1'000'000'000;             // calls in a window
constexpr int64_t kMaxWindowMillis = 31 * kDayMillis;     // a month
constexpr int64_t kMaxResetSeconds = 31 * 86'400;

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<int64_t> Get(const Headers& headers, std::string_view name, int64_t max_value) {
  auto v = headers.Get(name);
  if (!v) return std::nullopt;
  return ParseHeaderCount(*v, max_value);
}

// Drops what cannot be true together (remaining above the limit) and reports whether anything
// usable is left.
bool Consistent(RateLimitReport& r) {
  if (r.limit && *r.limit < 1) r.limit.reset();
  if (r.limit && r.remaining && *r.remaining > *r.limit) r.remaining.reset();
  return r.limit.has_value() || r.remaining.has_value();
}

}  // namespace

std::optional<int64_t> ParseHeaderCount(std::string_view value, int64_t max_value) {
  value = TrimBlanks(value);
  if (value.empty() || value.size() > 18) return std::nullopt;  // 18 digits cannot overflow int64
  int64_t n = 0;
  for (char c : value) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n > max_value) return std::nullopt;
  return n;
}

std::optional<int64_t> ParseHeaderSecondsAsMillis(std::string_view value, int64_t max_seconds) {
  value = TrimBlanks(value);
  const size_t dot = value.find('.');
  std::string_view whole = value.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : value.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && (frac.empty() || frac.size() > 9))) {
    return std::nullopt;
  }
  if (TrimBlanks(whole).size() != whole.size()) return std::nullopt;  // "1 .5"
  auto seconds = ParseHeaderCount(whole, max_seconds);
  if (!seconds) return std::nullopt;
  int64_t nanos = 0;
  for (size_t i = 0; i < 9; ++i) {
    int digit = 0;
    if (i < frac.size()) {
      if (!std::isdigit(static_cast<unsigned char>(frac[i]))) return std::nullopt;
      digit = frac[i] - '0';
    }
    nanos = nanos * 10 + digit;
  }
  const int64_t millis = *seconds * 1000 + (nanos + 999'999) / 1'000'000;
  if (millis > max_seconds * 1000) return std::nullopt;
  return millis;
}

std::vector<RateLimitReport> ParseRateLimitHeaders(const Headers& headers) {
  std::vector<RateLimitReport> out;

  RateLimitReport interval;
  interval.source = RateLimitReport::Source::kHubSpotInterval;
  interval.limit = Get(headers, "X-HubSpot-RateLimit-Max", kMaxLimit);
  interval.remaining = Get(headers, "X-HubSpot-RateLimit-Remaining", kMaxLimit);
  interval.window_ms = Get(headers, "X-HubSpot-RateLimit-Interval-Milliseconds", kMaxWindowMillis);
  if (interval.window_ms && *interval.window_ms < 1) interval.window_ms.reset();
  if (Consistent(interval)) out.push_back(interval);

  RateLimitReport daily;
  daily.source = RateLimitReport::Source::kHubSpotDaily;
  daily.limit = Get(headers, "X-HubSpot-RateLimit-Daily", kMaxLimit);
  daily.remaining = Get(headers, "X-HubSpot-RateLimit-Daily-Remaining", kMaxLimit);
  daily.window_ms = kDayMillis;
  if (Consistent(daily)) out.push_back(daily);

  RateLimitReport brevo;
  brevo.source = RateLimitReport::Source::kBrevo;
  brevo.limit = Get(headers, "x-sib-ratelimit-limit", kMaxLimit);
  brevo.remaining = Get(headers, "x-sib-ratelimit-remaining", kMaxLimit);
  if (auto reset = headers.Get("x-sib-ratelimit-reset")) {
    brevo.reset_ms = ParseHeaderSecondsAsMillis(*reset, kMaxResetSeconds);
  }
  if (Consistent(brevo)) out.push_back(brevo);

  return out;
}

}  // namespace tajo::http
