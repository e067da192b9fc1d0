// The Parzen estimator against Optuna 3.1 (tests/golden/tpe_parzen.json, made by tools/gen_tpe_golden.py with
// the truncnorm −log σ fix of optuna PR #5110): mixture weights, kernel centres and widths, categorical
// kernels and log densities, for every parameter kind; plus the normal tail functions and sampling inside the
// bounds.
#include "search/parzen.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "support/golden.hpp"

namespace actlab::search {
namespace {

using testing::close;

void expect_vec(const std::vector<double>& mine, const Json& ref, const std::string& what) {
  ASSERT_EQ(mine.size(), ref.size()) << what;
  for (std::size_t i = 0; i < mine.size(); ++i) {
    EXPECT_TRUE(close(mine[i], ref[i].get<double>(), 1e-12, 1e-12))
        << what << "[" << i << "] = " << mine[i] << " vs " << ref[i];
  }
}

TEST(Parzen, GammaAndWeightsMatchOptuna) {
  const Json g = testing::read_golden("tpe_parzen.json");
  for (const auto& [n, v] : g["gamma"].items()) EXPECT_EQ(default_gamma(std::stoi(n)), v.get<int>()) << n;
  for (const auto& [n, v] : g["weights"].items())
    expect_vec(default_weights(std::stoi(n)), v, "weights " + n);
}

TEST(Parzen, EstimatorMatchesOptuna) {
  const Json g = testing::read_golden("tpe_parzen.json");
  ASSERT_GE(g["cases"].size(), 10u);
  for (const Json& c : g["cases"]) {
    SCOPED_TRACE(c["label"].get<std::string>());
    auto space = Space::from_json(c["space"]);
    ASSERT_TRUE(space) << space.status().message();
    std::vector<std::size_t> dims;
    for (std::size_t i = 0; i < space->size(); ++i) dims.push_back(i);
    ParzenOptions o;
    o.multivariate = c["multivariate"].get<bool>();
    const ParzenEstimator est(*space, dims, c["observations"].get<std::vector<std::vector<double>>>(), o);
    expect_vec(est.weights(), c["weights"], "weights");
    for (std::size_t k = 0; k < dims.size(); ++k) {
      const Json& d = c["dims"][k];
      if (d.contains("mus")) {
        expect_vec(est.mus(k), d["mus"], "mus");
        expect_vec(est.sigmas(k), d["sigmas"], "sigmas");
      } else {
        ASSERT_EQ(est.categorical(k).size(), d["categorical"].size());
        for (std::size_t i = 0; i < est.categorical(k).size(); ++i) {
          expect_vec(est.categorical(k)[i], d["categorical"][i], "categorical");
        }
      }
    }
    const auto points = c["points"].get<std::vector<std::vector<double>>>();
    const std::vector<double> batch = est.log_pdf_many(points);
    for (std::size_t p = 0; p < c["points"].size(); ++p) {
      const double ref_batch = c["log_pdf"][p].get<double>();
      if (std::isfinite(ref_batch)) {
        EXPECT_TRUE(close(batch[p], ref_batch, 1e-10, 1e-10))
            << "log_pdf_many " << batch[p] << " vs " << ref_batch;
      } else {
        EXPECT_EQ(batch[p], ref_batch);
      }
    }
    for (std::size_t p = 0; p < c["points"].size(); ++p) {
      const double mine = est.log_pdf(c["points"][p].get<std::vector<double>>());
      const double ref = c["log_pdf"][p].get<double>();
      EXPECT_TRUE(close(mine, ref, 1e-10, 1e-10))
          << "point " << c["points"][p] << ": " << mine << " vs " << ref;
    }
  }
}

TEST(Parzen, CategoricalKernelByHand) {
  // n = 2 observations {0, 0} of a 4-choice parameter: fill p/(n+1) = 1/3 per cell, +1 at the observation,
  // row sum 1 + 4/3 = 7/3, so k_i = (4/7, 1/7, 1/7, 1/7); prior row 1/4. Weights (1, 1, 1)/3.
  Space s;
  ASSERT_TRUE(s.add_categorical("c", {"a", "b", "c", "d"}));
  const ParzenEstimator est(s, {0}, {{0.0, 0.0}}, {});
  EXPECT_NEAR(est.categorical(0)[0][0], 4.0 / 7, 1e-15);
  EXPECT_NEAR(est.categorical(0)[1][3], 1.0 / 7, 1e-15);
  EXPECT_NEAR(est.categorical(0)[2][2], 0.25, 1e-15);
  // l(a) = 2/3 · 4/7 + 1/3 · 1/4 = 8/21 + 1/12.
  EXPECT_NEAR(std::exp(est.log_pdf({0.0})), 8.0 / 21 + 1.0 / 12, 1e-14);
}

TEST(Parzen, CategoricalLogPmfIsTheMixture) {
  // The closed form against log_pdf of the estimator (kernel by kernel), for no, few and ramped observations
  // and several prior weights; they agree to rounding.
  Rng rng(3);
  for (std::size_t C : {1u, 2u, 7u, 48u}) {
    Space s;
    std::vector<std::string> choices;
    for (std::size_t c = 0; c < C; ++c) choices.push_back(std::string(1, 'c').append(std::to_string(c)));
    ASSERT_TRUE(s.add_categorical("x", choices));
    for (int n : {0, 1, 5, 24, 25, 26, 300}) {
      for (double prior : {1.0, 0.3, 4.0}) {
        std::vector<double> obs(static_cast<std::size_t>(n));
        for (double& x : obs) x = static_cast<double>(rng.below(std::min<std::size_t>(C, 3 + n % 5)));
        ParzenOptions o;
        o.prior_weight = prior;
        const ParzenEstimator est(s, {0}, {obs}, o);
        const std::vector<double> table = categorical_log_pmf(C, obs, o);
        ASSERT_EQ(table.size(), C);
        for (std::size_t c = 0; c < C; ++c) {
          EXPECT_NEAR(table[c], est.log_pdf({static_cast<double>(c)}), 1e-13)
              << "C " << C << " n " << n << " prior " << prior << " choice " << c;
        }
      }
    }
  }
}

TEST(Parzen, LogPdfManyIsLogPdfWithinItsTolerance) {
  // Large mixtures (1000 observations) of every kind of parameter, independent and multivariate: the batch
  // densities agree with log_pdf within log_pdf_tolerance, at points drawn from the mixture and at the
  // bounds.
  Space s;
  ASSERT_TRUE(s.add_float("x", -5, 5));
  ASSERT_TRUE(s.add_float("lr", 1e-4, 10, /*log=*/true));
  ASSERT_TRUE(s.add_float("q", 0, 1, false, 0.125));
  ASSERT_TRUE(s.add_int("w", 1, 64));
  ASSERT_TRUE(s.add_int("lw", 1, 1024, /*log=*/true));
  ASSERT_TRUE(s.add_categorical("c", {"a", "b", "c", "d"}));
  Rng rng(7);
  for (bool multivariate : {false, true}) {
    for (std::size_t n : {0u, 1u, 30u, 1000u}) {
      std::vector<std::vector<double>> obs(s.size(), std::vector<double>(n));
      for (std::size_t i = 0; i < n; ++i) {
        // Clustered observations (as TPE's are late in a study) with a few outliers.
        Rng r = rng.split(i);
        const Params p = {
            std::clamp(1.0 + 0.01 * r.normal(), -5.0, 5.0), i % 10 == 0 ? 5.0 : 1e-3,
            0.125 * static_cast<double>(r.below(9)),        static_cast<double>(1 + r.below(64)),
            static_cast<double>(1 + r.below(1024)),         static_cast<double>(r.below(4))};
        for (std::size_t k = 0; k < s.size(); ++k) obs[k][i] = p[k];
      }
      ParzenOptions o;
      o.multivariate = multivariate;
      std::vector<std::vector<std::size_t>> groups;
      if (multivariate) {
        groups.push_back({0, 1, 2, 3, 4, 5});
      } else {
        for (std::size_t k = 0; k < s.size(); ++k) groups.push_back({k});
      }
      for (const auto& dims : groups) {
        std::vector<std::vector<double>> o_dims;
        for (std::size_t k : dims) o_dims.push_back(obs[k]);
        const ParzenEstimator est(s, dims, o_dims, o);
        auto points = est.sample(rng, 50);
        std::vector<double> lo, hi;
        for (std::size_t k : dims) {
          lo.push_back(s[k].dist.kind == ParamKind::kCategorical ? 0 : s[k].dist.low);
          hi.push_back(s[k].dist.kind == ParamKind::kCategorical ? 3 : s[k].dist.high);
        }
        points.push_back(lo);
        points.push_back(hi);
        const std::vector<double> batch = est.log_pdf_many(points);
        for (std::size_t p = 0; p < points.size(); ++p) {
          const double exact = est.log_pdf(points[p]);
          ASSERT_TRUE(std::isfinite(exact));
          EXPECT_LE(std::fabs(batch[p] - exact), est.log_pdf_tolerance(exact))
              << "n " << n << " multivariate " << multivariate << " dim " << dims[0] << " point " << p;
          EXPECT_LE(std::fabs(batch[p] - exact), 1e-9 * (1 + std::fabs(exact)));
        }
      }
    }
  }
}

TEST(Parzen, NormalTails) {
  EXPECT_NEAR(log_ndtr(0.0), std::log(0.5), 1e-15);
  EXPECT_NEAR(log_ndtr(-30.0), -454.32124395634315, 1e-9);  // −a²/2 − log(−a√(2π)) + log(1 − 1/a² + 3/a⁴ …)
  EXPECT_NEAR(log_ndtr(8.0), -6.22096057427178e-16, 1e-28);
  EXPECT_NEAR(log_gauss_mass(-1, 1), std::log(0.6826894921370859), 1e-14);
  // Far in the right tail the mass is tiny but its log is finite and matches the left-tail mirror.
  EXPECT_NEAR(log_gauss_mass(40, 41), log_gauss_mass(-41, -40), 1e-12);
  EXPECT_TRUE(std::isfinite(log_gauss_mass(40, 41)));
}

TEST(Parzen, SamplesStayInsideTheDomain) {
  Space s;
  ASSERT_TRUE(s.add_float("x", 1e-3, 10, true));
  ASSERT_TRUE(s.add_int("n", 0, 20, false, 2));
  ASSERT_TRUE(s.add_float("y", 0, 1, false, 0.25));
  const ParzenEstimator est(s, {0, 1, 2}, {{0.01, 9.0}, {0.0, 20.0}, {0.0, 1.0}}, {});
  Rng rng(5);
  for (const auto& x : est.sample(rng, 500)) {
    EXPECT_TRUE(s.contains(0, x[0])) << x[0];
    EXPECT_TRUE(s.contains(1, x[1])) << x[1];
    EXPECT_TRUE(s.contains(2, x[2])) << x[2];
  }
}

}  // namespace
}  // namespace actlab::search
