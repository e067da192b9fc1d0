// The initialisation answer per activation and depth (theory/recommend) against closed forms: PDLT's classes
// (Roberts, Yaida & Hanin 2022, ch. 5), MRePU's a₁ from φ = x(x + 1)^p (σ₁ = 1, σ₂ = 2p, σ₃ = 3p(p − 1)),
// RePU's homogeneity ratio r = (2p − 1)/p (Kim & Kang 2024), and the mean-field maps themselves.
#include "theory/recommend.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "activations/catalog.hpp"
#include "support/integrator.hpp"
#include "theory/propagate.hpp"

namespace actlab::theory {
namespace {

using actlab::testing::integrator;

Recommendation answer(const std::string& name, int depth, const std::map<std::string, double>& params = {}) {
  auto act = activations::Activation::make(name, params);
  EXPECT_TRUE(act.has_value()) << name;
  auto g = GaussianIntegrator::make(*act);
  auto r = recommend(*g, {.depth = depth, .input_var = 1.0});
  EXPECT_TRUE(r.has_value()) << name << ": " << r.status().message();
  return *r;
}

TEST(Recommend, ClassesWithAClosedForm) {
  const Recommendation relu = answer("relu", 50);
  EXPECT_EQ(relu.verdict, Verdict::kCritical);
  EXPECT_NEAR(relu.C_W, 2.0, 1e-9);
  EXPECT_EQ(relu.C_b, 0.0);
  EXPECT_NEAR(relu.input_scale, 1.0, 1e-12);
  const Recommendation tanh = answer("tanh", 50);
  EXPECT_EQ(tanh.verdict, Verdict::kCritical);
  EXPECT_EQ(tanh.kind, CriticalityClass::kK0);
  EXPECT_NEAR(tanh.C_W, 1.0, 1e-12);
  EXPECT_NEAR(tanh.a1, -2.0, 1e-12);
}

// MRePU: K* = 0 repels (a₁ = 3p(p − 1) + 3p² > 0); the input-kernel rule K^(1) = 0.1/(a₁ L) with C_W = 1.
TEST(Recommend, MrepuGetsTheInputKernelRule) {
  for (int L : {2, 10, 100}) {
    const Recommendation r = answer("mrepu", L);
    const double p = 2.0, a1 = 3 * p * (p - 1) + 3 * p * p;
    EXPECT_EQ(r.verdict, Verdict::kMarginal) << L;
    EXPECT_NEAR(r.a1, a1, 1e-9);
    EXPECT_NEAR(r.C_W, 1.0, 1e-12);
    EXPECT_EQ(r.C_b, 0.0);
    EXPECT_NEAR(r.K1, 0.1 / (a1 * L), 1e-15);
    EXPECT_NEAR(r.input_scale, std::sqrt(0.1 / (a1 * L)), 1e-12);
    // The kernel recursion from K1 stays within 11 % of K1 over L layers.
    auto rec = kernel_recursion(integrator("mrepu"), r.C_b, r.C_W, r.K1, L);
    ASSERT_TRUE(rec.has_value());
    EXPECT_LT(rec->layers.back().K, r.K1 / 0.9 * 1.001);
    EXPECT_GT(rec->layers.back().K, r.K1);
  }
}

// RePU p ≥ 2 cannot be stabilised: χ∥/χ⊥ = (2p − 1)/p at every K (the proof), with the least-bad option
// labelled: the half-stable point K* = 1, C_W ⟨σ²⟩₁ = 1/p, C_b = 1 − 1/p (⟨relu(z)⁴⟩ = 3/2 for p = 2).
TEST(Recommend, RepuCannotBeStabilised) {
  const Recommendation r = answer("repu", 20);
  EXPECT_EQ(r.verdict, Verdict::kCannotStabilise);
  EXPECT_TRUE(r.least_bad);
  EXPECT_NEAR(r.C_W, 1.0 / (2 * 1.5), 1e-10);
  EXPECT_NEAR(r.C_b, 0.5, 1e-10);
  EXPECT_NEAR(r.K1, 1.0, 1e-12);
  EXPECT_NEAR(r.chi_par, 1.0, 1e-9);
  EXPECT_NEAR(r.chi_perp, 2.0 / 3, 1e-9);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_NE(r.reasons[0].find("proof"), std::string::npos);
  EXPECT_NE(r.reasons[0].find("1.5"), std::string::npos);
  const Recommendation r3 = answer("repu", 20, {{"p", 3}});
  EXPECT_EQ(r3.verdict, Verdict::kCannotStabilise);
  EXPECT_NEAR(r3.chi_perp, 3.0 / 5, 1e-9);
}

// Half-stable classes: (C_b, C_W) at K*, and the first layer put on K*. The mean-field propagation from
// that K^(1) at exactly (σ_w, σ_b) keeps q^l at K* (it said "diverges" from q0 = 1 for mish before: the
// two notions are one answer once the first layer is on the fixed point).
TEST(Recommend, HalfStableAnswerIsTheMeanFieldFixedPoint) {
  for (const char* name : {"mish", "swish", "gelu"}) {
    const Recommendation r = answer(name, 50);
    EXPECT_EQ(r.kind, CriticalityClass::kHalfStable) << name;
    EXPECT_EQ(r.verdict, Verdict::kCritical) << name;
    EXPECT_NEAR(r.K1, r.K_star, 1e-12 * r.K_star);
    EXPECT_NEAR(r.C_b + r.input_scale * r.input_scale * r.C_W, r.K_star, 1e-12 * r.K_star);
    EXPECT_NEAR(r.chi_perp, 1.0, 1e-8) << name;
    EXPECT_NEAR(r.chi_par, 1.0, 1e-6) << name;
    auto p = propagate(integrator(name), {.init = {r.sigma_w, r.sigma_b}, .depth = 50, .q0 = r.K1});
    ASSERT_TRUE(p.has_value()) << name;
    EXPECT_TRUE(p->verdict.empty()) << name << ": " << p->verdict;
    EXPECT_NEAR(p->layers.back().q / r.K_star, 1.0, 1e-3) << name;
  }
}

// No class (sigmoid: σ(0) ≠ 0): the mean-field edge of chaos with a stable fixed point, first layer on q*.
TEST(Recommend, MeanFieldWhereNoClassApplies) {
  const Recommendation r = answer("sigmoid", 30);
  EXPECT_EQ(r.kind, CriticalityClass::kNone);
  EXPECT_EQ(r.verdict, Verdict::kCritical);
  EXPECT_NEAR(r.chi_perp, 1.0, 1e-9);
  EXPECT_LT(r.chi_par, 1.0);
  const double F = r.C_b + r.C_W * integrator("sigmoid").expect(r.K_star).phi2;
  EXPECT_NEAR(F, r.K_star, 1e-10 * r.K_star);
}

// Never NaN: every element-wise catalog entry at depths 3 and 1000 gets a finite answer or a named
// verdict, and its JSON holds no NaN or infinity as a number.
TEST(Recommend, EveryCatalogEntryHasAFiniteAnswer) {
  for (const auto& e : activations::catalog()) {
    if (e.row_wise()) continue;
    const GaussianIntegrator g = integrator(e.name.c_str());
    for (int L : {3, 1000}) {
      auto r = recommend(g, {.depth = L, .input_var = 1.0});
      ASSERT_TRUE(r.has_value()) << e.name << ": " << r.status().message();
      for (double v : {r->C_W, r->C_b, r->sigma_w, r->sigma_b, r->K1, r->input_scale})
        EXPECT_TRUE(std::isfinite(v)) << e.name << " at depth " << L;
      // χ's are finite, or φ leaves its domain under a Gaussian and the verdict says so.
      if (!std::isfinite(r->chi_par) || !std::isfinite(r->chi_perp)) {
        EXPECT_EQ(r->verdict, Verdict::kCannotStabilise) << e.name;
        EXPECT_NE(r->reasons[0].find("not finite"), std::string::npos) << e.name;
      }
      EXPECT_GT(r->input_scale, 0.0) << e.name;
      EXPECT_FALSE(r->reasons.empty()) << e.name;
      EXPECT_EQ(json_dump(r->to_json(), false).find("nan"), std::string::npos) << e.name;
    }
  }
}

TEST(Recommend, BadPlanNamesTheField) {
  auto g = integrator("tanh");
  EXPECT_EQ(recommend(g, {.depth = 0, .input_var = 1.0}).status().field(), "depth");
  EXPECT_EQ(recommend(g, {.depth = 3, .input_var = 0.0}).status().field(), "input_var");
}

}  // namespace
}  // namespace actlab::theory

namespace actlab::theory {
namespace {

// Never NaN, over the catalog × σ_w × σ_b: the kernel recursion (depth 1000), the two-input propagation and
// the EOC points give finite numbers or a named verdict, never NaN or inf in a value. A sampled grid here;
// ACTLAB_SWEEP=full runs the documented full sweep (σ_w ∈ [0.1, 10] × σ_b ∈ [0, 3], propagation to depth
// 20; docs/theory.md, "One initialisation answer").
TEST(NeverNaN, TheoryOverTheCatalog) {
  const bool full = std::getenv("ACTLAB_SWEEP") && std::string(std::getenv("ACTLAB_SWEEP")) == "full";
  // (σ_w, σ_b) pairs: the sampled grid's corners, or the full product.
  std::vector<std::pair<double, double>> kernel_grid = {{0.1, 0.0}, {10.0, 0.0}, {1.5, 3.0}};
  // The chaotic corner costs ~0.5 s an activation (c* by Hermite series and 2-D polish): every 8th entry.
  std::vector<std::pair<double, double>> propagate_grid = {{0.5, 0.0}};
  if (full) {
    kernel_grid.clear();
    for (double sw : {0.1, 0.3, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0})
      for (double sb : {0.0, 0.3, 1.0, 3.0}) kernel_grid.emplace_back(sw, sb);
    propagate_grid = kernel_grid;
  }
  const int propagate_depth = full ? 20 : 2;
  int cases = 0;
  for (const auto& e : activations::catalog()) {
    if (e.row_wise()) continue;
    const GaussianIntegrator g = integrator(e.name.c_str());
    for (double sb : {0.0, 3.0}) {
      auto eoc = eoc_points(g, sb);
      if (!eoc) continue;
      for (const EocPoint& p : *eoc)
        EXPECT_TRUE(std::isfinite(p.sigma_w) && std::isfinite(p.q) && std::isfinite(p.slope)) << e.name;
    }
    for (const auto& [sw, sb] : kernel_grid) {
      ++cases;
      // Depth 1000 where the kernel settles or vanishes cheaply; growing kernels reach their verdict sooner.
      auto k = kernel_recursion(g, sb * sb, sw * sw, 1.0, full || sw < 1 ? 1000 : 100);
      if (!k) {  // only an activation the quadrature cannot integrate, named as such
        EXPECT_EQ(k.status().field(), "activation") << e.name << ": " << k.status().message();
        continue;
      }
      for (const KernelLayer& L : k->layers) {
        ASSERT_TRUE(std::isfinite(L.K) && std::isfinite(L.chi_par) && std::isfinite(L.chi_perp) &&
                    (std::isfinite(L.r) || L.chi_perp == 0))
            << e.name << " sigma_w " << sw << " sigma_b " << sb << " layer " << L.l;
      }
      EXPECT_TRUE(k->finite || !k->verdict.empty()) << e.name;
    }
    std::vector<std::pair<double, double>> pg = propagate_grid;
    if (!full && cases % 24 == 0) pg.emplace_back(10.0, 0.0);
    for (const auto& [sw, sb] : pg) {
      auto p = propagate(g, {.init = {sw, sb}, .depth = propagate_depth});
      if (!p) {
        EXPECT_EQ(p.status().field(), "activation") << e.name << ": " << p.status().message();
        continue;
      }
      for (const PropagationLayer& L : p->layers)
        ASSERT_TRUE(std::isfinite(L.q) && std::isfinite(L.c) && std::isfinite(L.chi1))
            << e.name << " sigma_w " << sw << " sigma_b " << sb << " layer " << L.l;
      const std::string j = json_dump(p->to_json(), false);
      EXPECT_EQ(j.find("nan"), std::string::npos) << e.name << " sigma_w " << sw << " sigma_b " << sb;
    }
  }
  EXPECT_GT(cases, 150);
}

}  // namespace
}  // namespace actlab::theory
