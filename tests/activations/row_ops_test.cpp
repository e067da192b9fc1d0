// Tests for activations/row_ops.hpp: softmax, softmin, log_softmax and gumbel_softmax over one row.
//
// Checked against things this code did not produce:
//   - PyTorch (tests/golden/torch_activations.json, "rowwise"): forward values f, and grad = d/dx Σ w·f(x),
//   which
//     row_backward must reproduce as Jᵀw;
//   - central finite differences of row_forward: the full gradient of Σ w·f, Jacobian-vector products, and
//   the
//     diagonals ∂y_i/∂x_i and ∂²y_i/∂x_i² of row_diagonal (gumbel with its noise held fixed by copying the
//     Rng);
//   - PyTorch's Monte Carlo mean and spread of F.gumbel_softmax on one row ("gumbel_softmax"), compared
//   within
//     5 combined standard errors.
#include "activations/row_ops.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/rng.hpp"
#include "support/golden.hpp"

namespace actlab::activations {
namespace {

using Vec = std::vector<double>;

Vec to_vec(const Json& j) {
  Vec v;
  for (const Json& e : j) v.push_back(json_to_double(e));
  return v;
}

RowOp op_named(const std::string& name) {
  if (name == "softmax") return RowOp::kSoftmax;
  if (name == "softmin") return RowOp::kSoftmin;
  if (name == "log_softmax") return RowOp::kLogSoftmax;
  ADD_FAILURE() << "unexpected row op in the golden file: " << name;
  return RowOp::kNone;
}

Vec forward(RowOp op, const Vec& x, double tau = 1.0, Rng* rng = nullptr) {
  Vec y(x.size());
  row_forward<double>(op, x, y, tau, rng);
  return y;
}

Vec backward(RowOp op, const Vec& y, const Vec& dy, double tau = 1.0) {
  Vec dx(y.size(), 0.0);
  row_backward<double>(op, y, dy, dx, tau);
  return dx;
}

// Probabilities behind a forward output (log_softmax gives log-probabilities).
Vec probabilities(RowOp op, const Vec& y) {
  Vec p = y;
  if (op == RowOp::kLogSoftmax) {
    for (double& v : p) v = std::exp(v);
  }
  return p;
}

struct GoldenRow {
  std::string name;
  RowOp op;
  Vec x, w, f, grad;
};

// A reference to the one parsed copy: callers may keep references into it (golden_rows().front()); returning
// a copy made such a reference dangle (ASan: heap-use-after-free in BackwardAddsIntoTheGradientBuffer).
const std::vector<GoldenRow>& golden_rows() {
  static const std::vector<GoldenRow> rows = [] {
    std::vector<GoldenRow> out;
    const Json g = actlab::testing::read_golden("torch_activations.json");
    for (const Json& entry : g.at("rowwise")) {
      const std::string name = entry.at("name").get<std::string>();
      const RowOp op = op_named(name);
      for (std::size_t r = 0; r < entry.at("rows").size(); ++r) {
        out.push_back({name, op, to_vec(entry.at("rows")[r]), to_vec(entry.at("weights")[r]),
                       to_vec(entry.at("f")[r]), to_vec(entry.at("grad")[r])});
      }
    }
    return out;
  }();
  return rows;
}

std::string describe(const GoldenRow& row, std::size_t i) {
  std::string s = row.name + " row [";
  for (std::size_t j = 0; j < row.x.size(); ++j) s += (j ? ", " : "") + std::to_string(row.x[j]);
  return s + "] element " + std::to_string(i);
}

TEST(RowOps, GoldenFileHasAllThreeOps) {
  const auto& rows = golden_rows();
  for (const char* name : {"softmax", "softmin", "log_softmax"}) {
    EXPECT_GE(std::count_if(rows.begin(), rows.end(), [&](const GoldenRow& r) { return r.name == name; }), 5)
        << name;
  }
  for (const GoldenRow& r : rows) {
    ASSERT_EQ(r.w.size(), r.x.size());
    ASSERT_EQ(r.f.size(), r.x.size());
    ASSERT_EQ(r.grad.size(), r.x.size());
  }
}

TEST(RowOps, ForwardMatchesTorch) {
  for (const GoldenRow& row : golden_rows()) {
    const Vec y = forward(row.op, row.x);
    for (std::size_t i = 0; i < y.size(); ++i) {
      EXPECT_TRUE(actlab::testing::close(y[i], row.f[i], 1e-12, 1e-300))
          << describe(row, i) << ": " << y[i] << " vs torch " << row.f[i];
    }
  }
}

TEST(RowOps, FloatForwardMatchesTorch) {
  for (const GoldenRow& row : golden_rows()) {
    const std::vector<float> x(row.x.begin(), row.x.end());
    std::vector<float> y(x.size());
    row_forward<float>(row.op, x, y);
    for (std::size_t i = 0; i < y.size(); ++i) {
      // float: relative 1e-6 of the value (log_softmax: of the row's largest |x|, the size of its terms).
      const double scale =
          row.op == RowOp::kLogSoftmax
              ? std::max(1.0, std::fabs(*std::max_element(
                                  row.x.begin(), row.x.end(),
                                  [](double a, double b) { return std::fabs(a) < std::fabs(b); })))
              : std::fabs(row.f[i]);
      EXPECT_NEAR(y[i], row.f[i], 1e-6 * scale + 1e-37) << describe(row, i);
    }
  }
}

// Rounding budget of Jᵀw: the dot product Σ_j w_j p_j is rounded relative to Σ|w_j p_j| ≤ max|w|.
double backward_atol(const GoldenRow& row, const Vec& p, std::size_t i) {
  double wmax = 0, wsum = 0;
  for (double v : row.w) wmax = std::max(wmax, std::fabs(v)), wsum += std::fabs(v);
  return 1e-13 * (p[i] * wmax + (row.op == RowOp::kLogSoftmax ? std::fabs(row.w[i]) + p[i] * wsum : 0.0));
}

TEST(RowOps, BackwardMatchesTorch) {
  for (const GoldenRow& row : golden_rows()) {
    const Vec y = forward(row.op, row.x);
    const Vec dx = backward(row.op, y, row.w);
    const Vec p = probabilities(row.op, y);
    for (std::size_t i = 0; i < dx.size(); ++i) {
      EXPECT_TRUE(actlab::testing::close(dx[i], row.grad[i], 1e-12, backward_atol(row, p, i)))
          << describe(row, i) << ": " << dx[i] << " vs torch " << row.grad[i];
    }
  }
}

TEST(RowOps, BackwardAddsIntoTheGradientBuffer) {
  const GoldenRow& row = golden_rows().front();
  const Vec y = forward(row.op, row.x);
  Vec dx(y.size(), 1.0);
  row_backward<double>(row.op, y, row.w, dx);
  row_backward<double>(row.op, y, row.w, dx);
  const Vec once = backward(row.op, y, row.w);
  for (std::size_t i = 0; i < dx.size(); ++i) EXPECT_NEAR(dx[i], 1.0 + 2 * once[i], 1e-15) << i;
}

// ---- finite differences
// -----------------------------------------------------------------------------------------

// Gradient of L(x) = Σ_j w_j f_j(x) by central differences, coordinate by coordinate.
Vec fd_gradient(RowOp op, const Vec& x, const Vec& w, double h, double tau = 1.0,
                const Rng* noise = nullptr) {
  auto loss = [&](const Vec& at) {
    Rng r = noise ? *noise : Rng(0);  // the same noise for every evaluation
    const Vec y = forward(op, at, tau, noise ? &r : nullptr);
    return std::inner_product(y.begin(), y.end(), w.begin(), 0.0);
  };
  Vec g(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    Vec p = x, m = x;
    p[i] += h;
    m[i] -= h;
    g[i] = (loss(p) - loss(m)) / (2 * h);
  }
  return g;
}

TEST(RowOps, BackwardMatchesFiniteDifferences) {
  const double h = 1e-5;
  for (const GoldenRow& row : golden_rows()) {
    const Vec y = forward(row.op, row.x);
    const Vec dx = backward(row.op, y, row.w);
    const Vec fd = fd_gradient(row.op, row.x, row.w, h);
    double wsum = 0;
    for (double v : row.w) wsum += std::fabs(v);
    // Truncation h²·|L'''| ≲ 1e-10·Σ|w|; rounding ~ε·|L|/h with |L| up to 2000·Σ|w| for log_softmax rows.
    double lmax = 0;
    for (std::size_t j = 0; j < y.size(); ++j) lmax += std::fabs(row.w[j] * y[j]);
    const double tol = 1e-9 * wsum + 8 * 2.2e-16 * lmax / h;
    for (std::size_t i = 0; i < dx.size(); ++i) {
      EXPECT_NEAR(dx[i], fd[i], tol + 1e-6 * std::fabs(fd[i])) << describe(row, i);
    }
  }
}

TEST(RowOps, JacobianVectorProductsMatchFiniteDifferences) {
  Rng rng(42);
  const double h = 1e-5;
  for (const GoldenRow& row : golden_rows()) {
    const std::size_t n = row.x.size();
    const Vec y = forward(row.op, row.x);
    for (int trial = 0; trial < 3; ++trial) {
      Vec v(n);
      for (double& e : v) e = rng.uniform(-1.0, 1.0);
      // (Jv)_i = (Jᵀe_i)·v, one row_backward per output.
      Vec jv(n);
      for (std::size_t i = 0; i < n; ++i) {
        Vec e(n, 0.0);
        e[i] = 1.0;
        const Vec col = backward(row.op, y, e);
        jv[i] = std::inner_product(col.begin(), col.end(), v.begin(), 0.0);
      }
      Vec xp = row.x, xm = row.x;
      for (std::size_t j = 0; j < n; ++j) xp[j] += h * v[j], xm[j] -= h * v[j];
      const Vec yp = forward(row.op, xp), ym = forward(row.op, xm);
      for (std::size_t i = 0; i < n; ++i) {
        const double fd = (yp[i] - ym[i]) / (2 * h);
        const double tol =
            1e-9 + 1e-6 * std::fabs(fd) + 8 * 2.2e-16 * std::max(std::fabs(yp[i]), std::fabs(ym[i])) / h;
        EXPECT_NEAR(jv[i], fd, tol) << describe(row, i) << ", trial " << trial;
      }
    }
  }
}

TEST(RowOps, DiagonalsMatchFiniteDifferences) {
  // Steps that are powers of two, so x ± h is exact; the rounding left is that of y itself, which is computed
  // from terms as large as the row's largest |x| (x_i − m, and log_softmax's x_i − lse).
  const double h1 = 0x1p-17, h2 = 0x1p-13;
  for (const GoldenRow& row : golden_rows()) {
    const std::size_t n = row.x.size();
    const Vec y = forward(row.op, row.x);
    double xmax = 1.0;
    for (double v : row.x) xmax = std::max(xmax, std::fabs(v));
    Vec d1(n), d2(n);
    row_diagonal<double>(row.op, y, d1, d2);
    for (std::size_t i = 0; i < n; ++i) {
      Vec xp = row.x, xm = row.x;
      xp[i] += h1, xm[i] -= h1;
      const double fd1 = (forward(row.op, xp)[i] - forward(row.op, xm)[i]) / (2 * h1);
      EXPECT_NEAR(d1[i], fd1, 1e-9 + 1e-6 * std::fabs(fd1) + 8 * 2.2e-16 * xmax / h1)
          << describe(row, i) << " (d1)";
      xp = row.x, xm = row.x;
      xp[i] += h2, xm[i] -= h2;
      const double fd2 = (forward(row.op, xp)[i] - 2 * y[i] + forward(row.op, xm)[i]) / (h2 * h2);
      EXPECT_NEAR(d2[i], fd2, 1e-6 + 1e-5 * std::fabs(fd2) + 16 * 2.2e-16 * xmax / (h2 * h2))
          << describe(row, i) << " (d2)";
    }
  }
}

// ---- gumbel_softmax
// -------------------------------------------------------------------------------------------

TEST(RowOps, GumbelWithFixedNoiseMatchesFiniteDifferences) {
  const Vec x = {1.0, 0.0, -1.0, 2.0, 0.5};
  const Vec w = {0.3, -1.2, 0.8, 0.5, -0.4};
  for (double tau : {1.0, 0.5, 2.0}) {
    const Rng noise(2024);
    Rng r = noise;
    const Vec y = forward(RowOp::kGumbelSoftmax, x, tau, &r);
    const Vec dx = backward(RowOp::kGumbelSoftmax, y, w, tau);
    const Vec fd = fd_gradient(RowOp::kGumbelSoftmax, x, w, 1e-5, tau, &noise);
    for (std::size_t i = 0; i < x.size(); ++i)
      EXPECT_NEAR(dx[i], fd[i], 1e-9 + 1e-6 * std::fabs(fd[i])) << tau << " " << i;
    Vec d1(x.size()), d2(x.size());
    row_diagonal<double>(RowOp::kGumbelSoftmax, y, d1, d2, tau);
    for (std::size_t i = 0; i < x.size(); ++i) {
      auto yi = [&](double shift, double h) {
        Vec at = x;
        at[i] += shift * h;
        Rng rr = noise;
        return forward(RowOp::kGumbelSoftmax, at, tau, &rr)[i];
      };
      const double fd1 = (yi(1, 1e-5) - yi(-1, 1e-5)) / 2e-5;
      const double fd2 = (yi(1, 1e-4) - 2 * y[i] + yi(-1, 1e-4)) / 1e-8;
      EXPECT_NEAR(d1[i], fd1, 1e-9 + 1e-6 * std::fabs(fd1)) << tau << " " << i;
      EXPECT_NEAR(d2[i], fd2, 1e-6 + 1e-5 * std::fabs(fd2)) << tau << " " << i;
    }
  }
}

TEST(RowOps, GumbelDrawsFreshNoiseAndSumsToOne) {
  const Vec x = {1.0, 0.0, -1.0, 2.0, 0.5};
  Rng rng(5);
  const Vec a = forward(RowOp::kGumbelSoftmax, x, 1.0, &rng);
  const Vec b = forward(RowOp::kGumbelSoftmax, x, 1.0, &rng);
  EXPECT_NE(a, b);
  // Same seed, same draws.
  Rng again(5);
  EXPECT_EQ(forward(RowOp::kGumbelSoftmax, x, 1.0, &again), a);
  for (const Vec& y : {a, b}) {
    EXPECT_NEAR(std::accumulate(y.begin(), y.end(), 0.0), 1.0, 1e-15);
    for (double v : y) EXPECT_TRUE(v >= 0 && v <= 1) << v;
  }
}

TEST(RowOps, GumbelMonteCarloMatchesTorch) {
  const Json g = actlab::testing::read_golden("torch_activations.json").at("gumbel_softmax");
  const Vec row = to_vec(g.at("row"));
  const Vec mean_t = to_vec(g.at("mean")), std_t = to_vec(g.at("std")), se_t = to_vec(g.at("mean_stderr"));
  const double tau = g.contains("tau") ? json_to_double(g.at("tau")) : 1.0;
  const std::size_t n = row.size();
  const int samples = 200000;
  Rng rng(20240601);
  Vec s1(n, 0.0), s2(n, 0.0), s4(n, 0.0), y(n);
  // Two passes would need the draws twice; accumulate raw moments around torch's mean instead (stable
  // enough).
  double worst_sum = 0.0;
  for (int s = 0; s < samples; ++s) {
    row_forward<double>(RowOp::kGumbelSoftmax, row, y, tau, &rng);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(y[i] >= 0 && y[i] <= 1) << y[i];
      total += y[i];
      const double d = y[i] - mean_t[i];
      s1[i] += d;
      s2[i] += d * d;
      s4[i] += d * d * d * d;
    }
    worst_sum = std::max(worst_sum, std::fabs(total - 1.0));
  }
  EXPECT_LT(worst_sum, 1e-14);
  for (std::size_t i = 0; i < n; ++i) {
    const double m1 = s1[i] / samples;  // our mean minus torch's
    const double var = (s2[i] / samples - m1 * m1) * samples / (samples - 1.0);
    const double sd = std::sqrt(var);
    const double se = sd / std::sqrt(static_cast<double>(samples));
    const double mean = mean_t[i] + m1;
    const double z = std::fabs(m1) / std::sqrt(se * se + se_t[i] * se_t[i]);
    EXPECT_LT(z, 5.0) << "column " << i << ": mean " << mean << " vs torch " << mean_t[i] << " (stderr " << se
                      << ", torch " << se_t[i] << ")";
    // The sample standard deviation's own standard error, from the fourth moment: sqrt((m4/σ⁴ − 1)/(4N))·σ.
    const double m4 = s4[i] / samples;  // about torch's mean; m1 is tiny, so close to the central moment
    const double se_sd = std::sqrt(std::max(0.0, m4 / (var * var) - 1.0) / (4.0 * samples)) * sd;
    EXPECT_LT(std::fabs(sd - std_t[i]), 5 * std::sqrt(2.0) * se_sd)
        << "column " << i << ": std " << sd << " vs torch " << std_t[i];
  }
}

// ---- extremes
// ---------------------------------------------------------------------------------------------------

TEST(RowOps, ExtremeRowsStayFinite) {
  const std::vector<Vec> rows = {{1000.0, -1000.0, 0.0}, {-1000.0, -1000.0, -999.0}, {1000.0, 1000.0},
                                 {-1e300, 1e300, 0.0},   {700.0, 710.0, 720.0},      {5.0}};
  Rng rng(8);
  for (const Vec& x : rows) {
    for (RowOp op : {RowOp::kSoftmax, RowOp::kSoftmin, RowOp::kLogSoftmax, RowOp::kGumbelSoftmax}) {
      for (double tau : {1.0, 0.1}) {
        const Vec y = forward(op, x, tau, &rng);
        const Vec p = probabilities(op, y);
        double sum = 0;
        for (std::size_t i = 0; i < y.size(); ++i) {
          EXPECT_TRUE(std::isfinite(y[i])) << static_cast<int>(op) << " element " << i << " = " << y[i];
          EXPECT_GE(p[i], 0.0);
          EXPECT_LE(p[i], 1.0);
          sum += p[i];
        }
        // log_softmax: y = x − lse carries an absolute rounding error of a few ulps of max|x|, and so does
        // log p.
        double xmax = 1.0;
        for (double v : x) xmax = std::max(xmax, std::min(std::fabs(v) / tau, 1e300));
        const double sum_tol = op == RowOp::kLogSoftmax ? 1e-14 + 8 * 2.2e-16 * xmax : 1e-14;
        EXPECT_NEAR(sum, 1.0, sum_tol) << static_cast<int>(op);
        Vec w(x.size());
        for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.5 - static_cast<double>(i);
        const Vec dx = backward(op, y, w, tau);
        for (double v : dx) EXPECT_TRUE(std::isfinite(v)) << static_cast<int>(op);
        Vec d1(x.size()), d2(x.size());
        row_diagonal<double>(op, y, d1, d2, tau);
        for (std::size_t i = 0; i < x.size(); ++i) EXPECT_TRUE(std::isfinite(d1[i]) && std::isfinite(d2[i]));
      }
    }
  }
  // Exact values where the answer is known: softmax of {1000, -1000, 0} is (1, 0, 0); log_softmax is x −
  // 1000.
  const Vec s = forward(RowOp::kSoftmax, {1000.0, -1000.0, 0.0});
  EXPECT_EQ(s, (Vec{1.0, 0.0, 0.0}));
  const Vec ls = forward(RowOp::kLogSoftmax, {1000.0, -1000.0, 0.0});
  EXPECT_EQ(ls[0], 0.0);
  EXPECT_EQ(ls[1], -2000.0);
  EXPECT_EQ(ls[2], -1000.0);
  const Vec sm = forward(RowOp::kSoftmin, {1000.0, 1000.0});
  EXPECT_EQ(sm, (Vec{0.5, 0.5}));
  // Float rows at ±1000 too.
  const std::vector<float> xf = {1000.f, -1000.f, 0.f, 999.f};
  std::vector<float> yf(4);
  row_forward<float>(RowOp::kSoftmax, xf, yf);
  for (float v : yf) EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR(yf[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
}

}  // namespace
}  // namespace actlab::activations
