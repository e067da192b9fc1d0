// Initialisation: the spec parser, and each scheme's statistics on large layers with stated tolerances
// (empirical std of N weights has relative sd ≈ 1/√(2N), so 512×512 → 0.14 %, and we allow 2–3 %),
// torch's uniform bound, orthogonality WᵀW = gain²·I (tall) / WWᵀ = gain²·I (wide), seeding.

#include "nn/init.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nn/activation_layer.hpp"
#include "nn/conv2d.hpp"
#include "nn/dense.hpp"
#include "nn/flatten.hpp"
#include "nn/max_pool.hpp"

namespace actlab::nn {
namespace {

Model<float> dense_model(int in, int out) {
  Model<float> m({{in}});
  EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(in, out)).is_ok());
  return m;
}

Dense<float>& dense(Model<float>& m, std::size_t i) { return dynamic_cast<Dense<float>&>(m.layer(i)); }

struct Moments {
  double mean, sd, max_abs;
};
Moments moments(const MatrixF& w) {
  const double n = static_cast<double>(w.size());
  const double mean = w.cast<double>().sum() / n;
  const double var = (w.cast<double>().array() - mean).square().sum() / n;
  return {mean, std::sqrt(var), static_cast<double>(w.cwiseAbs().maxCoeff())};
}

Status init(Model<float>& m, const InitSpec& s, std::uint64_t seed) { return initialize(m, {&s, 1}, seed); }

TEST(ParseInit, AcceptsEveryNameAndOption) {
  EXPECT_EQ(parse_init("torch")->kind, InitKind::kTorch);
  EXPECT_EQ(parse_init("he")->kind, InitKind::kHe);
  EXPECT_EQ(parse_init("kaiming")->kind, InitKind::kHe);
  EXPECT_EQ(parse_init("glorot")->kind, InitKind::kGlorot);
  EXPECT_EQ(parse_init("xavier")->kind, InitKind::kGlorot);
  EXPECT_EQ(parse_init("lecun")->kind, InitKind::kLecun);
  auto o = parse_init("orthogonal");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->kind, InitKind::kOrthogonal);
  EXPECT_DOUBLE_EQ(o->sigma_w, 1.0);
  EXPECT_DOUBLE_EQ(parse_init("orthogonal:gain=1.5")->sigma_w, 1.5);
  auto g = parse_init("gaussian:sigma_w=1.76,sigma_b=0.05");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->kind, InitKind::kGaussian);
  EXPECT_DOUBLE_EQ(g->sigma_w, 1.76);
  EXPECT_DOUBLE_EQ(g->sigma_b, 0.05);
  EXPECT_DOUBLE_EQ(parse_init("gaussian:sigma_w=2")->sigma_b, 0.0);
}

TEST(ParseInit, RejectsBadSpecs) {
  for (const char* bad : {"bogus", "gaussian", "gaussian:sigma_b=0.1", "gaussian:sigma_w=abc",
                          "gaussian:sigma_w=-1", "gaussian:sigma_w=1,sigma_b=-0.1", "he:gain=2",
                          "orthogonal:gain=0", "orthogonal:scale=2", "gaussian:sigma_w=inf"}) {
    auto r = parse_init(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_TRUE(r.status().is_bad_input()) << bad;
  }
  EXPECT_NE(parse_init("bogus").status().message().find("bogus"), std::string::npos);
}

TEST(ParseInit, NameRoundTrips) {
  for (const char* text :
       {"torch", "he", "glorot", "lecun", "orthogonal", "gaussian:sigma_w=1.5,sigma_b=0.25"}) {
    auto s = parse_init(text);
    ASSERT_TRUE(s) << text;
    auto back = parse_init(init_name(*s));
    ASSERT_TRUE(back) << init_name(*s);
    EXPECT_EQ(back->kind, s->kind);
    EXPECT_DOUBLE_EQ(back->sigma_w, s->sigma_w);
    EXPECT_DOUBLE_EQ(back->sigma_b, s->sigma_b);
  }
}

TEST(Initialize, HeAndLecunStandardDeviations) {
  for (auto [kind, var] : {std::pair{InitKind::kHe, 2.0}, std::pair{InitKind::kLecun, 1.0}}) {
    Model<float> m = dense_model(512, 512);
    ASSERT_TRUE(init(m, {kind}, 1).is_ok());
    const Moments w = moments(dense(m, 0).weight().value);
    const double sd = std::sqrt(var / 512);
    EXPECT_NEAR(w.sd / sd, 1.0, 0.02);
    EXPECT_NEAR(w.mean, 0.0, 4 * sd / 512);  // 4 standard errors of the mean (√262144 = 512)
    EXPECT_TRUE(dense(m, 0).bias().value.isZero());
  }
}

TEST(Initialize, GaussianScalesWeightsByFanInAndDrawsBiases) {
  Model<float> m = dense_model(512, 512);
  ASSERT_TRUE(init(m, {InitKind::kGaussian, 1.5, 0.5}, 2).is_ok());
  EXPECT_NEAR(moments(dense(m, 0).weight().value).sd / (1.5 / std::sqrt(512.0)), 1.0, 0.02);
  // 512 biases: relative sd of the empirical std ≈ 1/√1024 ≈ 3 %; allow 4σ.
  EXPECT_NEAR(moments(dense(m, 0).bias().value).sd / 0.5, 1.0, 0.125);
}

TEST(Initialize, HeUsesTheConvolutionFanIn) {
  Model<float> m({{16, 8, 8}});
  ASSERT_TRUE(m.add(Conv2d<float>::make(m.output_shape(), 64, 3)).is_ok());  // fan_in = 16·9 = 144
  ASSERT_TRUE(init(m, {InitKind::kHe}, 3).is_ok());
  auto& c = dynamic_cast<Conv2d<float>&>(m.layer(0));
  // 9216 weights: relative sd of the std ≈ 0.7 %.
  EXPECT_NEAR(moments(c.weight().value).sd / std::sqrt(2.0 / 144), 1.0, 0.03);
  EXPECT_TRUE(c.bias().value.isZero());
}

TEST(Initialize, TorchUniformBound) {
  Model<float> m = dense_model(512, 512);
  ASSERT_TRUE(init(m, {InitKind::kTorch}, 4).is_ok());
  const double bound = 1 / std::sqrt(512.0);
  const Moments w = moments(dense(m, 0).weight().value), b = moments(dense(m, 0).bias().value);
  EXPECT_LE(w.max_abs, bound);
  EXPECT_GT(w.max_abs, 0.999 * bound);  // 262144 draws reach the edge
  EXPECT_NEAR(w.sd / (bound / std::sqrt(3.0)), 1.0, 0.02);
  EXPECT_LE(b.max_abs, bound);
  EXPECT_GT(b.max_abs, 0.9 * bound);  // biases are drawn too (torch's default), not zero
}

TEST(Initialize, GlorotBoundForDenseAndConv) {
  Model<float> m = dense_model(512, 256);
  ASSERT_TRUE(init(m, {InitKind::kGlorot}, 5).is_ok());
  const double bound = std::sqrt(6.0 / (512 + 256));
  const Moments w = moments(dense(m, 0).weight().value);
  EXPECT_LE(w.max_abs, bound);
  EXPECT_GT(w.max_abs, 0.999 * bound);
  EXPECT_NEAR(w.sd / (bound / std::sqrt(3.0)), 1.0, 0.02);

  // conv: fan_in = C·k², fan_out = Co·k² (torch's _calculate_fan_in_and_fan_out)
  Model<float> c({{4, 6, 6}});
  ASSERT_TRUE(c.add(Conv2d<float>::make(c.output_shape(), 8, 3)).is_ok());
  ASSERT_TRUE(init(c, {InitKind::kGlorot}, 5).is_ok());
  const double cb = std::sqrt(6.0 / (4 * 9 + 8 * 9));
  const Moments cw = moments(dynamic_cast<Conv2d<float>&>(c.layer(0)).weight().value);
  EXPECT_LE(cw.max_abs, cb);
  EXPECT_GT(cw.max_abs, 0.97 * cb);  // 288 draws: P(max < 0.97·bound) = 0.97^288 ≈ 2e-4
}

TEST(Initialize, OrthogonalTallWideAndSquare) {
  const double gain = 2.0;
  for (auto [in, out] : {std::pair{64, 128}, std::pair{128, 64}, std::pair{50, 50}}) {
    SCOPED_TRACE(std::to_string(in) + " -> " + std::to_string(out));
    Model<float> m = dense_model(in, out);
    ASSERT_TRUE(init(m, {InitKind::kOrthogonal, gain}, 6).is_ok());
    const MatrixD w = dense(m, 0).weight().value.cast<double>();  // out × in
    // Tall (out ≥ in): orthonormal columns, WᵀW = gain²·I; wide: orthonormal rows, WWᵀ = gain²·I.
    const MatrixD gram = out >= in ? MatrixD(w.transpose() * w) : MatrixD(w * w.transpose());
    const MatrixD want = gain * gain * MatrixD::Identity(gram.rows(), gram.cols());
    EXPECT_LT((gram - want).cwiseAbs().maxCoeff(), 1e-5);
    EXPECT_TRUE(dense(m, 0).bias().value.isZero());
  }
}

TEST(Initialize, SameSeedSameWeightsDifferentSeedDifferent) {
  for (InitKind k : {InitKind::kTorch, InitKind::kHe, InitKind::kGlorot, InitKind::kLecun,
                     InitKind::kOrthogonal, InitKind::kGaussian}) {
    Model<float> a = dense_model(20, 30), b = dense_model(20, 30), c = dense_model(20, 30);
    ASSERT_TRUE(init(a, {k}, 7).is_ok());
    ASSERT_TRUE(init(b, {k}, 7).is_ok());
    ASSERT_TRUE(init(c, {k}, 8).is_ok());
    EXPECT_EQ(dense(a, 0).weight().value, dense(b, 0).weight().value);
    EXPECT_NE(dense(a, 0).weight().value, dense(c, 0).weight().value);
  }
}

TEST(Initialize, LayersHaveTheirOwnStreams) {
  // The second layer (8 → 4) gets the same weights whatever the first layer's size.
  Model<float> a({{3}}), b({{7}});
  ASSERT_TRUE(a.add(std::make_unique<Dense<float>>(3, 8)).is_ok());
  ASSERT_TRUE(b.add(std::make_unique<Dense<float>>(7, 8)).is_ok());
  for (Model<float>* m : {&a, &b}) ASSERT_TRUE(m->add(std::make_unique<Dense<float>>(8, 4)).is_ok());
  ASSERT_TRUE(init(a, {InitKind::kHe}, 9).is_ok());
  ASSERT_TRUE(init(b, {InitKind::kHe}, 9).is_ok());
  EXPECT_EQ(dense(a, 1).weight().value, dense(b, 1).weight().value);
  // Two layers of the same size draw from different streams.
  Model<float> same({{8}});
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(same.add(std::make_unique<Dense<float>>(8, 8)).is_ok());
  ASSERT_TRUE(init(same, {InitKind::kHe}, 9).is_ok());
  EXPECT_NE(dense(same, 0).weight().value, dense(same, 1).weight().value);
}

TEST(Initialize, PerLayerSpecsAndCount) {
  Model<float> m({{1, 6, 6}});
  ASSERT_TRUE(m.add(Conv2d<float>::make(m.output_shape(), 2, 3)).is_ok());
  ASSERT_TRUE(
      m.add(ActivationLayer<float>::make(activations::Activation::make("relu").value(), m.output_shape()))
          .is_ok());
  ASSERT_TRUE(m.add(MaxPool2d<float>::make(m.output_shape(), 2)).is_ok());
  ASSERT_TRUE(m.add(std::make_unique<Flatten<float>>(m.output_shape())).is_ok());
  ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(8, 3)).is_ok());
  EXPECT_EQ(weighted_layer_count(m), 2u);
  const InitSpec specs[] = {{InitKind::kHe}, {InitKind::kGaussian, 1.0, 0.5}};
  ASSERT_TRUE(initialize(m, specs, 1).is_ok());
  auto& c = dynamic_cast<Conv2d<float>&>(m.layer(0));
  EXPECT_TRUE(c.bias().value.isZero());
  EXPECT_FALSE(c.weight().value.isZero());
  EXPECT_FALSE(dense(m, 4).bias().value.isZero());  // the second spec's σ_b
  const InitSpec three[] = {{InitKind::kHe}, {InitKind::kHe}, {InitKind::kHe}};
  Status s = initialize(m, three, 1);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("3 specs for 2 weighted layers"), std::string::npos) << s.message();
}

TEST(Initialize, ResetsBiasesFromAnEarlierInit) {
  Model<float> m = dense_model(10, 10);
  ASSERT_TRUE(init(m, {InitKind::kTorch}, 1).is_ok());
  ASSERT_FALSE(dense(m, 0).bias().value.isZero());
  ASSERT_TRUE(init(m, {InitKind::kHe}, 1).is_ok());
  EXPECT_TRUE(dense(m, 0).bias().value.isZero());
}

}  // namespace
}  // namespace actlab::nn
