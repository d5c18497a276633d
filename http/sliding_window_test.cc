#include "http/sliding_window.h"

#include <gtest/gtest.h>

namespace tajo::http {
namespace {

TEST(SlidingWindowTest, SmallLimitsAreExact) {
  SlidingWindow w(3, 1000);
  EXPECT_EQ(w.granularity_micros(), 1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(w.WaitMicros(5000), 0);
    w.Add(5000);
  }
  EXPECT_EQ(w.Count(5000), 3);
  EXPECT_EQ(w.WaitMicros(5000), 1000);  // the window ending at t is (t - 1000, t]
  EXPECT_EQ(w.WaitMicros(5999), 1);
  EXPECT_EQ(w.WaitMicros(6000), 0);
  EXPECT_EQ(w.Count(6000), 0);
}

TEST(SlidingWindowTest, WaitsForTheOldestCallsThatMustLeave) {
  SlidingWindow w(3, 1000);
  w.Add(100);
  w.Add(200);
  w.Add(300);
  EXPECT_EQ(w.WaitMicros(350), 750);  // the call at 100 leaves at 1100
  w.Add(50, 2);                        // booked out of order, e.g. from a server report
  EXPECT_EQ(w.Count(350), 5);
  EXPECT_EQ(w.WaitMicros(350), 750);  // three must leave (50, 50 and 100): all gone at 1100
  w.Add(150);
  EXPECT_EQ(w.WaitMicros(350), 800);  // now four must leave: the last of them (150) at 1150
}

TEST(SlidingWindowTest, LargeLimitsUseBoundedConservativeSlots) {
  const int64_t day = 86'400'000'000;
  SlidingWindow w(1'000'000, day);
  EXPECT_GT(w.granularity_micros(), 1);
  // A million calls spread over the day fit in about kMaxSlots entries.
  const int64_t step = day / 1'000'000;
  for (int64_t i = 0; i < 1'000'000; ++i) {
    ASSERT_EQ(w.WaitMicros(i * step), 0) << i;
    w.Add(i * step);
  }
  EXPECT_LE(w.entries(), static_cast<size_t>(SlidingWindow::kMaxSlots + 2));
  const int64_t now = (1'000'000 - 1) * step;
  EXPECT_EQ(w.Count(now), 1'000'000);
  // The first call (at 0) leaves the exact window at `day`; the slotted one holds it at most
  // one slot longer, never less.
  const int64_t wait = w.WaitMicros(now);
  EXPECT_GE(now + wait, day);
  EXPECT_LE(now + wait, day + w.granularity_micros());
}

TEST(SlidingWindowTest, AdoptingALargerLimitMovesCountsToCoarserSlots) {
  const int64_t window = 4096 * 1000;
  SlidingWindow w(10, window);
  w.Add(10);
  w.Add(999);
  w.Add(1500);
  w.SetMaxCalls(100'000);
  EXPECT_EQ(w.granularity_micros(), 1000);
  EXPECT_EQ(w.Count(2000), 3);
  // Nothing leaves earlier than it would have: the call at 1500 still counts until 1500 + window.
  EXPECT_EQ(w.Count(1500 + window - 1), 1);
  EXPECT_EQ(w.Count(2000 + window), 0);
  w.SetMaxCalls(5);  // a smaller limit keeps the slots
  EXPECT_EQ(w.max_calls(), 5);
  EXPECT_EQ(w.granularity_micros(), 1000);
}

}  // namespace
}  // namespace tajo::http
