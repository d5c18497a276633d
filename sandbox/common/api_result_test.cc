#include "sandbox/common/api_result.h"

#include <gtest/gtest.h>

#include <string>

namespace tajo::sandbox {
namespace {

struct TestError {
  int status = 0;
  std::string message;
};
template <typename T>
using Result = ApiResultOf<T, TestError>;

Result<std::string> Lookup(bool found) {
  if (!found) return TestError{404, "not found"};
  return std::string("value");
}

TEST(ApiResultOfTest, HoldsAValueOrAnError) {
  Result<std::string> ok = Lookup(true);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), "value");
  EXPECT_EQ(*ok, "value");
  EXPECT_EQ(ok->size(), 5u);
  ok.value() += "!";
  EXPECT_EQ(*ok, "value!");

  Result<std::string> bad = Lookup(false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().status, 404);
  EXPECT_EQ(bad.error().message, "not found");
}

}  // namespace
}  // namespace tajo::sandbox
