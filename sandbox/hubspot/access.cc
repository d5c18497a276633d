#include "sandbox/hubspot/access.h"

#include <algorithm>
#include <climits>

namespace tajo::sandbox::hubspot {

bool TokenInfo::HasAnyScope(const std::vector<std::string>& any_of) const {
  if (all_scopes || any_of.empty()) return true;
  for (const auto& s : any_of)
    if (scopes.count(s)) return true;
  return false;
}

void TokenRegistry::Add(TokenInfo info) {
  std::lock_guard lock(mu_);
  std::string key = info.token;
  tokens_[key] = std::move(info);
}

bool TokenRegistry::Remove(const std::string& token) {
  std::lock_guard lock(mu_);
  return tokens_.erase(token) > 0;
}

std::optional<TokenInfo> TokenRegistry::Find(const std::string& token) const {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return std::nullopt;
  return it->second;
}

size_t TokenRegistry::size() const {
  std::lock_guard lock(mu_);
  return tokens_.size();
}

HubSpotRateLimiter::HubSpotRateLimiter(Clock& clock, PlanLimits plan, int search_per_second)
    : clock_(clock), plan_(std::move(plan)), search_per_second_(search_per_second) {}

void HubSpotRateLimiter::SetPlan(PlanLimits plan) {
  std::lock_guard lock(mu_);
  plan_ = std::move(plan);
}

PlanLimits HubSpotRateLimiter::plan() const {
  std::lock_guard lock(mu_);
  return plan_;
}

void HubSpotRateLimiter::SetSearchPerSecond(int n) {
  std::lock_guard lock(mu_);
  search_per_second_ = n;
}

RateCheck HubSpotRateLimiter::CheckApi(const TokenInfo& token, bool enforce) {
  PlanLimits plan = this->plan();
  int64_t now = clock_.NowMicros();
  bool oauth = token.kind == TokenInfo::Kind::kOAuth;
  // Private apps: burst per app (token), daily per account. OAuth apps: 110 / 10 s per account.
  std::string burst_key = oauth ? "oauth" : "app:" + token.token;
  int64_t burst_max = oauth ? kOAuthBurstPer10s : plan.burst_per_10s;
  RateCheck rc;
  if (!oauth && enforce) {
    WindowDecision d = daily_.Peek("account", plan.daily, now);
    if (!d.allowed) {
      rc.allowed = false;
      rc.policy = "DAILY";
      rc.message = "You have reached your daily limit.";
      rc.retry_after_ms = d.retry_after_micros / 1000;
    }
  }
  if (rc.allowed) {
    WindowDecision b = burst_.TryAcquire(burst_key, enforce ? burst_max : INT64_MAX, now);
    if (!b.allowed) {
      rc.allowed = false;
      rc.policy = "TEN_SECONDLY_ROLLING";
      rc.message = "You have reached your ten_secondly_rolling limit.";
      rc.retry_after_ms = b.retry_after_micros / 1000;
    }
  }
  if (rc.allowed) {
    if (!oauth) daily_.TryAcquire("account", INT64_MAX, now);
    secondly_.TryAcquire(burst_key, INT64_MAX, now);
  }
  int64_t burst_left = std::max<int64_t>(0, burst_max - burst_.Count(burst_key, now));
  int64_t secondly_max = std::max<int64_t>(1, burst_max / 10);
  int64_t secondly_left = std::max<int64_t>(0, secondly_max - secondly_.Count(burst_key, now));
  if (!oauth) {
    rc.headers.Set("X-HubSpot-RateLimit-Daily", std::to_string(plan.daily));
    rc.headers.Set("X-HubSpot-RateLimit-Daily-Remaining",
                   std::to_string(std::max<int64_t>(0, plan.daily - daily_.Count("account", now))));
  }
  rc.headers.Set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
  rc.headers.Set("X-HubSpot-RateLimit-Max", std::to_string(burst_max));
  rc.headers.Set("X-HubSpot-RateLimit-Remaining", std::to_string(burst_left));
  rc.headers.Set("X-HubSpot-RateLimit-Secondly", std::to_string(secondly_max));
  rc.headers.Set("X-HubSpot-RateLimit-Secondly-Remaining", std::to_string(secondly_left));
  return rc;
}

RateCheck HubSpotRateLimiter::CheckSearch(const TokenInfo& token, bool enforce) {
  int per_second;
  {
    std::lock_guard lock(mu_);
    per_second = search_per_second_;
  }
  RateCheck rc;
  int64_t now = clock_.NowMicros();
  WindowDecision d = search_.TryAcquire("search:" + token.token, enforce ? per_second : INT64_MAX, now);
  if (!d.allowed) {
    rc.allowed = false;
    rc.policy = "SECONDLY";
    rc.message = "You have reached your secondly limit.";
    rc.retry_after_ms = d.retry_after_micros / 1000;
  }
  return rc;
}

void HubSpotRateLimiter::Reset() {
  burst_.Reset();
  secondly_.Reset();
  search_.Reset();
  daily_.Reset();
}

}  // namespace tajo::sandbox::hubspot
