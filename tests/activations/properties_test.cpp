// Property estimators against closed forms: kink locations, smoothness classes from the literature (RePU_p is
// C^{p-1}, MRePU_p is C^{p-1} at -1: ../shared/specs/theory-effective-repu-mrepu.md §1), ranges with known
// extremes, monotonicity.
#include "activations/properties.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "activations/activation.hpp"

namespace actlab::activations {
namespace {

Expr formula(const std::string& text) {
  auto e = parse_formula(text, {.functions = &catalog_functions()});
  EXPECT_TRUE(e) << e.status().message();
  return e ? *e : Expr();
}

TEST(Kinks, FoundWhereSelectorsSwitchAndSomethingJumps) {
  EXPECT_EQ(find_kinks(formula("max(0, x)")), std::vector<double>{0.0});
  EXPECT_EQ(find_kinks(formula("abs(x - 1.5)")), std::vector<double>{1.5});
  EXPECT_EQ(find_kinks(formula("where(x > -2, x, -2) + min(x, 3)")), (std::vector<double>{-2.0, 3.0}));
  const auto k = find_kinks(formula("where(x > 1/3, x, 0)"));
  ASSERT_EQ(k.size(), 1u);
  EXPECT_NEAR(k[0], 1.0 / 3, 1e-12);
  // A switch with nothing non-smooth there is not a kink.
  EXPECT_TRUE(find_kinks(formula("where(x > 0, x, x)")).empty());
  EXPECT_TRUE(find_kinks(formula("where(x > 0, sin(x), sin(x))")).empty());
  EXPECT_TRUE(find_kinks(formula("x*sigmoid(x)")).empty());
  // floor jumps at every integer of the window.
  EXPECT_EQ(find_kinks(formula("floor(x)"), -3, 3).size(), 7u);
  // Outside the window: not reported.
  EXPECT_TRUE(find_kinks(formula("max(0, x - 50)")).empty());
}

TEST(Smoothness, ClassesFromTheLiterature) {
  auto cls = [](const std::string& text) {
    Expr f = formula(text);
    return smoothness(f, find_kinks(f));
  };
  EXPECT_EQ(cls("relu(x)"), 0);
  EXPECT_EQ(cls("floor(x)"), kDiscontinuous);
  EXPECT_EQ(cls("swish(x)"), kSmoothInfinite);
  EXPECT_EQ(cls("elu(x)"), 1);             // f' = 1 on both sides of 0 (alpha = 1), f'' jumps
  EXPECT_EQ(cls("elu(x, alpha=0.5)"), 0);  // f' jumps from 0.5 to 1
  EXPECT_EQ(cls("softsign(x)"), 1);
  for (int p = 1; p <= 5; ++p) {
    EXPECT_EQ(cls("repu(x, p=" + std::to_string(p) + ")"), p - 1) << "RePU_p is C^{p-1}, p = " << p;
    EXPECT_EQ(cls("mrepu(x, p=" + std::to_string(p) + ")"), p - 1) << "MRePU_p is C^{p-1}, p = " << p;
  }
  EXPECT_EQ(smoothness_name(kSmoothInfinite), "C-inf");
  EXPECT_EQ(smoothness_name(kDiscontinuous), "discontinuous");
  EXPECT_EQ(smoothness_name(2), "C2");
}

TEST(Range, KnownExtremes) {
  auto r = estimate_range(formula("x*sigmoid(x)"));
  EXPECT_NEAR(r.lo, -0.2784645427610738, 1e-9);  // swish minimum, at x = -1.27846...
  EXPECT_TRUE(std::isinf(r.hi) && r.hi > 0);
  r = estimate_range(formula("mrepu(x, p=2)"));
  EXPECT_NEAR(r.lo, -4.0 / 27, 1e-9);  // spec: min at -1/(p+1), value -(1/(p+1))(p/(p+1))^p
  r = estimate_range(formula("tanh(x)"));
  EXPECT_NEAR(r.lo, -1, 1e-12);
  EXPECT_NEAR(r.hi, 1, 1e-12);
  r = estimate_range(formula("exp(-x^2)"));
  EXPECT_EQ(r.lo, 0.0);
  EXPECT_EQ(r.hi, 1.0);
  r = estimate_range(formula("tan(x)"));  // poles
  EXPECT_TRUE(std::isinf(r.lo) && std::isinf(r.hi));
  r = estimate_range(formula("log(x)"));  // -inf at 0, slow growth at +inf
  EXPECT_TRUE(std::isinf(r.lo) && r.lo < 0 && std::isinf(r.hi) && r.hi > 0);
  r = estimate_range(formula("sqrt(x)"));  // NaN left of 0 ignored
  EXPECT_EQ(r.lo, 0.0);
  EXPECT_TRUE(std::isinf(r.hi));
  r = estimate_range(formula("1/(1 + x^2)"));
  EXPECT_NEAR(r.lo, 0, 1e-12);
  EXPECT_EQ(r.hi, 1.0);
}

TEST(Monotone, Estimates) {
  EXPECT_TRUE(estimate_monotone(formula("x^3")));
  EXPECT_TRUE(estimate_monotone(formula("-exp(x)")));
  EXPECT_TRUE(estimate_monotone(formula("floor(x)")));
  EXPECT_TRUE(estimate_monotone(formula("acos(x)")));  // decreasing on its domain
  EXPECT_FALSE(estimate_monotone(formula("x^2")));
  EXPECT_FALSE(estimate_monotone(formula("x*sigmoid(x)")));
  EXPECT_FALSE(estimate_monotone(formula("x - trunc(x)")));
  EXPECT_FALSE(estimate_monotone(formula("tan(x)")));
  // ACON-C with p2 < 0.0998/1.0998·p1 has a falling stretch (spec optimizers-dik-adamm §1a).
  EXPECT_TRUE(estimate_monotone(formula("acon_c(x)")));
  EXPECT_FALSE(estimate_monotone(formula("acon_c(x, p2=-0.5)")));
}

TEST(Declared, RangeAndKinksFollowTheParameters) {
  const CatalogEntry& hardtanh = *find_entry("hardtanh");
  const std::vector<std::pair<std::string, double>> p = {{"min_val", -2.0}, {"max_val", 0.5}};
  auto r = declared_range(hardtanh, p);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lo, -2.0);
  EXPECT_EQ(r->hi, 0.5);
  auto k = declared_kinks(hardtanh, p);
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<double>{-2.0, 0.5}));
  auto m = declared_range(*find_entry("mrepu"), std::vector<std::pair<std::string, double>>{{"p", 3.0}});
  ASSERT_TRUE(m);
  EXPECT_NEAR(m->lo, -0.105469, 1e-6);  // spec §1: p = 3 minimum
  auto rounds = declared_kinks(*find_entry("round"), {}, -2, 2);
  ASSERT_TRUE(rounds);
  EXPECT_EQ(*rounds, (std::vector<double>{-1.5, -0.5, 0.5, 1.5}));
  auto truncs = declared_kinks(*find_entry("trunc"), {}, -2, 2);
  ASSERT_TRUE(truncs);
  EXPECT_EQ(*truncs, (std::vector<double>{-2, -1, 1, 2}));
}

TEST(Grid, HitsSimplePointsExactly) {
  const auto& g = property_grid();
  for (double v : {0.0, 1.0, -1.0, 0.5, -2.5, 6.0}) {
    EXPECT_TRUE(std::binary_search(g.begin(), g.end(), v)) << v;
  }
  EXPECT_TRUE(std::is_sorted(g.begin(), g.end()));
  EXPECT_EQ(g.front(), -1e8);
  EXPECT_EQ(g.back(), 1e8);
}

}  // namespace
}  // namespace actlab::activations
