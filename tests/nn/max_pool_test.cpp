// MaxPool2d against hand examples: window maxima, floor for sizes that do not divide, the first-maximum rule
// on ties (row-major window order, as torch), gradient routing to the argmax, NaN propagation, errors.

#include "nn/max_pool.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace actlab::nn {
namespace {

TEST(MaxPool2d, HandExampleWithTies) {
  auto pool = MaxPool2d<float>::make({{1, 4, 4}}, 2).value();
  EXPECT_EQ(pool->out_shape(), (Shape{{1, 2, 2}}));
  MatrixF x(1, 16), y, dx;
  x << 1, 5, 2, 0,   //
      3, 4, 7, 7,    // top-right window: 7 twice (row-major positions 6 and 7)
      9, 9, 1, 1,    // bottom-left: 9, 9, 9, 9 — all tied
      9, 9, -1, -2;  // bottom-right: 1, 1, −1, −2
  Rng rng(0);
  pool->forward(x, y, Mode::kTrain, rng);
  MatrixF want(1, 4);
  want << 5, 7, 9, 1;
  EXPECT_EQ(y, want);
  MatrixF dy(1, 4);
  dy << 10, 20, 30, 40;
  pool->backward(x, y, dy, &dx);
  MatrixF dx_want = MatrixF::Zero(1, 16);
  dx_want(0, 1) = 10;   // the 5
  dx_want(0, 6) = 20;   // the first 7
  dx_want(0, 8) = 30;   // the first 9 of the window (row 2, col 0)
  dx_want(0, 10) = 40;  // the first 1 (row 2, col 2)
  EXPECT_EQ(dx, dx_want) << dx;
}

TEST(MaxPool2d, FloorsAndIgnoresTheRemainder) {
  auto pool = MaxPool2d<float>::make({{1, 5, 5}}, 2).value();
  EXPECT_EQ(pool->out_shape(), (Shape{{1, 2, 2}}));
  MatrixF x = MatrixF::Zero(1, 25), y;
  x(0, 24) = 100;  // bottom-right corner: outside every window
  x(0, 4) = 50;    // last column
  x(0, 6) = 3;     // (1, 1)
  Rng rng(0);
  pool->forward(x, y, Mode::kEval, rng);
  MatrixF want(1, 4);
  want << 3, 0, 0, 0;
  EXPECT_EQ(y, want);
}

TEST(MaxPool2d, ChannelsAndBatchAreIndependent) {
  // 2 samples × 2 channels × 3×3, window 3: one output per channel = the channel's maximum.
  auto pool = MaxPool2d<double>::make({{2, 3, 3}}, 3).value();
  Rng fill(5);
  MatrixD x(2, 18), y, dx;
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = fill.normal();
  Rng rng(0);
  pool->forward(x, y, Mode::kTrain, rng);
  ASSERT_EQ(y.rows(), 2);
  ASSERT_EQ(y.cols(), 2);
  MatrixD dy(2, 2);
  dy << 1, 2, 3, 4;
  pool->backward(x, y, dy, &dx);
  for (int b = 0; b < 2; ++b)
    for (int c = 0; c < 2; ++c) {
      Eigen::Index arg = 0;
      const double m = x.row(b).segment(c * 9, 9).maxCoeff(&arg);
      EXPECT_EQ(y(b, c), m);
      EXPECT_EQ(dx(b, c * 9 + arg), dy(b, c));
      EXPECT_EQ(dx.row(b).segment(c * 9, 9).cwiseAbs().sum(), std::abs(dy(b, c)));
    }
}

TEST(MaxPool2d, NanPropagates) {
  auto pool = MaxPool2d<float>::make({{1, 2, 2}}, 2).value();
  MatrixF x(1, 4), y;
  x << 1, NAN, 5, 2;
  Rng rng(0);
  pool->forward(x, y, Mode::kEval, rng);
  EXPECT_TRUE(std::isnan(y(0, 0)));
  x << NAN, 1, 5, 2;
  pool->forward(x, y, Mode::kEval, rng);
  EXPECT_TRUE(std::isnan(y(0, 0)));
}

TEST(MaxPool2d, RejectsBadShapes) {
  EXPECT_FALSE(MaxPool2d<float>::make({{16}}, 2));
  EXPECT_FALSE(MaxPool2d<float>::make({{1, 4, 4}}, 0));
  auto big = MaxPool2d<float>::make({{1, 4, 1}}, 2);
  ASSERT_FALSE(big);
  EXPECT_NE(big.status().message().find("[1, 4, 1]"), std::string::npos) << big.status().message();
}

TEST(MaxPool2d, JsonAndTwin) {
  auto pool = MaxPool2d<float>::make({{3, 9, 9}}, 3).value();
  EXPECT_EQ(pool->to_json()["type"], "maxpool2d");
  EXPECT_EQ(pool->to_json()["size"], 3);
  EXPECT_EQ(pool->to_double()->out_shape(), (Shape{{3, 3, 3}}));
  EXPECT_TRUE(pool->params().empty());
}

}  // namespace
}  // namespace actlab::nn
