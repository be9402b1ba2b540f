#include "securescore/base/result.h"

#include <gtest/gtest.h>

namespace securescore {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return InvalidInput("odd number", "/n");
  return n / 2;
}

TEST(ResultTest, CarriesValueOrError) {
  auto ok = Half(4);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 2);
  auto bad = Half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(bad.error().ToString(), "/n: odd number");
}

TEST(ResultTest, StatusWithoutLocation) {
  Status s = Error{ErrorCode::kIo, "disk full", ""};
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().ToString(), "disk full");
  EXPECT_STREQ(ErrorCodeName(s.error().code), "io");
  EXPECT_TRUE(OkStatus());
}

}  // namespace
}  // namespace securescore
