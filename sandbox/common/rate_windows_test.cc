#include "sandbox/common/rate_windows.h"

#include <gtest/gtest.h>

namespace tajo::sandbox {
namespace {

constexpr int64_t kSec = 1'000'000;

TEST(RollingWindowLimiterTest, AdmitsUpToLimitThenRejectsUntilOldestLeaves) {
  RollingWindowLimiter lim(10 * kSec);
  int64_t t = 1000 * kSec;
  for (int i = 0; i < 3; ++i) {
    auto d = lim.TryAcquire("tok", 3, t + i * kSec);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, 2 - i);
  }
  auto d = lim.TryAcquire("tok", 3, t + 5 * kSec);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_EQ(d.retry_after_micros, 5 * kSec);  // the first call leaves at t + 10 s
  // Rejected calls are not counted: at t + 10 s exactly one slot frees up.
  EXPECT_TRUE(lim.TryAcquire("tok", 3, t + 10 * kSec).allowed);
  EXPECT_FALSE(lim.TryAcquire("tok", 3, t + 10 * kSec).allowed);
}

TEST(RollingWindowLimiterTest, KeysAreIndependentAndPeekDoesNotCount) {
  RollingWindowLimiter lim(kSec);
  EXPECT_TRUE(lim.TryAcquire("a", 1, 0).allowed);
  EXPECT_FALSE(lim.TryAcquire("a", 1, 1).allowed);
  EXPECT_TRUE(lim.TryAcquire("b", 1, 1).allowed);
  auto p = lim.Peek("c", 5, 1);
  EXPECT_TRUE(p.allowed);
  EXPECT_EQ(p.remaining, 5);
  EXPECT_EQ(lim.Count("c", 1), 0);
  lim.Reset();
  EXPECT_TRUE(lim.TryAcquire("a", 1, 2).allowed);
}

TEST(RollingWindowLimiterTest, ZeroLimitAlwaysRejects) {
  RollingWindowLimiter lim(kSec);
  EXPECT_FALSE(lim.TryAcquire("a", 0, 0).allowed);
}

TEST(FixedWindowQuotaTest, ResetsAtWindowBoundaryWithOffset) {
  const int64_t day = 86'400 * kSec;
  FixedWindowQuota q(day, /*offset=*/-3600 * kSec);  // windows start at 23:00 UTC
  int64_t t = 10 * day + 22 * 3600 * kSec;          // 22:00 UTC
  EXPECT_TRUE(q.TryAcquire("acct", 2, t).allowed);
  auto d = q.TryAcquire("acct", 2, t + 1);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  d = q.TryAcquire("acct", 2, t + 2);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_micros, 3600 * kSec - 2);
  EXPECT_TRUE(q.TryAcquire("acct", 2, t + 3600 * kSec).allowed);  // 23:00: new window
  EXPECT_EQ(q.Peek("acct", 2, t + 3600 * kSec).remaining, 1);
}

}  // namespace
}  // namespace tajo::sandbox
