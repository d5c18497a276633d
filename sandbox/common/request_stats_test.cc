#include "sandbox/common/request_stats.h"

#include <gtest/gtest.h>

namespace tajo::sandbox {
namespace {

TEST(RequestStatsTest, CountsByEndpointStatusAndCounter) {
  RequestStats s;
  s.Record("GET /a", 200);
  s.Record("GET /a", 200);
  s.Record("GET /a", 429);
  s.Record("POST /b", 201);
  s.Increment("rate_limited.DAILY");
  EXPECT_EQ(s.Total(), 4);
  EXPECT_EQ(s.Count("GET /a"), 3);
  EXPECT_EQ(s.Count("GET /a", 429), 1);
  EXPECT_EQ(s.Count("GET /zzz"), 0);
  EXPECT_EQ(s.CountStatus(200), 2);
  EXPECT_EQ(s.Counter("rate_limited.DAILY"), 1);
  auto j = s.ToJson();
  EXPECT_EQ(j["total"], 4);
  EXPECT_EQ(j["byStatus"]["429"], 1);
  EXPECT_EQ(j["byEndpoint"]["GET /a"]["byStatus"]["200"], 2);
  EXPECT_EQ(j["counters"]["rate_limited.DAILY"], 1);
  s.Reset();
  EXPECT_EQ(s.Total(), 0);
}

}  // namespace
}  // namespace tajo::sandbox
