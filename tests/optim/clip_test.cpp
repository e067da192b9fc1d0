// clip_grad_norm / clip_grad_value against hand-computed norms (torch.nn.utils semantics).
#include "optim/clip.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace actlab::optim {
namespace {

TEST(Clip, NormScalesAllBlocksTogether) {
  std::vector<float> a = {3.0f, 0.0f}, b = {4.0f};
  std::vector<std::span<float>> grads = {a, b};
  const double total = clip_grad_norm(grads, 1.0);
  EXPECT_DOUBLE_EQ(total, 5.0);
  const double c = 1.0 / (5.0 + 1e-6);
  EXPECT_FLOAT_EQ(a[0], static_cast<float>(3.0 * c));
  EXPECT_FLOAT_EQ(b[0], static_cast<float>(4.0 * c));
}

TEST(Clip, NormBelowLimitIsUntouched) {
  std::vector<float> a = {0.3f, 0.4f};
  std::vector<std::span<float>> grads = {a};
  EXPECT_NEAR(clip_grad_norm(grads, 1.0), 0.5, 1e-7);
  EXPECT_EQ(a[0], 0.3f);
}

TEST(Clip, NonFiniteNormIsReported) {
  std::vector<float> a = {NAN, 1.0f};
  std::vector<std::span<float>> grads = {a};
  EXPECT_TRUE(std::isnan(clip_grad_norm(grads, 1.0)));
}

TEST(Clip, ValueClamps) {
  std::vector<float> a = {-3.0f, 0.5f, 9.0f};
  std::vector<std::span<float>> grads = {a};
  clip_grad_value(grads, 1.0);
  EXPECT_EQ(a, (std::vector<float>{-1.0f, 0.5f, 1.0f}));
}

}  // namespace
}  // namespace actlab::optim
