#include "http/api_caller.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "core/log.h"
#include "core/redact.h"

namespace tajo::http {
namespace {

constexpr const char* kComponent = "http";

std::string Where(const ClientRequest& request) {
  return fmt::format("{} {}", request.method, Redact(request.url));
}

std::string BucketList(const std::vector<std::string>& buckets) {
  std::string out;
  for (const auto& b : buckets) out += (out.empty() ? "" : ",") + b;
  return out;
}

}  // namespace

ApiCaller::ApiCaller(Transport& transport, RateBudget& budget, RetryPolicy& retry, Clock& clock)
    : transport_(transport), budget_(budget), retry_(retry), clock_(clock) {}

template <typename F>
void ApiCaller::Count(const Plan& plan, F&& update) {
  std::lock_guard<std::mutex> lock(mu_);
  if (plan.buckets.empty()) {
    update(stats_[""]);
    return;
  }
  for (const auto& b : plan.buckets) update(stats_[b]);
}

Result<ApiCaller::Plan> ApiCaller::MakePlan(const ClientRequest& request, const CallOptions& options) const {
  if (options.max_attempts < 0) {
    return Status::InvalidArgument(
        fmt::format("{}: max_attempts {} is negative", Where(request), options.max_attempts));
  }
  Plan plan;
  for (const auto& b : options.buckets) {
    if (!budget_.HasBucket(b)) {
      return Status::InvalidArgument(fmt::format("{}: unknown rate budget bucket '{}'", Where(request), b));
    }
    if (std::find(plan.buckets.begin(), plan.buckets.end(), b) == plan.buckets.end()) plan.buckets.push_back(b);
  }
  plan.idempotent = options.idempotent.value_or(IsIdempotentMethod(request.method));
  plan.max_attempts = std::max(1, options.max_attempts > 0 ? options.max_attempts : retry_.options().max_attempts);
  return plan;
}

Status ApiCaller::Admit(const Plan& plan, const CallOptions& options, const ClientRequest& request, int attempt) {
  if (!plan.buckets.empty()) {
    auto grant = budget_.AcquireAll(plan.buckets, options.max_budget_wait_micros);
    if (!grant.ok()) {
      Count(plan, [](CallStats& s) { ++s.failed; });
      return grant.status().WithContext(Where(request));
    }
    if (grant->waited_micros > 0 && Log().Enabled(LogLevel::kVerbose)) {
      Log().Verbose(kComponent, "waited for rate budget",
                    {{"bucket", BucketList(plan.buckets)},
                     {"wait_ms", std::to_string(grant->waited_micros / 1000)}});
    }
  }
  Count(plan, [attempt](CallStats& s) {
    ++s.attempts;
    if (attempt > 1) ++s.retries;
  });
  return Status::Ok();
}

RetryDecision ApiCaller::Review(const Plan& plan, const ClientRequest& request, int attempt,
                                const Result<HttpResponse>& outcome, int64_t elapsed_micros) {
  if (outcome.ok()) {
    const int status = outcome->status;
    if (!plan.buckets.empty()) budget_.UpdateFromHeaders(plan.buckets.front(), outcome->headers);
    Count(plan, [status](CallStats& s) {
      if (status == 429) ++s.rate_limited;
      if (status >= 500 || status == 423 || status == 477) ++s.server_errors;
    });
  } else {
    Count(plan, [](CallStats& s) { ++s.transport_errors; });
  }

  RetryDecision d = retry_.Decide(attempt, plan.max_attempts, plan.idempotent, outcome, clock_.NowMicros());
  if (d.block_bucket_micros > 0) {
    const int64_t until = clock_.NowMicros() + d.block_bucket_micros;
    for (const auto& b : plan.buckets) budget_.BlockUntil(b, until);
  }
  if (Log().Enabled(LogLevel::kDebug)) {
    LogFields fields = {{"method", request.method},
                        {"url", Redact(request.url)},
                        {"attempt", std::to_string(attempt)},
                        {"elapsed_ms", std::to_string(elapsed_micros / 1000)}};
    if (!plan.buckets.empty()) fields.emplace_back("bucket", BucketList(plan.buckets));
    if (outcome.ok()) {
      fields.emplace_back("status", std::to_string(outcome->status));
    } else {
      fields.emplace_back("error", Redact(outcome.status().ToString()));
    }
    if (d.retry || attempt > 1 || !outcome.ok() || outcome->status >= 400) fields.emplace_back("retry", d.reason);
    Log().Debug(kComponent, d.retry ? "call will be retried" : "call", fields);
  }
  return d;
}

Result<HttpResponse> ApiCaller::Conclude(const Plan& plan, const ClientRequest& request, int attempts,
                                         Result<HttpResponse> outcome) {
  const bool failed = !outcome.ok() || outcome->status >= 400;
  Count(plan, [failed](CallStats& s) {
    ++s.calls;
    if (failed) ++s.failed;
  });
  if (outcome.ok()) return outcome;
  // Transport messages name the URL already; redact again in case a fake or future transport
  // did not, and say how hard we tried.
  const Status& s = outcome.status();
  std::string message = Redact(s.message());
  if (message.find(Redact(request.url)) == std::string::npos) message = Where(request) + ": " + message;
  if (attempts > 1) message += fmt::format(" (after {} attempts)", attempts);
  return Status(s.code(), std::move(message));
}

Result<HttpResponse> ApiCaller::Call(const ClientRequest& request, const CallOptions& options) {
  auto plan = MakePlan(request, options);
  if (!plan.ok()) return plan.status();
  for (int attempt = 1;; ++attempt) {
    Status admitted = Admit(*plan, options, request, attempt);
    if (!admitted.ok()) {
      Count(*plan, [](CallStats& s) { ++s.calls; });
      return admitted;
    }
    const int64_t start = clock_.NowMicros();
    Result<HttpResponse> outcome = transport_.Send(request);
    RetryDecision d = Review(*plan, request, attempt, outcome, clock_.NowMicros() - start);
    if (!d.retry) return Conclude(*plan, request, attempt, std::move(outcome));
    Count(*plan, [&d](CallStats& s) { s.backoff_micros += d.delay_micros; });
    clock_.SleepForMicros(d.delay_micros);
  }
}

std::vector<Result<HttpResponse>> ApiCaller::CallAll(const std::vector<ClientRequest>& requests,
                                                     const CallOptions& options) {
  const size_t n = requests.size();
  std::vector<std::optional<Result<HttpResponse>>> results(n);
  std::vector<Plan> plans(n);
  std::vector<int> attempt(n, 1);           // the number of the next attempt
  std::vector<int64_t> not_before(n, 0);    // earliest time of the next attempt (backoff)
  std::vector<size_t> pending;              // in request order
  for (size_t i = 0; i < n; ++i) {
    auto plan = MakePlan(requests[i], options);
    if (!plan.ok()) {
      results[i] = plan.status();
    } else {
      plans[i] = std::move(plan).value();
      pending.push_back(i);
    }
  }

  while (!pending.empty()) {
    // Requests whose backoff is over, as many as the budget admits now (the first one may wait
    // for it): sending them together keeps them in flight at once without holding admitted
    // calls back while the budget refills for later ones.
    const int64_t now = clock_.NowMicros();
    std::vector<size_t> batch;
    std::vector<size_t> later;
    int64_t next_ready = std::numeric_limits<int64_t>::max();
    bool budget_full = false;
    for (size_t i : pending) {
      if (not_before[i] > now) {
        next_ready = std::min(next_ready, not_before[i]);
        later.push_back(i);
        continue;
      }
      if (!batch.empty()) {
        auto wait = plans[i].buckets.empty() ? Result<int64_t>(0) : budget_.TimeUntilAvailable(plans[i].buckets);
        budget_full = budget_full || !wait.ok() || *wait > 0;
      }
      if (budget_full) {
        later.push_back(i);
        continue;
      }
      Status admitted = Admit(plans[i], options, requests[i], attempt[i]);
      if (!admitted.ok()) {
        Count(plans[i], [](CallStats& s) { ++s.calls; });
        results[i] = admitted;
        continue;
      }
      batch.push_back(i);
    }
    if (batch.empty()) {
      if (later.empty()) break;
      clock_.SleepForMicros(next_ready - now);  // everything left is backing off
      pending = std::move(later);
      continue;
    }

    std::vector<ClientRequest> to_send;
    to_send.reserve(batch.size());
    for (size_t i : batch) to_send.push_back(requests[i]);
    const int64_t start = clock_.NowMicros();
    std::vector<Result<HttpResponse>> outcomes = transport_.SendAll(to_send);
    const int64_t end = clock_.NowMicros();

    for (size_t k = 0; k < batch.size(); ++k) {
      const size_t i = batch[k];
      Result<HttpResponse> outcome =
          k < outcomes.size() ? std::move(outcomes[k])
                              : Result<HttpResponse>(Status::Internal("transport returned too few results"));
      RetryDecision d = Review(plans[i], requests[i], attempt[i], outcome, end - start);
      if (d.retry) {
        Count(plans[i], [&d](CallStats& s) { s.backoff_micros += d.delay_micros; });
        ++attempt[i];
        not_before[i] = end + d.delay_micros;
        later.push_back(i);
      } else {
        results[i] = Conclude(plans[i], requests[i], attempt[i], std::move(outcome));
      }
    }
    std::sort(later.begin(), later.end());
    pending = std::move(later);
  }

  std::vector<Result<HttpResponse>> out;
  out.reserve(n);
  for (auto& r : results) out.push_back(r ? std::move(*r) : Result<HttpResponse>(Status::Internal("no result")));
  return out;
}

CallStats ApiCaller::Stats(const std::string& bucket) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stats_.find(bucket);
  return it == stats_.end() ? CallStats{} : it->second;
}

std::map<std::string, CallStats> ApiCaller::AllStats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace tajo::http
