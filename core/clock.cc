#include "core/clock.h"

#include <chrono>
#include <ctime>
#include <thread>

#include <fmt/format.h>

namespace tajo {
namespace {

class RealClock final : public Clock {
 public:
  int64_t NowMicros() override {
    using namespace std::chrono;
    // Wall time, but never behind the last value returned: an NTP step backwards must not make
    // a rate window or a cursor go back in time.
    int64_t wall = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    int64_t last = last_.load(std::memory_order_relaxed);
    while (wall > last && !last_.compare_exchange_weak(last, wall, std::memory_order_relaxed)) {
    }
    return wall > last ? wall : last;
  }
  void SleepForMicros(int64_t micros) override {
    if (micros > 0) std::this_thread::sleep_for(std::chrono::microseconds(micros));
  }

 private:
  std::atomic<int64_t> last_{0};
};

}  // namespace

Clock& SystemClock() {
  static RealClock* clock = new RealClock();  // never destroyed: usable from static destructors
  return *clock;
}

std::string FormatRfc3339(int64_t unix_micros) {
  std::time_t secs = static_cast<std::time_t>(unix_micros / 1'000'000);
  int64_t millis = (unix_micros % 1'000'000) / 1000;
  if (unix_micros < 0 && unix_micros % 1'000'000 != 0) {
    secs -= 1;
    millis = ((unix_micros % 1'000'000) + 1'000'000) / 1000;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

}  // namespace tajo
