// data/synthetic: every generator is deterministic per seed, different seeds differ, and the targets are what
// the definitions say (poly targets equal the polynomial evaluated by hand on the stored inputs).
#include "data/synthetic.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace actlab::data {
namespace {

Dataset gen(std::string_view spec, std::size_t n, std::uint64_t seed) {
  auto r = generate(spec, n, seed);
  EXPECT_TRUE(r) << r.status().message();
  return r ? *r : Dataset{};
}

std::string error_of(std::string_view spec) {
  auto r = generate(spec, 10, 0);
  EXPECT_FALSE(r) << spec;
  return r ? std::string() : r.status().message();
}

TEST(Synthetic, DeterministicPerSeedAndDifferentAcrossSeeds) {
  for (const char* spec : {"xor", "xor:noise=0.1", "spirals", "blobs:k=4,d=3", "poly:x*y*z"}) {
    Dataset a = gen(spec, 50, 7), b = gen(spec, 50, 7), c = gen(spec, 50, 8);
    EXPECT_EQ(a.x, b.x) << spec;
    EXPECT_EQ(a.labels, b.labels) << spec;
    EXPECT_EQ(a.y, b.y) << spec;
    EXPECT_NE(a.x, c.x) << spec;
    EXPECT_EQ(a.rows(), 50u);
    EXPECT_EQ(a.name, spec);
    EXPECT_EQ(a.source, "generated (seed 7)");
  }
}

TEST(Synthetic, PolyTargetsAreThePolynomialOfTheStoredInputs) {
  Dataset d = gen("poly:x*y*z", 200, 3);
  EXPECT_EQ(d.task, Task::kRegression);
  EXPECT_EQ(d.features(), 3u);
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"x", "y", "z"}));
  for (Eigen::Index i = 0; i < 200; ++i) {
    const double x = d.x(i, 0), y = d.x(i, 1), z = d.x(i, 2);
    EXPECT_EQ(d.y(i, 0), static_cast<float>(x * y * z));
    for (int j = 0; j < 3; ++j) {
      EXPECT_GE(d.x(i, j), -1.0f);
      EXPECT_LE(d.x(i, j), 1.0f);
    }
  }
  Dataset e = gen("poly:x^2-3*y+1", 100, 4);
  for (Eigen::Index i = 0; i < 100; ++i) {
    const double x = e.x(i, 0), y = e.x(i, 1);
    EXPECT_EQ(e.y(i, 0), static_cast<float>(x * x - 3 * y + 1));
  }
  EXPECT_EQ(gen("poly:x0+x4", 10, 0).features(), 5u);
  EXPECT_EQ(gen("poly:x", 0, 0).rows(), 1000u);  // 0 rows: the default
}

TEST(Synthetic, SmoothTargetIsTheClosedFormOfTheStoredInputs) {
  Dataset d = gen("smooth", 300, 5);
  EXPECT_EQ(d.task, Task::kRegression);
  ASSERT_EQ(d.features(), 3u);
  double lo = 1, hi = -1;
  for (Eigen::Index i = 0; i < 300; ++i) {
    const double x = d.x(i, 0), y = d.x(i, 1), z = d.x(i, 2);
    // Written out by hand: sin(πx) cos(πy/2) e^{z/2}.
    const double want =
        std::sin(3.14159265358979323846 * x) * std::cos(1.57079632679489661923 * y) * std::exp(0.5 * z);
    EXPECT_NEAR(d.y(i, 0), want, 1e-6);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  EXPECT_LT(lo, -0.9);  // the inputs fill [-1, 1]
  EXPECT_GT(hi, 0.9);
  EXPECT_EQ(gen("smooth", 0, 0).rows(), 1000u);
  EXPECT_FALSE(data::generate("smooth:d=4", 10, 0));
}

TEST(Synthetic, XorLabelsAreTheSignRule) {
  Dataset d = gen("xor", 300, 1);
  EXPECT_EQ(d.classes(), 2);
  for (Eigen::Index i = 0; i < 300; ++i) {
    EXPECT_EQ(d.labels[static_cast<std::size_t>(i)], d.x(i, 0) * d.x(i, 1) < 0 ? 1 : 0);
  }
  Dataset c = gen("xor:corners=1", 100, 0);
  ASSERT_EQ(c.rows(), 4u);
  EXPECT_EQ(c.labels, (std::vector<int>{0, 1, 1, 0}));
  EXPECT_EQ(c.x(3, 0), 1.0f);
  EXPECT_EQ(c.x(3, 1), 1.0f);
}

TEST(Synthetic, SpiralsAndBlobsAreBalancedAndShaped) {
  Dataset s = gen("spirals:turns=2,noise=0", 400, 5);
  int ones = 0;
  for (int l : s.labels) ones += l;
  EXPECT_EQ(ones, 200);
  for (Eigen::Index i = 0; i < 400; ++i) {  // noise 0: every point on its spiral, radius t < 1
    EXPECT_LT(std::hypot(s.x(i, 0), s.x(i, 1)), 1.0f + 1e-6f);
  }
  Dataset b = gen("blobs:k=4,d=3,std=0.01", 400, 2);
  EXPECT_EQ(b.classes(), 4);
  EXPECT_EQ(b.features(), 3u);
  EXPECT_EQ(b.input_shape, std::vector<int>{3});
  // With a tiny spread, rows of one blob sit together: row i and row i+4 share a class and nearly a point.
  for (Eigen::Index i = 0; i + 4 < 400; ++i) {
    EXPECT_EQ(b.labels[static_cast<std::size_t>(i)], b.labels[static_cast<std::size_t>(i + 4)]);
    EXPECT_LT((b.x.row(i) - b.x.row(i + 4)).norm(), 0.2f);
  }
}

TEST(Synthetic, SingleIsOneRowOneInputOneTarget) {
  Dataset d = gen("single:x=0.5,t=0.8", 0, 0);
  EXPECT_EQ(d.rows(), 1u);
  EXPECT_EQ(d.features(), 1u);
  EXPECT_EQ(d.task, Task::kRegression);
  EXPECT_EQ(d.outputs(), 1);
  EXPECT_EQ(d.x(0, 0), 0.5f);
  EXPECT_EQ(d.y(0, 0), 0.8f);
}

TEST(Synthetic, SpecErrorsAreColumnPrecise) {
  EXPECT_EQ(error_of("poly:x**y"),
            "generator 'poly:x**y': 1:8: expected a number, a variable or '(', found '*'");
  EXPECT_EQ(error_of("poly:"), "generator 'poly:': 1:6: expected poly:<expr>, such as poly:x*y*z");
  EXPECT_EQ(error_of("poly:2+3"),
            "generator 'poly:2+3': 1:6: the polynomial has no variable (use x, y, z, w or x0 .. x9)");
  EXPECT_EQ(error_of("spirals:turns=abc"), "generator 'spirals:turns=abc': 1:15: 'abc' is not a number");
  EXPECT_EQ(error_of("blobs:k=0"), "generator 'blobs:k=0': 1:9: k must be an integer in [1, 1000]");
  EXPECT_EQ(error_of("xor:sigma=1"),
            "generator 'xor:sigma=1': 1:5: unknown option 'sigma' (options: noise, corners)");
  EXPECT_EQ(error_of("single:x=0.5"),
            "generator 'single:x=0.5': 1:13: missing t=<number> (single:x=0.5,t=0.8)");
  EXPECT_TRUE(is_generator_spec("poly:anything"));
  EXPECT_FALSE(is_generator_spec("iris"));
}

// Issue 17: --rows -5 wrapped to 2^64 - 5 and wrote out of bounds; a row count past the limit is an error
// that names the field, and so is a blobs matrix of more than 10^8 values.
TEST(Synthetic, RowAndValueCountsAreBounded) {
  auto huge = generate("spirals", std::size_t(-5), 0);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.status().field(), "rows");
  EXPECT_EQ(huge.status().message(), "rows: 18446744073709551611 exceeds the limit of 10000000 rows");
  auto wide = generate("blobs:d=1000", 200000, 0);
  ASSERT_FALSE(wide);
  EXPECT_NE(wide.status().message().find("exceeds the limit of 100000000 values"), std::string::npos)
      << wide.status().message();
  EXPECT_TRUE(generate("spirals", 10, 0));
}

}  // namespace
}  // namespace actlab::data
