#include "sandbox/common/time_format.h"

#include <gtest/gtest.h>

namespace tajo::sandbox {
namespace {

TEST(TimeFormatTest, FormatsAndParsesRoundTrip) {
  EXPECT_EQ(FormatIsoMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoMillis(1705521304281), "2024-01-17T19:55:04.281Z");
  EXPECT_EQ(FormatIsoDate(1705521304281), "2024-01-17");
  EXPECT_EQ(ParseIsoMillis("2024-01-17T19:55:04.281Z"), 1705521304281);
  EXPECT_EQ(ParseIsoMillis("2024-01-17T21:55:04.281+02:00"), 1705521304281);
  EXPECT_EQ(ParseIsoMillis("2024-01-17"), 1705449600000);
  EXPECT_EQ(ParseIsoMillis("2024-01-17T19:55Z"), 1705521300000);
  EXPECT_EQ(FormatIsoMillis(-1), "1969-12-31T23:59:59.999Z");
}

TEST(TimeFormatTest, RejectsMalformed) {
  EXPECT_FALSE(ParseIsoMillis("2024-13-01"));
  EXPECT_FALSE(ParseIsoMillis("2024-01-17T19:55:04.281Zjunk"));
  EXPECT_FALSE(ParseIsoMillis("yesterday"));
  EXPECT_FALSE(ParseIsoMillis(""));
  EXPECT_FALSE(ParseEpochMillis("12a"));
  EXPECT_FALSE(ParseEpochMillis("-"));
  EXPECT_EQ(ParseTimeMillis("1579514400000"), 1579514400000);
  EXPECT_EQ(ParseTimeMillis("2020-01-20T10:00:00Z"), 1579514400000);
}

}  // namespace
}  // namespace tajo::sandbox
