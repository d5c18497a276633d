// Rate-budget benchmarks: the pacing a sync gets from its budget, in simulated time, against the
// ideal the rate limit allows, and the CPU cost of one Acquire.
//
// Counters:
//   sim_s     simulated seconds that N calls took through the budget
//   ideal_s   the least time the limit allows for N calls: the first window's worth at once, then
//             one window per window's worth (ceil(N / max) - 1 windows)
//   vs_ideal  sim_s / ideal_s (1.00 = every call as early as the limit allows)
#include <benchmark/benchmark.h>

#include <chrono>
#include <string_view>

#include "core/clock.h"
#include "http/plan_budgets.h"
#include "http/rate_budget.h"

namespace tajo::http {
namespace {

double IdealSeconds(int64_t calls, int64_t per_window, double window_s) {
  int64_t windows = (calls + per_window - 1) / per_window - 1;
  return windows * window_s;
}

// Runs `calls` Acquires on `bucket` of a fresh budget set up by `add_buckets`, in simulated time,
// and reports sim_s, ideal_s and vs_ideal for a limit of `per_window` calls per `window_s`.
template <typename AddBuckets>
void Pace(benchmark::State& state, AddBuckets add_buckets, std::string_view bucket, int64_t calls,
          int64_t per_window, double window_s) {
  double sim_s = 0;
  for (auto _ : state) {
    ManualClock clock;
    RateBudget budget(clock);
    if (!add_buckets(budget).ok()) state.SkipWithError("buckets");
    const int64_t start = clock.NowMicros();
    for (int64_t i = 0; i < calls; ++i) benchmark::DoNotOptimize(budget.Acquire(bucket));
    sim_s = (clock.NowMicros() - start) / 1e6;
  }
  const double ideal = IdealSeconds(calls, per_window, window_s);
  state.counters["sim_s"] = sim_s;
  state.counters["ideal_s"] = ideal;
  state.counters["vs_ideal"] = ideal > 0 ? sim_s / ideal : 1.0;
  state.counters["cpu_per_call"] = benchmark::Counter(
      static_cast<double>(calls), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// N calls through a HubSpot plan's budget (the per-10-second window and the daily quota).
void BM_HubSpotPacing(benchmark::State& state) {
  const HubSpotRateLimits limits = DefaultHubSpotRateLimits(static_cast<HubSpotPlan>(state.range(1)));
  Pace(state, [&](RateBudget& b) { return AddHubSpotBuckets(b, limits); }, kHubSpotBucket, state.range(0),
       limits.per_10s, 10.0);
}
// 1,000 and 10,000 calls (10 and 100 pages of a 100-contact list) on free and enterprise.
BENCHMARK(BM_HubSpotPacing)
    ->Args({1'000, static_cast<int>(HubSpotPlan::kFree)})
    ->Args({10'000, static_cast<int>(HubSpotPlan::kFree)})
    ->Args({10'000, static_cast<int>(HubSpotPlan::kEnterprise)})
    ->Unit(benchmark::kMillisecond);

// Brevo contacts bucket: 10/s and 36,000/h on standard. 1,000 calls take ~100 s.
void BM_BrevoContactsPacing(benchmark::State& state) {
  const BrevoRateLimits limits = DefaultBrevoRateLimits(BrevoPlan::kStandard);
  Pace(state, [&](RateBudget& b) { return AddBrevoBuckets(b, limits); }, kBrevoContactsBucket, state.range(0),
       limits.contacts_per_second, 1.0);
}
BENCHMARK(BM_BrevoContactsPacing)->Arg(1'000)->Unit(benchmark::kMillisecond);

// The CPU cost of one uncontended Acquire on a bucket that never waits.
void BM_AcquireNoWait(benchmark::State& state) {
  RateBudget budget(SystemClock());
  using namespace std::chrono_literals;
  if (!budget.AddBucket("wide", {{1'000'000'000, 1ms}}).ok()) state.SkipWithError("bucket");
  for (auto _ : state) benchmark::DoNotOptimize(budget.Acquire("wide"));
}
BENCHMARK(BM_AcquireNoWait)->Threads(1)->Threads(2);

}  // namespace
}  // namespace tajo::http

BENCHMARK_MAIN();
