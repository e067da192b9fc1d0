// Oracles: closed forms (the ReLU arc-cosine kernel, Cho & Saul 2009; the erf kernels, Williams 1997; GELU
// and RePU; docs/theory.md, "Numerical method and its accuracy"), brute-force Simpson integrals and seeded
// Monte Carlo.
#include "theory/gaussian.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numbers>
#include <span>
#include <vector>

#include "activations/activation.hpp"
#include "core/rng.hpp"

namespace actlab::theory {
namespace {

using activations::Activation;
constexpr double kPi = std::numbers::pi;

GaussianIntegrator integrator(const char* spec) {
  auto act = Activation::make(spec);
  EXPECT_TRUE(act.has_value()) << spec << ": " << act.status().message();
  auto g = GaussianIntegrator::make(*act);
  EXPECT_TRUE(g.has_value()) << spec;
  return std::move(g).value();
}

void expect_rel(double got, double want, double rel, const char* what) {
  EXPECT_NEAR(got, want, rel * std::max(std::abs(want), 1e-300)) << what;
}

// E[φ^(k)(√q Z)^2] by composite Simpson with 10^6 intervals on z ∈ [−12, 12].
double simpson_moment(const Activation& act, double q, int k) {
  const int n = 1'000'000;
  const double h = 2 * kZMax / n;
  std::vector<double> x(n + 1), out[3];
  for (auto& o : out) o.resize(n + 1);
  for (int i = 0; i <= n; ++i) x[i] = std::sqrt(q) * (-kZMax + i * h);
  std::array<double*, 3> p = {out[0].data(), out[1].data(), out[2].data()};
  act.kernel().eval(std::span<const double>(x), std::span<double* const>(p));
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double z = -kZMax + i * h, g = out[k][i];
    const double wt = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    sum += wt * g * g * std::exp(-0.5 * z * z);
  }
  return sum * h / 3.0 / std::sqrt(2 * kPi);
}

TEST(Gaussian, RowWiseIsAnError) {
  auto act = Activation::make("softmax");
  ASSERT_TRUE(act.has_value());
  auto g = GaussianIntegrator::make(*act);
  ASSERT_FALSE(g.has_value());
  EXPECT_TRUE(g.status().is_bad_input());
}

TEST(Gaussian, KinksAreCached) {
  EXPECT_EQ(integrator("relu").kinks(), std::vector<double>{0.0});
  EXPECT_EQ(integrator("hardtanh").kinks(), (std::vector<double>{-1.0, 1.0}));
  EXPECT_TRUE(integrator("tanh").kinks().empty());
}

TEST(Gaussian, LinearIsExact) {
  auto g = integrator("linear");
  for (double q : {0.0, 0.3, 1.0, 7.5, 25.0}) {
    Moments m = g.expect(q);
    EXPECT_NEAR(m.phi, 0.0, 1e-15);
    expect_rel(m.phi2, q, 1e-13, "E x^2");
    expect_rel(m.dphi2, 1.0, 1e-13, "E 1");
    expect_rel(m.u_phi_dphi, q, 1e-13, "E u x");
    for (double c : {-0.7, 0.0, 0.5, 0.99}) {
      EXPECT_NEAR(g.expect_product(q, q, c), c * q, 1e-13 * (1 + q));
      EXPECT_NEAR(g.expect_product(q, 2 * q, c), c * std::sqrt(2) * q, 1e-13 * (1 + q));
      EXPECT_NEAR(g.expect_product(q, q, c, Derivative::kFirst), 1.0, 1e-13);
      expect_rel(g.half_sq_diff(q, c), q * (1 - c), 1e-12, "linear 1-c");
    }
  }
}

// Spec §4.4 (ABReLU with a = 0, b = 1) and the arc-cosine kernel J_1; fact 19.
TEST(Gaussian, ReluClosedForms) {
  auto g = integrator("relu");
  for (double q : {0.1, 1.0, 4.0, 25.0}) {
    Moments m = g.expect(q);
    expect_rel(m.phi, std::sqrt(q / (2 * kPi)), 1e-13, "E relu");
    expect_rel(m.phi2, q / 2, 1e-13, "E relu^2");
    expect_rel(m.dphi2, 0.5, 1e-13, "E relu'^2");
    EXPECT_EQ(m.d2phi2, 0.0);
    expect_rel(m.u_phi_dphi, q / 2, 1e-13, "E u relu relu'");
    for (double c : {-0.9, -0.3, 0.0, 0.5, 0.9, 0.99}) {
      const double th = std::acos(c);
      for (double q2 : {q, 2.5 * q}) {
        const double j1 = std::sqrt(1 - c * c) + (kPi - th) * c;
        expect_rel(g.expect_product(q, q2, c), std::sqrt(q * q2) / (2 * kPi) * j1, 1e-10, "relu relu");
        expect_rel(g.expect_product(q, q2, c, Derivative::kFirst), (kPi - th) / (2 * kPi), 1e-10,
                   "step step");
      }
    }
  }
  EXPECT_NEAR(g.expect_product(1, 1, 0.5), 0.3044988905, 1e-10);   // fact 19
  EXPECT_NEAR(g.expect_product(1, 1, 0.0), 1 / (2 * kPi), 1e-12);  // fact 3: f(0) = 1/π with σ_w² = 2
}

// Spec §4.4 (Williams 1997) and fact 18.
TEST(Gaussian, ErfClosedForms) {
  auto g = integrator("erf");
  for (double q : {0.2, 1.0, 3.0, 10.0}) {
    Moments m = g.expect(q);
    expect_rel(m.phi2, 2 / kPi * std::asin(2 * q / (1 + 2 * q)), 1e-12, "E erf^2");
    expect_rel(m.dphi2, 4 / kPi / std::sqrt(1 + 4 * q), 1e-12, "E erf'^2");
    for (double c : {-0.5, 0.3, 0.9}) {
      for (double q2 : {q, 0.4 * q}) {
        const double q12 = c * std::sqrt(q * q2), d = (1 + 2 * q) * (1 + 2 * q2);
        expect_rel(g.expect_product(q, q2, c), 2 / kPi * std::asin(2 * q12 / std::sqrt(d)), 1e-12, "erf erf");
        expect_rel(g.expect_product(q, q2, c, Derivative::kFirst), 4 / kPi / std::sqrt(d - 4 * q12 * q12),
                   1e-12, "erf' erf'");
      }
    }
  }
  EXPECT_NEAR(g.expect_product(0.5, 0.5, 0.3), 0.095854739541, 1e-12);
  EXPECT_NEAR(g.expect_product(2, 2, 0.9), 0.511716449308, 1e-12);
}

// Spec §4.4 (T20), GELU kernel for general variances.
TEST(Gaussian, GeluClosedForm) {
  auto g = integrator("gelu");
  auto exact = [](double q11, double q22, double q12) {
    const double d = std::sqrt((q11 + 1) * (q22 + 1) - q12 * q12), al = std::atan2(q12, d);
    return q12 / 4 + ((q12 * q12 + q11 * q22 * d * d) / ((q11 + 1) * (q22 + 1) * d) + q12 * al) / (2 * kPi);
  };
  for (auto [q1, q2, c] : {std::array{0.5, 0.5, 0.3}, {2.0, 2.0, 0.9}, {1.0, 1.0, -0.5}, {1.0, 3.0, 0.7}}) {
    expect_rel(g.expect_product(q1, q2, c), exact(q1, q2, c * std::sqrt(q1 * q2)), 1e-12, "gelu gelu");
  }
  for (double q : {0.5, 2.0, 10.0}) expect_rel(g.expect(q).phi2, exact(q, q, q), 1e-12, "E gelu^2");
}

// RePU closed forms (docs/theory.md, "Effective theory"): ⟨σ²⟩ = (2p−1)!! K^p/2, χ∥/C_W = p(2p−1)!!
// K^(p−1)/2, χ⊥/C_W = p²(2p−3)!! K^(p−1)/2.
TEST(Gaussian, RepuTable) {
  auto dfact = [](int n) {
    double r = 1;
    for (int k = n; k > 1; k -= 2) r *= k;
    return r;
  };
  for (int p = 1; p <= 4; ++p) {
    auto act = Activation::make("repu", {{"p", p}});
    ASSERT_TRUE(act.has_value());
    auto g = GaussianIntegrator::make(*act).value();
    for (double k : {0.5, 2.3}) {
      Moments m = g.expect(k);
      expect_rel(m.phi2, dfact(2 * p - 1) * std::pow(k, p) / 2, 1e-12, "repu <s^2>");
      expect_rel(m.u_phi_dphi / k, p * dfact(2 * p - 1) * std::pow(k, p - 1) / 2, 1e-12, "repu chi_par");
      expect_rel(m.dphi2, p * p * dfact(2 * p - 3) * std::pow(k, p - 1) / 2, 1e-12, "repu chi_perp");
    }
  }
}

// docs/theory.md, "Effective theory": χ⊥ of tanh at K = 1 is 0.4644029 (7 digits); fact 19.
TEST(Gaussian, TanhReferenceValues) {
  auto g = integrator("tanh");
  EXPECT_NEAR(g.expect(1.0).dphi2, 0.4644029, 5e-8);
  EXPECT_NEAR(g.expect_product(0.512, 0.512, 0.5), 0.1347901060, 1e-10);
}

// Spec §4.1: at σ_b = 5 (q ≈ 25) φ'(√q z)² lives in |z| ≲ 1/√q, which fixed Gauss–Hermite nodes miss.
TEST(Gaussian, TanhLargeQAgainstSimpson) {
  auto act = Activation::make("tanh").value();
  auto g = GaussianIntegrator::make(act).value();
  for (double q : {25.0, 400.0}) {
    Moments m = g.expect(q);
    expect_rel(m.phi2, simpson_moment(act, q, 0), 1e-12, "tanh^2");
    expect_rel(m.dphi2, simpson_moment(act, q, 1), 1e-11, "tanh'^2");
    expect_rel(m.d2phi2, simpson_moment(act, q, 2), 1e-10, "tanh''^2");
  }
}

// hardtanh: E φ² = q (erf(t/√2) − 2t φ_N(t)) + erfc(t/√2), E φ'² = erf(t/√2), t = 1/√q.
TEST(Gaussian, HardtanhClosedFormAndConsistency) {
  auto g = integrator("hardtanh");
  for (double q : {0.2, 1.0, 5.0, 25.0}) {
    const double t = 1 / std::sqrt(q), pdf = std::exp(-t * t / 2) / std::sqrt(2 * kPi);
    Moments m = g.expect(q);
    expect_rel(m.phi2, q * (std::erf(t / std::sqrt(2)) - 2 * t * pdf) + std::erfc(t / std::sqrt(2)), 1e-13,
               "E hardtanh^2");
    expect_rel(m.dphi2, std::erf(t / std::sqrt(2)), 1e-13, "E hardtanh'^2");
    // Two independent routes to E φ² − E φ(u1)φ(u2).
    for (double c : {0.0, 0.5, 0.9}) {
      expect_rel(g.half_sq_diff(q, c), m.phi2 - g.expect_product(q, q, c), 1e-10, "hardtanh 1-c");
      expect_rel(g.half_sq_diff(q, c, Derivative::kFirst),
                 m.dphi2 - g.expect_product(q, q, c, Derivative::kFirst), 1e-10, "hardtanh' 1-c");
    }
  }
}

// Spec §4.3: E φ² − E φ(u1)φ(u2) at c = 1 − ε = q ε E φ'² − q² ε² E φ''²/2 + O(ε³) (Price's theorem).
TEST(Gaussian, StableDifferenceNearOneSmooth) {
  for (const char* spec : {"tanh", "x*sigmoid(x)", "gelu"}) {
    auto g = integrator(spec);
    for (double q : {0.5, 2.0}) {
      Moments m = g.expect(q);
      for (double e : {1e-4, 1e-6, 1e-8}) {
        const double c = 1 - e, eps = 1 - c;  // the ε the double c carries
        const double taylor = q * eps * m.dphi2 - q * q * eps * eps * m.d2phi2 / 2;
        expect_rel(g.half_sq_diff(q, c), taylor, 1e-7 * eps / 1e-4 + 1e-11, spec);
      }
      expect_rel(g.half_sq_diff(q, 0.5), m.phi2 - g.expect_product(q, q, 0.5), 1e-12, spec);
    }
  }
}

// Spec §4.3 item 4: for ReLU, E φ² − E φ(u1)φ(u2) = q (π ε − J(θ)) / (2π), θ = 2 asin(√(ε/2)),
// J(θ) = sin θ − θ cos θ (series for small θ).
TEST(Gaussian, StableDifferenceNearOneRelu) {
  auto g = integrator("relu");
  auto jfun = [](double th) {
    if (th < 1e-2) {
      const double t2 = th * th;
      return th * t2 * (1.0 / 3 - t2 / 30 + t2 * t2 / 840 - t2 * t2 * t2 / 45360);
    }
    return std::sin(th) - th * std::cos(th);
  };
  for (double q : {1.0, 9.0}) {
    for (double e : {1e-1, 1e-3, 1e-6, 1e-9}) {
      const double c = 1 - e, eps = 1 - c;  // the ε the double c carries
      const double th = 2 * std::asin(std::sqrt(eps / 2));
      expect_rel(g.half_sq_diff(q, c), q * (kPi * eps - jfun(th)) / (2 * kPi), 1e-10, "relu 1-c");
      // φ' = step: E[(step(u1) − step(u2))²]/2 = θ/(2π).
      expect_rel(g.half_sq_diff(q, c, Derivative::kFirst), th / (2 * kPi), 1e-10, "step 1-c");
    }
  }
}

// Monte Carlo with 2·10^5 seeded samples; tolerance 5 standard errors of the sample mean.
TEST(Gaussian, MonteCarloSwishGelu) {
  constexpr int kN = 200'000;
  for (const char* spec : {"x*sigmoid(x)", "gelu"}) {
    auto act = Activation::make(spec).value();
    auto g = GaussianIntegrator::make(act).value();
    for (auto [q1, q2, c] : {std::array{1.0, 1.0, 0.5}, {3.0, 0.5, -0.4}, {10.0, 10.0, 0.95}}) {
      Rng rng(12345);
      std::vector<double> x1(kN), x2(kN), y1(kN), y2(kN), d1(kN), d2(kN), s1(kN), s2(kN);
      for (int i = 0; i < kN; ++i) {
        const double z1 = rng.normal(), z2 = rng.normal();
        x1[i] = std::sqrt(q1) * z1;
        x2[i] = std::sqrt(q2) * (c * z1 + std::sqrt(1 - c * c) * z2);
      }
      std::array<double*, 3> p1 = {y1.data(), d1.data(), s1.data()}, p2 = {y2.data(), d2.data(), s2.data()};
      act.kernel().eval(std::span<const double>(x1), std::span<double* const>(p1));
      act.kernel().eval(std::span<const double>(x2), std::span<double* const>(p2));
      for (int k = 0; k < 2; ++k) {
        const auto &a = k ? d1 : y1, &b = k ? d2 : y2;
        double sum = 0, sum2 = 0;
        for (int i = 0; i < kN; ++i) {
          sum += a[i] * b[i];
          sum2 += a[i] * b[i] * a[i] * b[i];
        }
        const double mean = sum / kN, se = std::sqrt((sum2 / kN - mean * mean) / kN);
        EXPECT_NEAR(g.expect_product(q1, q2, c, k ? Derivative::kFirst : Derivative::kValue), mean, 5 * se)
            << spec << " q1=" << q1 << " q2=" << q2 << " c=" << c << " k=" << k;
      }
    }
  }
}

TEST(Gaussian, EdgeCases) {
  auto g = integrator("tanh");
  EXPECT_TRUE(std::isnan(g.expect(-1).phi2));
  EXPECT_TRUE(std::isnan(g.expect_product(1, 1, 1.5)));
  EXPECT_EQ(g.expect(0).phi2, 0.0);
  EXPECT_EQ(g.half_sq_diff(1, 1), 0.0);
  // c = 1 reduces to the 1-D moment; c = −1 to E φ(u) φ(−u) = −E φ² for odd φ.
  expect_rel(g.expect_product(2, 2, 1), g.expect(2).phi2, 1e-13, "c=1");
  expect_rel(g.expect_product(2, 2, -1), -g.expect(2).phi2, 1e-13, "c=-1");
}

}  // namespace
}  // namespace actlab::theory

namespace actlab::theory {
namespace {

// Spec §1 "Hermite form": E φ(u1) φ(u2) = Σ_k a_k² c^k (fact 19: tanh at q = 0.512, c = 0.5) and Parseval
// Σ a_k² = E φ². ReLU: a_0 = √q/√(2π), a_1 = √q/2 (E relu(√q Z) Z = √q/2).
TEST(Gaussian, HermiteCoefficients) {
  auto g = integrator("tanh");
  const auto a = g.hermite_coefficients(0.512, 60);
  ASSERT_EQ(a.size(), 61u);
  double s = 0.0, p = 0.0;
  for (int k = 60; k >= 0; --k) s = s * 0.5 + a[k] * a[k];
  for (double ak : a) p += ak * ak;
  EXPECT_NEAR(s, 0.1347901060, 1e-10);
  EXPECT_NEAR(p, g.expect(0.512).phi2, 1e-13);
  auto r = integrator("relu");
  const auto b = r.hermite_coefficients(2.0, 3);
  EXPECT_NEAR(b[0], std::sqrt(2.0) / std::sqrt(2 * kPi), 1e-14);
  EXPECT_NEAR(b[1], std::sqrt(2.0) / 2, 1e-14);
  EXPECT_NEAR(b[3], 0.0, 1e-14);  // odd k ≥ 3 vanish for ReLU
  EXPECT_TRUE(g.hermite_coefficients(-1.0, 3).empty());
  EXPECT_TRUE(g.hermite_coefficients(1.0, 201).empty());
  // E φ⁴ and Var φ² (vertex source): ReLU E relu⁴ = 3q²/2, Var relu² = 3q²/2 − q²/4.
  const Moments m = r.expect(2.0);
  EXPECT_NEAR(m.phi4, 6.0, 1e-13);
  EXPECT_NEAR(m.var_phi2, 5.0, 1e-13);
}

// `theory expect`'s value: the Moments at q, the two-point products at (q, q, c) when c is given (ReLU's
// arc-cosine kernel), and field-named errors.
TEST(Gaussian, ExpectationsValue) {
  auto r = integrator("relu");
  const double q = 2, c = 0.5;
  auto e = expectations(r, q, c);
  ASSERT_TRUE(e.has_value()) << e.status().message();
  EXPECT_NEAR(e->moments.phi2, q / 2, 1e-13);
  ASSERT_TRUE(e->phi_phi && e->dphi_dphi);
  EXPECT_NEAR(*e->phi_phi, q / (2 * kPi) * (std::sqrt(1 - c * c) + (kPi - std::acos(c)) * c), 1e-12);
  EXPECT_NEAR(*e->dphi_dphi, (kPi - std::acos(c)) / (2 * kPi), 1e-12);
  const Json j = e->to_json();
  EXPECT_EQ(j.begin().key(), "q");
  EXPECT_TRUE(j.contains("E_dphi_dphi"));
  auto plain = expectations(r, q);
  ASSERT_TRUE(plain.has_value());
  EXPECT_FALSE(plain->to_json().contains("c"));
  EXPECT_EQ(expectations(r, -1.0).status().field(), "q");
  EXPECT_EQ(expectations(r, 1.0, 2.0).status().field(), "c");
}

}  // namespace
}  // namespace actlab::theory
