// Dense: y = x·Wᵀ + b with W out × in, checked against hand-computed values; backward accumulates
// dW += dyᵀ·x and db += Σ dy and overwrites dx = dy·W.
#include "nn/dense.hpp"

#include <gtest/gtest.h>

namespace actlab::nn {
namespace {

// W (3 × 2) = [[1, 2], [3, 4], [5, 6]], b = [0.5, −1, 2].
Dense<float> example() {
  Dense<float> d(2, 3);
  d.weight().value << 1, 2, 3, 4, 5, 6;
  d.bias().value << 0.5f, -1, 2;
  return d;
}

TEST(Dense, ConstructsZeroParametersOfTorchShape) {
  Dense<float> d(4, 3);
  EXPECT_EQ(d.in(), 4);
  EXPECT_EQ(d.out(), 3);
  EXPECT_EQ(d.weight().value.rows(), 3);
  EXPECT_EQ(d.weight().value.cols(), 4);
  EXPECT_EQ(d.bias().value.rows(), 1);
  EXPECT_EQ(d.bias().value.cols(), 3);
  EXPECT_TRUE(d.weight().value.isZero());
  EXPECT_TRUE(d.bias().value.isZero());
  EXPECT_EQ(d.in_shape(), (Shape{{4}}));
  EXPECT_EQ(d.out_shape(), (Shape{{3}}));
}

TEST(Dense, ForwardMatchesHandValues) {
  Dense<float> d = example();
  MatrixF x(2, 2), y;
  x << 1, -1, 2, 0.5f;
  Rng rng(0);
  d.forward(x, y, Mode::kTrain, rng);
  ASSERT_EQ(y.rows(), 2);
  ASSERT_EQ(y.cols(), 3);
  // row 0: [1−2, 3−4, 5−6] + b = [−0.5, −2, 1];  row 1: [2+1, 6+2, 10+3] + b = [3.5, 7, 15]
  MatrixF want(2, 3);
  want << -0.5f, -2, 1, 3.5f, 7, 15;
  EXPECT_TRUE(y.isApprox(want, 1e-6f)) << y;
}

TEST(Dense, BackwardMatchesHandValuesAndAccumulates) {
  Dense<float> d = example();
  MatrixF x(2, 2), y, dy(2, 3), dx;
  x << 1, -1, 2, 0.5f;
  dy << 1, 0, -1, 2, 1, 0;
  Rng rng(0);
  d.forward(x, y, Mode::kTrain, rng);
  d.backward(x, y, dy, &dx);
  // dW = dyᵀ·x: row o = Σ_b dy[b,o]·x[b]
  MatrixF dw(3, 2);
  dw << 1 * 1 + 2 * 2, 1 * -1 + 2 * 0.5f,  //
      0 * 1 + 1 * 2, 0 * -1 + 1 * 0.5f,    //
      -1 * 1 + 0 * 2, -1 * -1 + 0 * 0.5f;
  EXPECT_TRUE(d.weight().grad.isApprox(dw, 1e-6f)) << d.weight().grad;
  MatrixF db(1, 3);
  db << 3, 1, -1;
  EXPECT_TRUE(d.bias().grad.isApprox(db, 1e-6f));
  // dx = dy·W: row 0 = 1·[1,2] − 1·[5,6] = [−4, −4]; row 1 = 2·[1,2] + [3,4] = [5, 8]
  MatrixF want_dx(2, 2);
  want_dx << -4, -4, 5, 8;
  EXPECT_TRUE(dx.isApprox(want_dx, 1e-6f)) << dx;

  // A second backward adds to the parameter gradients and overwrites dx.
  dx.setConstant(100);
  d.backward(x, y, dy, &dx);
  EXPECT_TRUE(d.weight().grad.isApprox(2 * dw, 1e-6f));
  EXPECT_TRUE(d.bias().grad.isApprox(2 * db, 1e-6f));
  EXPECT_TRUE(dx.isApprox(want_dx, 1e-6f));
}

TEST(Dense, BackwardWithoutDxStillFillsParamGrads) {
  Dense<float> d = example();
  MatrixF x(1, 2), y, dy(1, 3);
  x << 3, 4;
  dy << 1, 1, 1;
  Rng rng(0);
  d.forward(x, y, Mode::kEval, rng);
  d.backward(x, y, dy, nullptr);
  EXPECT_FLOAT_EQ(d.weight().grad(2, 1), 4.0f);
  EXPECT_FLOAT_EQ(d.bias().grad(0, 2), 1.0f);
}

TEST(Dense, ToJsonHoldsTorchLayout) {
  Dense<float> d = example();
  const Json j = d.to_json();
  EXPECT_EQ(j["type"], "dense");
  EXPECT_EQ(j["in"], 2);
  EXPECT_EQ(j["out"], 3);
  ASSERT_EQ(j["weight"].size(), 3u);     // out rows
  ASSERT_EQ(j["weight"][0].size(), 2u);  // of in values
  EXPECT_DOUBLE_EQ(j["weight"][2][1].get<double>(), 6.0);
  ASSERT_EQ(j["bias"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["bias"][0].get<double>(), 0.5);
}

TEST(Dense, ToDoubleIsAnExactTwin) {
  Dense<float> d = example();
  auto twin = d.to_double();
  ASSERT_EQ(twin->type(), "dense");
  MatrixD x(1, 2), y;
  x << 0.25, -2;
  Rng rng(0);
  twin->forward(x, y, Mode::kEval, rng);
  EXPECT_DOUBLE_EQ(y(0, 0), 0.25 - 4 + 0.5);
  EXPECT_DOUBLE_EQ(y(0, 1), 0.75 - 8 - 1);
  EXPECT_DOUBLE_EQ(y(0, 2), 1.25 - 12 + 2);
}

}  // namespace
}  // namespace actlab::nn
