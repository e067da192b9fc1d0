#include "core/matrix.hpp"

#include <gtest/gtest.h>

namespace actlab {
namespace {

// The whole point of the alias: a sample's features are contiguous, and so are consecutive samples.
TEST(Matrix, RowMajorSamplesAreContiguous) {
  MatrixF x(3, 4);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) x(r, c) = static_cast<float>(10 * r + c);
  const float* p = x.data();
  EXPECT_EQ(p[0], 0.0f);
  EXPECT_EQ(p[3], 3.0f);
  EXPECT_EQ(p[4], 10.0f);   // row 1 starts right after row 0
  EXPECT_EQ(p[11], 23.0f);
  EXPECT_TRUE(MatrixF::IsRowMajor);
  EXPECT_TRUE(MatrixD::IsRowMajor);
}

}  // namespace
}  // namespace actlab
