// Clock: the one way tajo reads the time or waits.
//
// Every component that needs "now" or needs to sleep (rate budgets, retries, webhook timestamp
// windows, lookbacks, schedulers) takes a Clock&, so tests drive time by hand instead of sleeping.
//
// SystemClock() is thread-safe and lives for the whole process. ManualClock is thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace tajo {

class Clock {
 public:
  virtual ~Clock() = default;

  // Microseconds since the Unix epoch (UTC). Never goes backwards within one process on
  // SystemClock (it is wall time corrected to be monotonic).
  virtual int64_t NowMicros() = 0;

  // Blocks the calling thread for `micros` (no-op for micros <= 0).
  virtual void SleepForMicros(int64_t micros) = 0;

  int64_t NowMillis() { return NowMicros() / 1000; }
};

// The real clock. Returns a process-wide instance.
Clock& SystemClock();

// A clock that moves only when told to: SleepForMicros advances it instead of blocking, so a
// simulation of a rate-limited run takes no real time.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_micros = 1'700'000'000'000'000) : now_(start_micros) {}
  int64_t NowMicros() override { return now_.load(); }
  void SleepForMicros(int64_t micros) override {
    if (micros > 0) now_.fetch_add(micros);
    slept_.fetch_add(micros > 0 ? micros : 0);
  }
  void Advance(int64_t micros) { now_.fetch_add(micros); }
  void Set(int64_t micros) { now_.store(micros); }
  // Total simulated time spent in SleepForMicros.
  int64_t SleptMicros() const { return slept_.load(); }

 private:
  std::atomic<int64_t> now_;
  std::atomic<int64_t> slept_{0};
};

// Formats Unix microseconds as RFC 3339 UTC with milliseconds: "2024-01-15T10:30:00.000Z".
std::string FormatRfc3339(int64_t unix_micros);

}  // namespace tajo
