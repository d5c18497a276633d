// Reading the rate-limit headers HubSpot and Brevo put on their responses.
//
// HubSpot (reference/hubspot-api.md §9.2), on every non-search response:
//   X-HubSpot-RateLimit-Max / -Remaining / -Interval-Milliseconds   the rolling burst window
//   X-HubSpot-RateLimit-Daily / -Daily-Remaining                    the daily quota (absent for OAuth)
//   X-HubSpot-RateLimit-Secondly*                                   deprecated, not enforced: ignored
// Brevo (reference/brevo-api.md §8):
//   x-sib-ratelimit-limit / -remaining / -reset                     reset = seconds until the window frees
//
// Values are checked strictly: a value that is not a plain non-negative number in a sane range
// ("abc", "-1", "1e9999", "", 20 digits) is dropped as if absent, never clamped or guessed.
//
// Plain functions and values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace tajo::http {

// What one server said about one of its limits. Any field may be missing.
struct RateLimitReport {
  enum class Source { kHubSpotInterval, kHubSpotDaily, kBrevo };
  Source source = Source::kBrevo;
  std::optional<int64_t> limit;      // calls allowed in the window (>= 1)
  std::optional<int64_t> remaining;  // calls left in the window (0..limit when both known)
  std::optional<int64_t> window_ms;  // the window length, when the server names it
  std::optional<int64_t> reset_ms;   // time until the window frees, when the server names it
};

inline constexpr int64_t kDayMillis = 86'400'000;

// Every report found in `headers` (0 to 3: HubSpot interval, HubSpot daily, Brevo). A report
// with neither a valid limit nor a valid remaining is left out.
std::vector<RateLimitReport> ParseRateLimitHeaders(const Headers& headers);

// Parses a header value holding a non-negative integer no larger than `max_value` (surrounding
// blanks allowed). nullopt for anything else.
std::optional<int64_t> ParseHeaderCount(std::string_view value, int64_t max_value);

// Parses a non-negative number of seconds, integer or decimal ("2", "0.5"), no larger than
// `max_seconds`, into milliseconds (rounded up). nullopt for anything else.
std::optional<int64_t> ParseHeaderSecondsAsMillis(std::string_view value, int64_t max_seconds);

}  // namespace tajo::http
