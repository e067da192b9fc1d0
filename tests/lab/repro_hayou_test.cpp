// actlab reproduce hayou at quick scale: ReLU's EOC is the single point (0, √2); the correlation exponents
// on the EOC are near -2 (ReLU) and -1 (smooth); at depth 30 on digits the EOC trains while the ordered and
// chaotic phases stay near chance (Hayou et al., ICML 2019).
#include <gtest/gtest.h>

#include <cmath>

#include "activations/activation.hpp"
#include "lab/reproduce.hpp"
#include "support/temp_dir.hpp"

namespace actlab::lab {
namespace {

TEST(ReproHayou, QuickScaleEocTrainsAndOffEocDoesNot) {
  testing::TempDir dir;
  ReproducePlan p;
  p.name = "hayou";
  p.out = dir / "h";
  p.threads = 2;
  auto r = reproduce(p);
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_GE(r->claims.size(), 5u);
  for (const Claim& c : r->claims)
    if (c.verdict != "reproduced") {
      EXPECT_FALSE(c.reason.empty()) << c.claim;
    }
  EXPECT_EQ(r->claims[0].verdict, "reproduced") << r->claims[0].ours;  // ReLU a point, smooth a curve

  for (const Json& c : r->data["correlation"]) {
    const double e = c["exponent"];
    if (c["activation"] == "relu")
      EXPECT_NEAR(e, -2.0, 0.3);
    else
      EXPECT_NEAR(e, -1.0, 0.3) << c["activation"];
  }
  // Depth 30 on digits: the EOC arm trains (at least 3x chance), both off-EOC arms stay within 0.1 of chance
  // (0.1).
  int phase_sets = 0;
  for (const Json& t : r->data["training"]) {
    if (t["kind"] != "phases") continue;
    ++phase_sets;
    const Json& arms = t["compare"]["arms"];
    EXPECT_GT(arms[0]["median"].get<double>(), 0.3) << arms[0]["arm"];  // 3x chance
    EXPECT_LT(arms[1]["median"].get<double>(), 0.2) << arms[1]["arm"];
    EXPECT_LT(arms[2]["median"].get<double>(), 0.2) << arms[2]["arm"];
  }
  EXPECT_EQ(phase_sets, 2);
}

}  // namespace
}  // namespace actlab::lab

namespace actlab::lab {
namespace {

// The tabulated correlation decay against exact iterates of the correlation map (ReLU and tanh on the EOC),
// and ReLU's against the arc-cosine closed form f(c) = (√(1−c²) + (π − arccos c) c)/π.
TEST(ReproHayou, TabulatedCorrelationDecayMatchesTheExactIterates) {
  for (const auto& [name, sigma_b] : {std::pair<std::string, double>{"relu", 0.0}, {"tanh", 0.2}}) {
    auto act = activations::Activation::make(name);
    ASSERT_TRUE(act);
    auto g = theory::GaussianIntegrator::make(*act);
    ASSERT_TRUE(g);
    auto pts = theory::eoc_points(*g, sigma_b);
    ASSERT_TRUE(pts && !pts->empty());
    const theory::EocPoint p = pts->front();
    auto fast = eoc_one_minus_c(*g, p, 40, 120, 1e-8);
    ASSERT_TRUE(fast) << fast.status().message();
    auto exact = theory::correlation_iterates(*g, {p.sigma_w, p.sigma_b}, p.q, 0.0, 40);
    ASSERT_TRUE(exact);
    for (int l = 1; l <= 40; ++l)
      EXPECT_NEAR((*fast)[l] / exact->one_minus_c[l], 1.0, 2e-3) << name << " l = " << l;
    if (name == "relu") {
      double c = 0;
      for (int l = 1; l <= 40; ++l) {
        c = (std::sqrt(1 - c * c) + (M_PI - std::acos(c)) * c) / M_PI;
        EXPECT_NEAR((*fast)[l] / (1 - c), 1.0, 2e-3) << l;
      }
    }
  }
}

}  // namespace
}  // namespace actlab::lab
