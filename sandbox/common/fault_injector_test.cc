#include "sandbox/common/fault_injector.h"

#include <gtest/gtest.h>

namespace tajo::sandbox {
namespace {

TEST(FaultInjectorTest, NoFaultsByDefault) {
  FaultInjector f;
  for (int i = 0; i < 100; ++i) {
    auto d = f.Decide();
    EXPECT_EQ(d.kind, FaultKind::kNone);
    EXPECT_EQ(d.latency_micros, 0);
  }
}

TEST(FaultInjectorTest, RatesAreRoughlyHonouredAndDeterministic) {
  FaultSettings s;
  s.error_5xx_rate = 0.2;
  s.rate_limit_rate = 0.1;
  s.latency_ms = 5;
  s.jitter_ms = 10;
  s.seed = 7;
  FaultInjector a(s), b(s);
  int errors = 0, limits = 0;
  for (int i = 0; i < 2000; ++i) {
    auto da = a.Decide();
    auto db = b.Decide();
    EXPECT_EQ(da.kind, db.kind);
    EXPECT_EQ(da.latency_micros, db.latency_micros);
    EXPECT_GE(da.latency_micros, 5000);
    EXPECT_LE(da.latency_micros, 15000);
    if (da.kind == FaultKind::kServerError) {
      ++errors;
      EXPECT_TRUE(da.server_error_status >= 500 && da.server_error_status <= 504);
    }
    if (da.kind == FaultKind::kRateLimit) ++limits;
  }
  EXPECT_NEAR(errors, 400, 80);
  EXPECT_NEAR(limits, 200, 60);
}

TEST(FaultInjectorTest, MergeFromValidatesAndNamesTheKey) {
  FaultSettings s;
  EXPECT_TRUE(s.MergeFrom({{"error5xxRate", 0.5}, {"latencyMs", 20}}).ok());
  EXPECT_EQ(s.error_5xx_rate, 0.5);
  EXPECT_EQ(s.latency_ms, 20);
  Status bad = s.MergeFrom({{"timeoutRate", 2.0}, {"latencyMs", 1}});
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("timeoutRate"), std::string::npos);
  EXPECT_EQ(s.latency_ms, 20);  // unchanged on error
  EXPECT_FALSE(s.MergeFrom({{"jitterMs", -1}}).ok());
  EXPECT_FALSE(s.MergeFrom(nlohmann::json::array()).ok());
  EXPECT_EQ(FaultSettings().ToJson()["timeoutHoldMs"], 35000);
}

TEST(FaultInjectorTest, MergeFromSettingsBodyTakesFaultsAndTopLevelLatency) {
  FaultSettings s;
  EXPECT_TRUE(s.MergeFromSettingsBody({{"faults", {{"resetRate", 0.25}}}, {"latencyMs", 30}, {"jitterMs", 5},
                                       {"plan", "starter"}})
                  .ok());
  EXPECT_EQ(s.reset_rate, 0.25);
  EXPECT_EQ(s.latency_ms, 30);
  EXPECT_EQ(s.jitter_ms, 5);
  // A bad key anywhere changes nothing, and the message says where it is.
  Status bad = s.MergeFromSettingsBody({{"latencyMs", 99}, {"faults", {{"truncateRate", -1}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.message().rfind("faults.truncateRate", 0), 0u) << bad.message();
  bad = s.MergeFromSettingsBody({{"faults", {{"resetRate", 0.5}}}, {"jitterMs", "soon"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("jitterMs"), std::string::npos);
  EXPECT_EQ(s.reset_rate, 0.25);
  EXPECT_EQ(s.latency_ms, 30);
  EXPECT_FALSE(s.MergeFromSettingsBody({{"faults", 3}}).ok());
  EXPECT_FALSE(s.MergeFromSettingsBody(nlohmann::json::array()).ok());
}

}  // namespace
}  // namespace tajo::sandbox
