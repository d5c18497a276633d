// Access control of the HubSpot sandbox: the tokens it accepts (private-app tokens from the
// options, OAuth access tokens it issued) with their scopes, and the rate limits of the plan
// (reference §8, §9): a rolling 10-second burst window per private app (per account for OAuth
// apps), a daily quota per account that resets at midnight UTC (private apps only), and the
// search endpoints' own per-second window, with the X-HubSpot-RateLimit-* headers.
//
// Both classes are thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/message.h"
#include "sandbox/common/rate_windows.h"
#include "sandbox/hubspot/options.h"

namespace tajo::sandbox::hubspot {

struct TokenInfo {
  enum class Kind { kPrivateApp, kOAuth };
  std::string token;
  Kind kind = Kind::kPrivateApp;
  bool all_scopes = false;
  std::set<std::string> scopes;
  int64_t expires_at_ms = 0;  // OAuth access tokens
  int64_t user_id = 0;
  std::string refresh_token;  // OAuth: the refresh token it was issued with

  bool HasAnyScope(const std::vector<std::string>& any_of) const;
};

class TokenRegistry {
 public:
  void Add(TokenInfo info);
  bool Remove(const std::string& token);
  std::optional<TokenInfo> Find(const std::string& token) const;
  // Every private-app token (for /_sandbox/settings; values masked by the caller).
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, TokenInfo> tokens_;
};

struct RateCheck {
  bool allowed = true;
  std::string policy;      // when rejected: TEN_SECONDLY_ROLLING, DAILY or SECONDLY
  std::string message;     // when rejected: HubSpot's message for that policy
  int64_t retry_after_ms = 0;
  http::Headers headers;   // X-HubSpot-RateLimit-* (not for search)
};

class HubSpotRateLimiter {
 public:
  // `clock` drives the windows (a ScaledClock under --time-scale).
  HubSpotRateLimiter(Clock& clock, PlanLimits plan, int search_per_second);
  HubSpotRateLimiter(const HubSpotRateLimiter&) = delete;
  HubSpotRateLimiter& operator=(const HubSpotRateLimiter&) = delete;

  void SetPlan(PlanLimits plan);
  PlanLimits plan() const;
  void SetSearchPerSecond(int n);
  // Counts one non-search API call. With `enforce` false, calls are counted and headers sent
  // but nothing is rejected.
  RateCheck CheckApi(const TokenInfo& token, bool enforce);
  // Counts one search call against the per-second search window (no headers).
  RateCheck CheckSearch(const TokenInfo& token, bool enforce);
  void Reset();

 private:
  Clock& clock_;
  mutable std::mutex mu_;
  PlanLimits plan_;
  int search_per_second_;
  RollingWindowLimiter burst_{10'000'000};
  RollingWindowLimiter secondly_{1'000'000};
  RollingWindowLimiter search_{1'000'000};
  FixedWindowQuota daily_{86'400'000'000LL};
};

}  // namespace tajo::sandbox::hubspot
