#include "sandbox/common/scaled_clock.h"

#include <gtest/gtest.h>

namespace tajo::sandbox {
namespace {

TEST(ScaledClockTest, RunsFasterAndSleepsShorter) {
  ManualClock base(1'000'000);
  ScaledClock fast(base, 10.0);
  EXPECT_EQ(fast.NowMicros(), 1'000'000);
  base.Advance(1'000);
  EXPECT_EQ(fast.NowMicros(), 1'010'000);
  fast.SleepForMicros(50'000);  // 50 ms of scaled time = 5 ms of base time
  EXPECT_EQ(base.NowMicros(), 1'006'000);
  ScaledClock same(base, 1.0);
  EXPECT_EQ(same.NowMicros(), base.NowMicros());
}

}  // namespace
}  // namespace tajo::sandbox
