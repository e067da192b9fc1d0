// Inverted dropout: identity in evaluation (and for p = 0), in training a kept fraction ≈ 1 − p within 4σ,
// kept values scaled by exactly 1/(1 − p), backward through the same mask, noise from the given stream.
#include "nn/dropout.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace actlab::nn {
namespace {

MatrixF ramp(Eigen::Index r, Eigen::Index c) {
  MatrixF m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = 1.0f + 0.001f * static_cast<float>(i % 997);
  return m;  // no zeros, so a zero output means "dropped"
}

TEST(Dropout, RejectsProbabilitiesOutsideZeroOne) {
  EXPECT_FALSE(Dropout<float>::make({{4}}, -0.1));
  EXPECT_FALSE(Dropout<float>::make({{4}}, 1.0));
  EXPECT_FALSE(Dropout<float>::make({{4}}, NAN));
  auto d = Dropout<float>::make({{4}}, 0.0);
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)->out_shape(), (Shape{{4}}));
}

TEST(Dropout, EvaluationIsIdentity) {
  auto d = Dropout<float>::make({{50}}, 0.7).value();
  const MatrixF x = ramp(8, 50);
  MatrixF y, dx;
  Rng rng(1);
  d->forward(x, y, Mode::kEval, rng);
  EXPECT_EQ(y, x);
  const MatrixF dy = ramp(8, 50) * 2;
  d->backward(x, y, dy, &dx);
  EXPECT_EQ(dx, dy);
}

TEST(Dropout, ZeroProbabilityIsIdentityInTraining) {
  auto d = Dropout<float>::make({{50}}, 0.0).value();
  const MatrixF x = ramp(4, 50);
  MatrixF y;
  Rng rng(1);
  d->forward(x, y, Mode::kTrain, rng);
  EXPECT_EQ(y, x);
}

TEST(Dropout, TrainingKeepsAboutOneMinusPScaledByItsInverse) {
  const double p = 0.3;
  auto d = Dropout<float>::make({{500}}, p).value();
  const MatrixF x = ramp(200, 500);
  MatrixF y;
  Rng rng(42);
  d->forward(x, y, Mode::kTrain, rng);
  const double n = static_cast<double>(x.size());
  const float scale = static_cast<float>(1.0 / (1.0 - p));
  double kept = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (y.data()[i] == 0) continue;
    ++kept;
    ASSERT_FLOAT_EQ(y.data()[i], x.data()[i] * scale) << i;
  }
  // Binomial(n, 1 − p): sd of the kept fraction = √(p(1 − p)/n) ≈ 0.00145; 4σ.
  EXPECT_NEAR(kept / n, 1 - p, 4 * std::sqrt(p * (1 - p) / n));
}

TEST(Dropout, BackwardUsesTheForwardMask) {
  const double p = 0.5;
  auto d = Dropout<float>::make({{64}}, p).value();
  const MatrixF x = ramp(16, 64);
  MatrixF y, dx;
  Rng rng(3);
  d->forward(x, y, Mode::kTrain, rng);
  MatrixF dy(16, 64);
  for (Eigen::Index i = 0; i < dy.size(); ++i) dy.data()[i] = -0.5f + 0.01f * static_cast<float>(i % 50);
  d->backward(x, y, dy, &dx);
  int zeros = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const bool dropped = y.data()[i] == 0;
    zeros += dropped;
    EXPECT_FLOAT_EQ(dx.data()[i], dropped ? 0.0f : dy.data()[i] * 2.0f) << i;
  }
  EXPECT_GT(zeros, 0);
  EXPECT_LT(zeros, x.size());
}

TEST(Dropout, MaskComesFromTheStream) {
  auto d = Dropout<float>::make({{100}}, 0.5).value();
  const MatrixF x = ramp(4, 100);
  MatrixF a, b, c;
  Rng r1(9), r2(9), r3(10);
  d->forward(x, a, Mode::kTrain, r1);
  d->forward(x, b, Mode::kTrain, r2);
  d->forward(x, c, Mode::kTrain, r3);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  MatrixF a2;
  d->forward(x, a2, Mode::kTrain, r1);  // the stream moved on: a fresh mask
  EXPECT_NE(a, a2);
}

TEST(Dropout, JsonAndTwin) {
  auto d = Dropout<float>::make({{3, 2, 2}}, 0.25).value();
  EXPECT_EQ(d->to_json()["type"], "dropout");
  EXPECT_DOUBLE_EQ(d->to_json()["p"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(d->p(), 0.25);
  EXPECT_EQ(d->to_double()->out_shape(), (Shape{{3, 2, 2}}));
  EXPECT_TRUE(d->params().empty());
}

}  // namespace
}  // namespace actlab::nn
