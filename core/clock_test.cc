#include "core/clock.h"

#include <gtest/gtest.h>

namespace tajo {
namespace {

TEST(ManualClockTest, SleepAdvancesTimeWithoutBlocking) {
  ManualClock clock(1'000'000);
  clock.SleepForMicros(3'000'000'000);  // 50 simulated minutes
  EXPECT_EQ(clock.NowMicros(), 3'001'000'000);
  EXPECT_EQ(clock.SleptMicros(), 3'000'000'000);
  clock.SleepForMicros(-5);
  EXPECT_EQ(clock.NowMicros(), 3'001'000'000);
  clock.Advance(10);
  EXPECT_EQ(clock.NowMicros(), 3'001'000'010);
}

TEST(SystemClockTest, NeverGoesBackwards) {
  int64_t last = SystemClock().NowMicros();
  for (int i = 0; i < 1000; ++i) {
    int64_t now = SystemClock().NowMicros();
    EXPECT_GE(now, last);
    last = now;
  }
  EXPECT_GT(last, 1'600'000'000'000'000);  // after 2020
}

TEST(FormatRfc3339Test, FormatsUtcWithMillis) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1'705'314'600'123'456), "2024-01-15T10:30:00.123Z");
  EXPECT_EQ(FormatRfc3339(-1'000), "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace tajo
