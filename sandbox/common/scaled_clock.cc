#include "sandbox/common/scaled_clock.h"

#include <cassert>

namespace tajo::sandbox {

ScaledClock::ScaledClock(Clock& base, double scale)
    : base_(base), scale_(scale > 0 ? scale : 1.0), start_(base.NowMicros()) {
  assert(scale > 0);
}

int64_t ScaledClock::NowMicros() {
  int64_t now = base_.NowMicros();
  if (scale_ == 1.0) return now;
  return start_ + static_cast<int64_t>(static_cast<double>(now - start_) * scale_);
}

void ScaledClock::SleepForMicros(int64_t micros) {
  if (micros <= 0) return;
  base_.SleepForMicros(scale_ == 1.0 ? micros : static_cast<int64_t>(static_cast<double>(micros) / scale_));
}

}  // namespace tajo::sandbox
