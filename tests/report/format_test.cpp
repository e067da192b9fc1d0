#include "report/format.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace actlab::report {
namespace {

TEST(Format, NumbersAndMissingValues) {
  EXPECT_EQ(fmt(std::nan("")), "-");
  EXPECT_EQ(fmt(0.5), "0.5000");
  EXPECT_EQ(fmt(1e-7, "%.3g"), "1e-07");
  EXPECT_EQ(fmt(-INFINITY, "%g"), "-inf");
}

}  // namespace
}  // namespace actlab::report
