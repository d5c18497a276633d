#include "http/rate_budget.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "http/rate_limit_headers.h"
#include "http/sliding_window.h"

namespace tajo::http {
namespace {

constexpr int64_t kMaxCalls = 1'000'000'000;
constexpr int64_t kMaxWindowMillis = 31 * kDayMillis;

// "2h3m4.5s", "250ms", "0s": for messages.
std::string FormatDuration(int64_t micros) {
  if (micros < 1000) return micros <= 0 ? "0s" : fmt::format("{}us", micros);
  if (micros < 1'000'000) return fmt::format("{}ms", micros / 1000);
  int64_t ms = micros / 1000;
  int64_t h = ms / 3'600'000;
  int64_t m = ms / 60'000 % 60;
  double s = static_cast<double>(ms % 60'000) / 1000.0;
  std::string out;
  if (h > 0) out += fmt::format("{}h", h);
  if (h > 0 || m > 0) out += fmt::format("{}m", m);
  out += fmt::format("{:g}s", s);
  return out;
}

}  // namespace

struct RateBudget::Bucket {
  std::string name;
  std::vector<SlidingWindow> windows;
  int64_t blocked_until = std::numeric_limits<int64_t>::min();
  BucketStats stats;

  int64_t Wait(int64_t now) {
    int64_t wait = blocked_until > now ? blocked_until - now : 0;
    for (auto& w : windows) wait = std::max(wait, w.WaitMicros(now));
    return wait;
  }
  // Applies one server report; true when something changed.
  bool Apply(const RateLimitReport& report, int64_t now);
  SlidingWindow* Target(const RateLimitReport& report);
};

SlidingWindow* RateBudget::Bucket::Target(const RateLimitReport& r) {
  if (r.window_ms) {  // HubSpot names the window
    const int64_t window = *r.window_ms * 1000;
    for (auto& w : windows) {
      if (w.window_micros() == window) return &w;
    }
    if (!r.limit) return nullptr;
    windows.emplace_back(*r.limit, window);  // a limit we were not told about: learn it
    return &windows.back();
  }
  // Brevo does not: the limit with the same size, else the shortest window the reset fits in,
  // else the closest size.
  if (r.limit) {
    for (auto& w : windows) {
      if (w.max_calls() == *r.limit) return &w;
    }
  }
  if (r.reset_ms) {
    SlidingWindow* best = nullptr;
    for (auto& w : windows) {
      if (w.window_micros() >= *r.reset_ms * 1000 &&
          (best == nullptr || w.window_micros() < best->window_micros())) {
        best = &w;
      }
    }
    if (best != nullptr) return best;
  }
  if (r.limit) {
    SlidingWindow* best = nullptr;
    double best_distance = 0;
    for (auto& w : windows) {
      double d = std::fabs(std::log(static_cast<double>(w.max_calls())) - std::log(static_cast<double>(*r.limit)));
      if (best == nullptr || d < best_distance) {
        best = &w;
        best_distance = d;
      }
    }
    return best;
  }
  return windows.size() == 1 ? &windows.front() : nullptr;
}

bool RateBudget::Bucket::Apply(const RateLimitReport& r, int64_t now) {
  const size_t before = windows.size();
  SlidingWindow* target = Target(r);
  if (target == nullptr) return false;
  bool changed = windows.size() != before;
  if (r.limit && *r.limit != target->max_calls()) {
    target->SetMaxCalls(*r.limit);
    changed = true;
  }
  if (!r.remaining) return changed;
  const int64_t used = target->max_calls() - *r.remaining;
  const int64_t counted = target->Count(now);
  const int64_t window = target->window_micros();
  if (used > counted) {
    // The server has seen calls we did not record. Book them now; they leave our window when
    // the server's frees: after `reset` when it says so, else one whole window from now.
    const int64_t reset = r.reset_ms ? *r.reset_ms * 1000 : window;
    const int64_t at = now - window + std::min(reset, window);
    if (at > now - window) {
      target->Add(at, used - counted);
      changed = true;
    }
  }
  if (*r.remaining == 0 && r.reset_ms && *r.reset_ms * 1000 > window) {
    // Nothing left until a reset farther away than our window reaches: block until then.
    const int64_t until = now + *r.reset_ms * 1000;
    if (until > blocked_until) {
      blocked_until = until;
      changed = true;
    }
  }
  return changed;
}

RateBudget::RateBudget(Clock& clock) : clock_(clock) {}
RateBudget::~RateBudget() = default;

Status RateBudget::AddBucket(std::string name, std::vector<RateLimit> limits) {
  if (name.empty()) return Status::InvalidArgument("rate budget: a bucket needs a name");
  if (limits.empty()) {
    return Status::InvalidArgument(fmt::format("rate budget bucket '{}': at least one limit is required", name));
  }
  auto bucket = std::make_unique<Bucket>();
  bucket->name = name;
  std::set<int64_t> windows;
  for (size_t i = 0; i < limits.size(); ++i) {
    const auto& l = limits[i];
    const int64_t window_ms = l.window.count();
    if (l.max_calls < 1 || l.max_calls > kMaxCalls) {
      return Status::InvalidArgument(fmt::format(
          "rate budget bucket '{}' limit {}: max_calls {} is out of range (1..{})", name, i + 1,
          l.max_calls, kMaxCalls));
    }
    if (window_ms < 1 || window_ms > kMaxWindowMillis) {
      return Status::InvalidArgument(fmt::format(
          "rate budget bucket '{}' limit {}: window {} ms is out of range (1 ms..31 days)", name,
          i + 1, window_ms));
    }
    if (!windows.insert(window_ms).second) {
      return Status::InvalidArgument(fmt::format(
          "rate budget bucket '{}' limit {}: another limit already has a {} ms window", name, i + 1,
          window_ms));
    }
    bucket->windows.emplace_back(l.max_calls, window_ms * 1000);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (buckets_.count(name) != 0) {
    return Status::AlreadyExists(fmt::format("rate budget bucket '{}' already exists", name));
  }
  buckets_.emplace(std::move(name), std::move(bucket));
  return Status::Ok();
}

bool RateBudget::HasBucket(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.find(name) != buckets_.end();
}

Result<std::vector<RateBudget::Bucket*>> RateBudget::ResolveLocked(const std::vector<std::string>& names) const {
  std::vector<Bucket*> out;
  for (const auto& name : names) {
    auto it = buckets_.find(name);
    if (it == buckets_.end()) {
      return Status::InvalidArgument(fmt::format("rate budget: unknown bucket '{}'", name));
    }
    if (std::find(out.begin(), out.end(), it->second.get()) == out.end()) out.push_back(it->second.get());
  }
  return out;
}

int64_t RateBudget::WaitLocked(const std::vector<Bucket*>& buckets, int64_t now) const {
  int64_t wait = 0;
  for (Bucket* b : buckets) wait = std::max(wait, b->Wait(now));
  return wait;
}

Result<Grant> RateBudget::Acquire(std::string_view bucket, int64_t max_wait_micros) {
  return AcquireAll({std::string(bucket)}, max_wait_micros);
}

Result<Grant> RateBudget::AcquireAll(const std::vector<std::string>& names, int64_t max_wait_micros) {
  std::vector<Bucket*> buckets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto resolved = ResolveLocked(names);
    if (!resolved.ok()) return resolved.status();
    buckets = std::move(resolved).value();
  }
  const int64_t start = clock_.NowMicros();
  for (;;) {
    int64_t wait = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const int64_t now = clock_.NowMicros();
      wait = WaitLocked(buckets, now);
      const int64_t waited = std::max<int64_t>(0, now - start);
      if (wait <= 0) {
        for (Bucket* b : buckets) {
          for (auto& w : b->windows) w.Add(now);
          ++b->stats.calls;
          if (waited > 0) {
            ++b->stats.waited_calls;
            b->stats.wait_micros += waited;
          }
        }
        return Grant{now, waited};
      }
      if (max_wait_micros >= 0 && waited + wait > max_wait_micros) {
        std::string names_text;
        for (Bucket* b : buckets) {
          ++b->stats.refusals;
          names_text += (names_text.empty() ? "'" : ", '") + b->name + "'";
        }
        return Status::ResourceExhausted(fmt::format(
            "rate budget {}: the next call is allowed in {}, more than the allowed wait of {}",
            names_text, FormatDuration(wait), FormatDuration(max_wait_micros - waited)));
      }
    }
    // Sleep outside the lock, then look again: another thread may have taken the slot.
    clock_.SleepForMicros(wait);
  }
}

Result<int64_t> RateBudget::TimeUntilAvailable(const std::vector<std::string>& names) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto resolved = ResolveLocked(names);
  if (!resolved.ok()) return resolved.status();
  return WaitLocked(*resolved, clock_.NowMicros());
}

bool RateBudget::UpdateFromHeaders(std::string_view bucket, const Headers& headers) {
  const auto reports = ParseRateLimitHeaders(headers);
  if (reports.empty()) return false;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return false;
  Bucket& b = *it->second;
  const int64_t now = clock_.NowMicros();
  bool changed = false;
  for (const auto& r : reports) changed = b.Apply(r, now) || changed;
  if (changed) ++b.stats.corrections;
  return changed;
}

void RateBudget::BlockUntil(std::string_view bucket, int64_t until_micros) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return;
  it->second->blocked_until = std::max(it->second->blocked_until, until_micros);
}

std::vector<RateLimitState> RateBudget::Limits(std::string_view bucket) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<RateLimitState> out;
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return out;
  const int64_t now = clock_.NowMicros();
  for (auto& w : it->second->windows) {
    out.push_back({w.max_calls(), std::chrono::milliseconds(w.window_micros() / 1000), w.Count(now)});
  }
  return out;
}

BucketStats RateBudget::Stats(std::string_view bucket) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(bucket);
  return it == buckets_.end() ? BucketStats{} : it->second->stats;
}

std::map<std::string, BucketStats> RateBudget::AllStats() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, BucketStats> out;
  for (const auto& [name, b] : buckets_) out.emplace(name, b->stats);
  return out;
}

}  // namespace tajo::http
