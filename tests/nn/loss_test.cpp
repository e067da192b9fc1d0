// Losses against closed forms: cross-entropy of uniform logits = log k, a hand example, its gradient
// (softmax − onehot)/B whose rows sum to zero, stability for huge logits; mse and its gradient by hand;
// accuracy's first-maximum rule; the loss names.

#include "nn/loss.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"

namespace actlab::nn {
namespace {

TEST(Loss, ParsesNames) {
  EXPECT_EQ(parse_loss("cross_entropy").value(), LossKind::kCrossEntropy);
  EXPECT_EQ(parse_loss("ce").value(), LossKind::kCrossEntropy);
  EXPECT_EQ(parse_loss("cross-entropy").value(), LossKind::kCrossEntropy);
  EXPECT_EQ(parse_loss("mse").value(), LossKind::kMse);
  auto bad = parse_loss("hinge");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("hinge"), std::string::npos);
  for (LossKind k : {LossKind::kCrossEntropy, LossKind::kMse}) EXPECT_EQ(parse_loss(loss_name(k)).value(), k);
}

TEST(CrossEntropy, UniformLogitsGiveLogK) {
  for (int k : {2, 3, 10, 1000}) {
    MatrixF out = MatrixF::Constant(4, k, 3.7f);
    const std::vector<int> labels = {0, k - 1, k / 2, 1};
    MatrixF d;
    EXPECT_NEAR(cross_entropy(out, labels, &d), std::log(static_cast<double>(k)), 1e-6) << k;
    // d = (1/k − onehot)/B
    EXPECT_NEAR(d(1, k - 1), (1.0 / k - 1) / 4, 1e-7);
    EXPECT_NEAR(d(1, 0), 1.0 / k / 4, 1e-7);
  }
}

TEST(CrossEntropy, HandExampleAndGradient) {
  MatrixD out(2, 3);
  out << 1, 2, 3, 0, 0, std::log(2.0);
  const std::vector<int> labels = {0, 2};
  MatrixD d;
  const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  // row 0: −log(e/z); row 1: softmax = [1/4, 1/4, 1/2], −log(1/2)
  const double want = (-(1 - std::log(z)) + std::log(2.0)) / 2;
  EXPECT_NEAR(cross_entropy(out, labels, &d), want, 1e-12);
  EXPECT_NEAR(d(0, 0), (std::exp(1.0) / z - 1) / 2, 1e-12);
  EXPECT_NEAR(d(0, 2), std::exp(3.0) / z / 2, 1e-12);
  EXPECT_NEAR(d(1, 0), 0.25 / 2, 1e-12);
  EXPECT_NEAR(d(1, 2), (0.5 - 1) / 2, 1e-12);
  for (Eigen::Index r = 0; r < 2; ++r) EXPECT_NEAR(d.row(r).sum(), 0.0, 1e-12);
  // Without a gradient buffer: the same value.
  EXPECT_NEAR(cross_entropy(out, labels, static_cast<MatrixD*>(nullptr)), want, 1e-12);
}

TEST(CrossEntropy, GradientRowsSumToZeroOnRandomLogits) {
  Rng rng(5);
  MatrixF out(32, 7);
  for (Eigen::Index i = 0; i < out.size(); ++i) out.data()[i] = static_cast<float>(3 * rng.normal());
  std::vector<int> labels(32);
  for (int& l : labels) l = static_cast<int>(rng.below(7));
  MatrixF d;
  const double loss = cross_entropy(out, labels, &d);
  EXPECT_GT(loss, 0);
  for (Eigen::Index r = 0; r < 32; ++r) {
    EXPECT_NEAR(d.row(r).sum(), 0.0, 1e-6);
    EXPECT_LT(d(r, labels[r]), 0);  // the label's entry is the only negative one
  }
}

TEST(CrossEntropy, StableForHugeLogits) {
  MatrixF out(1, 2);
  out << 1000, 0;
  const std::vector<int> right = {0}, wrong = {1};
  MatrixF d;
  EXPECT_NEAR(cross_entropy(out, right, &d), 0.0, 1e-9);
  EXPECT_NEAR(cross_entropy(out, wrong, &d), 1000.0, 1e-6);
  EXPECT_TRUE(d.allFinite());
  EXPECT_NEAR(d(0, 0), 1.0, 1e-6);
  EXPECT_NEAR(d(0, 1), -1.0, 1e-6);
}

TEST(Mse, HandExampleAndGradient) {
  MatrixF out(2, 2), target(2, 2), d;
  out << 1, 2, 3, 4;
  target << 0, 0, 1, 5;
  // diff = [1, 2, 2, −1]: L = (1 + 4 + 4 + 1)/4 = 2.5, d = 2·diff/4
  EXPECT_DOUBLE_EQ(mse(out, target, &d), 2.5);
  MatrixF want(2, 2);
  want << 0.5f, 1, 1, -0.5f;
  EXPECT_EQ(d, want);
  EXPECT_DOUBLE_EQ(mse(out, out, &d), 0.0);
  EXPECT_TRUE(d.isZero());
}

TEST(Accuracy, CountsFirstMaximum) {
  MatrixF out(4, 3);
  out << 0.1f, 0.8f, 0.1f,  // argmax 1
      5, 5, 1,              // tie: first maximum is 0
      1, 2, 3,              // 2
      7, 7, 7;              // 0
  const std::vector<int> labels = {1, 1, 2, 0};
  EXPECT_EQ(correct_count(out, labels), 3u);
  const std::vector<int> none = {0, 2, 0, 1};
  EXPECT_EQ(correct_count(out, none), 0u);
}

}  // namespace
}  // namespace actlab::nn
