// Conv2d (im2col + GEMM) against a direct convolution written as nested loops over (b, co, oy, ox, c, ky, kx)
// with zero padding and stride, for the forward pass and both gradients; shapes and errors by hand.

#include "nn/conv2d.hpp"

#include <gtest/gtest.h>

namespace actlab::nn {
namespace {

struct Geometry {
  int c, h, w, co, k, s, p;
};

MatrixD random(Eigen::Index r, Eigen::Index c, std::uint64_t seed) {
  Rng rng(seed);
  MatrixD m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(-1, 1);
  return m;
}

void PrintTo(const Geometry& g, std::ostream* os) {
  *os << "C" << g.c << " " << g.h << "x" << g.w << " -> Co" << g.co << " k" << g.k << " s" << g.s << " p"
      << g.p;
}

int out_size(int n, const Geometry& g) { return (n + 2 * g.p - g.k) / g.s + 1; }

// x at (b, c, iy, ix), 0 outside the image.
double at(const MatrixD& x, const Geometry& g, int b, int c, int iy, int ix) {
  if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) return 0;
  return x(b, (c * g.h + iy) * g.w + ix);
}

// weight[co][c][ky][kx] stored as W(co, (c·k + ky)·k + kx).
double wt(const MatrixD& w, const Geometry& g, int o, int c, int ky, int kx) {
  return w(o, (c * g.k + ky) * g.k + kx);
}

MatrixD direct_forward(const MatrixD& x, const MatrixD& w, const MatrixD& bias, const Geometry& g) {
  const int ho = out_size(g.h, g), wo = out_size(g.w, g);
  MatrixD y(x.rows(), g.co * ho * wo);
  for (int b = 0; b < x.rows(); ++b)
    for (int o = 0; o < g.co; ++o)
      for (int oy = 0; oy < ho; ++oy)
        for (int ox = 0; ox < wo; ++ox) {
          double s = bias(0, o);
          for (int c = 0; c < g.c; ++c)
            for (int ky = 0; ky < g.k; ++ky)
              for (int kx = 0; kx < g.k; ++kx)
                s += wt(w, g, o, c, ky, kx) * at(x, g, b, c, oy * g.s + ky - g.p, ox * g.s + kx - g.p);
          y(b, (o * ho + oy) * wo + ox) = s;
        }
  return y;
}

class Conv2dBruteForce : public ::testing::TestWithParam<Geometry> {};

TEST_P(Conv2dBruteForce, ForwardAndBackwardMatchDirectLoops) {
  const Geometry g = GetParam();
  auto made = Conv2d<double>::make({{g.c, g.h, g.w}}, g.co, g.k, g.s, g.p);
  ASSERT_TRUE(made) << made.status().message();
  Conv2d<double>& conv = **made;
  const int ho = out_size(g.h, g), wo = out_size(g.w, g);
  ASSERT_EQ(conv.out_shape(), (Shape{{g.co, ho, wo}}));
  EXPECT_EQ(conv.fan_in(), g.c * g.k * g.k);
  conv.weight().value = random(g.co, g.c * g.k * g.k, 1);
  conv.bias().value = random(1, g.co, 2);
  const int batch = 3;
  const MatrixD x = random(batch, g.c * g.h * g.w, 3);
  MatrixD y;
  Rng rng(0);
  conv.forward(x, y, Mode::kTrain, rng);
  const MatrixD want = direct_forward(x, conv.weight().value, conv.bias().value, g);
  ASSERT_EQ(y.rows(), want.rows());
  ASSERT_EQ(y.cols(), want.cols());
  EXPECT_LT((y - want).cwiseAbs().maxCoeff(), 1e-12);

  // Backward: dW[o, c, ky, kx] = Σ dy·x at the tap, db[o] = Σ dy, dx scatters dy·w back to every tap.
  const MatrixD dy = random(batch, y.cols(), 4);
  MatrixD dw = MatrixD::Zero(g.co, conv.fan_in()), db = MatrixD::Zero(1, g.co);
  MatrixD dx_want = MatrixD::Zero(batch, x.cols());
  for (int b = 0; b < batch; ++b)
    for (int o = 0; o < g.co; ++o)
      for (int oy = 0; oy < ho; ++oy)
        for (int ox = 0; ox < wo; ++ox) {
          const double d = dy(b, (o * ho + oy) * wo + ox);
          db(0, o) += d;
          for (int c = 0; c < g.c; ++c)
            for (int ky = 0; ky < g.k; ++ky)
              for (int kx = 0; kx < g.k; ++kx) {
                const int iy = oy * g.s + ky - g.p, ix = ox * g.s + kx - g.p;
                dw(o, (c * g.k + ky) * g.k + kx) += d * at(x, g, b, c, iy, ix);
                if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) {
                  dx_want(b, (c * g.h + iy) * g.w + ix) += d * wt(conv.weight().value, g, o, c, ky, kx);
                }
              }
        }
  MatrixD dx = MatrixD::Constant(1, 1, 99);
  conv.backward(x, y, dy, &dx);
  EXPECT_LT((conv.weight().grad - dw).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((conv.bias().grad - db).cwiseAbs().maxCoeff(), 1e-12);
  ASSERT_EQ(dx.rows(), batch);
  ASSERT_EQ(dx.cols(), x.cols());
  EXPECT_LT((dx - dx_want).cwiseAbs().maxCoeff(), 1e-12);

  // Parameter gradients accumulate.
  conv.backward(x, y, dy, nullptr);
  EXPECT_LT((conv.weight().grad - 2 * dw).cwiseAbs().maxCoeff(), 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Geometries, Conv2dBruteForce,
                         ::testing::Values(Geometry{1, 5, 5, 1, 3, 1, 0},    // plain
                                           Geometry{2, 7, 6, 3, 3, 2, 1},    // stride, padding, H ≠ W
                                           Geometry{3, 4, 4, 2, 1, 1, 0},    // 1×1 kernel
                                           Geometry{2, 5, 5, 4, 2, 3, 2},    // stride > kernel skips pixels
                                           Geometry{1, 3, 3, 2, 5, 1, 1}));  // kernel larger than the image

TEST(Conv2d, HandExample) {
  // 1 channel 3×3 image 1..9, 2×2 kernel [[1, 0], [0, −1]], bias 0.5: y = x[i,j] − x[i+1,j+1] + 0.5 = −3.5
  auto conv = Conv2d<float>::make({{1, 3, 3}}, 1, 2).value();
  conv->weight().value << 1, 0, 0, -1;
  conv->bias().value << 0.5f;
  MatrixF x(1, 9), y;
  x << 1, 2, 3, 4, 5, 6, 7, 8, 9;
  Rng rng(0);
  conv->forward(x, y, Mode::kEval, rng);
  ASSERT_EQ(y.cols(), 4);
  for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(y(0, i), -3.5f);
}

TEST(Conv2d, OutputShapeFloorsLikeTorch) {
  // (28 − 3)/1 + 1 = 26;  (28 + 2 − 5)/2 + 1 = 13 (floor of 13.5);  (10 − 3)/3 + 1 = 3
  EXPECT_EQ(Conv2d<float>::make({{1, 28, 28}}, 32, 3).value()->out_shape(), (Shape{{32, 26, 26}}));
  EXPECT_EQ(Conv2d<float>::make({{3, 28, 28}}, 8, 5, 2, 1).value()->out_shape(), (Shape{{8, 13, 13}}));
  EXPECT_EQ(Conv2d<float>::make({{2, 10, 7}}, 4, 3, 3).value()->out_shape(), (Shape{{4, 3, 2}}));
}

TEST(Conv2d, RejectsBadGeometry) {
  auto flat = Conv2d<float>::make({{784}}, 4, 3);
  ASSERT_FALSE(flat);
  EXPECT_NE(flat.status().message().find("[784]"), std::string::npos) << flat.status().message();
  auto big = Conv2d<float>::make({{1, 4, 4}}, 4, 5);
  ASSERT_FALSE(big);
  EXPECT_NE(big.status().message().find("larger"), std::string::npos) << big.status().message();
  EXPECT_FALSE(Conv2d<float>::make({{1, 4, 4}}, 0, 3));
  EXPECT_FALSE(Conv2d<float>::make({{1, 4, 4}}, 2, 0));
  EXPECT_FALSE(Conv2d<float>::make({{1, 4, 4}}, 2, 3, 0));
  EXPECT_FALSE(Conv2d<float>::make({{1, 4, 4}}, 2, 3, 1, -1));
  EXPECT_TRUE(Conv2d<float>::make({{1, 4, 4}}, 2, 5, 1, 1));  // 4 + 2 ≥ 5
}

TEST(Conv2d, ToJsonNestsWeightsAsTorch) {
  auto conv = Conv2d<float>::make({{2, 5, 5}}, 3, 2, 2, 1).value();
  for (Eigen::Index i = 0; i < conv->weight().value.size(); ++i) conv->weight().value.data()[i] = float(i);
  conv->bias().value << 7, 8, 9;
  const Json j = conv->to_json();
  EXPECT_EQ(j["type"], "conv2d");
  EXPECT_EQ(j["in_channels"], 2);
  EXPECT_EQ(j["out_channels"], 3);
  EXPECT_EQ(j["kernel"], 2);
  EXPECT_EQ(j["stride"], 2);
  EXPECT_EQ(j["padding"], 1);
  // weight[o][c][ky][kx] = flat index (o·2 + c)·4 + ky·2 + kx
  EXPECT_DOUBLE_EQ(j["weight"][2][1][1][0].get<double>(), (2 * 2 + 1) * 4 + 2 + 0);
  EXPECT_DOUBLE_EQ(j["weight"][0][1][0][1].get<double>(), 4 + 1);
  EXPECT_DOUBLE_EQ(j["bias"][2].get<double>(), 9);
  auto twin = conv->to_double();
  EXPECT_EQ(twin->out_shape(), conv->out_shape());
  EXPECT_EQ(twin->params()[0]->value, conv->weight().value.cast<double>());
}

}  // namespace
}  // namespace actlab::nn
