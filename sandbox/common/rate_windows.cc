#include "sandbox/common/rate_windows.h"

#include <algorithm>

namespace tajo::sandbox {

void RollingWindowLimiter::Prune(std::deque<int64_t>& calls, int64_t now) const {
  while (!calls.empty() && calls.front() <= now - window_) calls.pop_front();
}

WindowDecision RollingWindowLimiter::TryAcquire(const std::string& key, int64_t limit, int64_t now) {
  std::lock_guard lock(mu_);
  auto& calls = calls_[key];
  Prune(calls, now);
  WindowDecision d;
  d.limit = limit;
  if (limit <= 0 || static_cast<int64_t>(calls.size()) >= limit) {
    d.allowed = false;
    d.remaining = 0;
    d.retry_after_micros = calls.empty() ? window_ : std::max<int64_t>(1, calls.front() + window_ - now);
    // Keep only what can still matter so a shrinking limit cannot grow memory.
    while (limit > 0 && static_cast<int64_t>(calls.size()) > limit) calls.pop_front();
    return d;
  }
  calls.push_back(now);
  d.remaining = limit - static_cast<int64_t>(calls.size());
  return d;
}

WindowDecision RollingWindowLimiter::Peek(const std::string& key, int64_t limit, int64_t now) {
  std::lock_guard lock(mu_);
  auto& calls = calls_[key];
  Prune(calls, now);
  WindowDecision d;
  d.limit = limit;
  int64_t used = static_cast<int64_t>(calls.size());
  d.allowed = limit > 0 && used < limit;
  d.remaining = std::max<int64_t>(0, limit - used);
  if (!d.allowed) d.retry_after_micros = calls.empty() ? window_ : std::max<int64_t>(1, calls.front() + window_ - now);
  return d;
}

int64_t RollingWindowLimiter::Count(const std::string& key, int64_t now) {
  std::lock_guard lock(mu_);
  auto& calls = calls_[key];
  Prune(calls, now);
  return static_cast<int64_t>(calls.size());
}

void RollingWindowLimiter::Reset() {
  std::lock_guard lock(mu_);
  calls_.clear();
}

int64_t FixedWindowQuota::WindowOf(int64_t now) const {
  int64_t t = now - offset_;
  return t >= 0 ? t / window_ : -((-t + window_ - 1) / window_);
}

WindowDecision FixedWindowQuota::TryAcquire(const std::string& key, int64_t limit, int64_t now) {
  std::lock_guard lock(mu_);
  Counter& c = counters_[key];
  int64_t w = WindowOf(now);
  if (c.window != w) c = Counter{w, 0};
  WindowDecision d;
  d.limit = limit;
  if (limit <= 0 || c.count >= limit) {
    d.allowed = false;
    d.remaining = 0;
    d.retry_after_micros = (w + 1) * window_ + offset_ - now;
    return d;
  }
  ++c.count;
  d.remaining = limit - c.count;
  return d;
}

WindowDecision FixedWindowQuota::Peek(const std::string& key, int64_t limit, int64_t now) {
  std::lock_guard lock(mu_);
  Counter& c = counters_[key];
  int64_t w = WindowOf(now);
  if (c.window != w) c = Counter{w, 0};
  WindowDecision d;
  d.limit = limit;
  d.allowed = limit > 0 && c.count < limit;
  d.remaining = std::max<int64_t>(0, limit - c.count);
  if (!d.allowed) d.retry_after_micros = (w + 1) * window_ + offset_ - now;
  return d;
}

int64_t FixedWindowQuota::Count(const std::string& key, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = counters_.find(key);
  if (it == counters_.end() || it->second.window != WindowOf(now)) return 0;
  return it->second.count;
}

void FixedWindowQuota::Reset() {
  std::lock_guard lock(mu_);
  counters_.clear();
}

}  // namespace tajo::sandbox
