// ScaledClock: a Clock whose time runs `scale` times faster than the clock below it, from the
// moment it is built. Sandboxes use it for rate-limit windows and retry delays so that a test
// or a demo with --time-scale 10 sees a 10-second window pass in one real second; record
// timestamps keep using the unscaled clock.
//
// Thread-safe (the underlying clock must be).
#pragma once

#include <cstdint>

#include "core/clock.h"

namespace tajo::sandbox {

class ScaledClock final : public Clock {
 public:
  // REQUIRES: scale > 0.
  ScaledClock(Clock& base, double scale);
  ScaledClock(const ScaledClock&) = delete;
  ScaledClock& operator=(const ScaledClock&) = delete;

  // start + (base_now - start) * scale.
  int64_t NowMicros() override;
  // Sleeps micros / scale on the base clock.
  void SleepForMicros(int64_t micros) override;
  double scale() const { return scale_; }

 private:
  Clock& base_;
  const double scale_;
  const int64_t start_;
};

}  // namespace tajo::sandbox
