// Test support: finite-difference gradient check of a double-precision model and loss.
//
//   auto r = check_gradients(model_d, x, labels, nullptr, LossKind::kCrossEntropy);
//   EXPECT_LT(r.max_rel_error, 1e-6) << r.worst;
//
// Central differences, step h·max(1, |θ|), on every parameter element (or an evenly spaced sample of at most
// max_per_param of them). The model is re-seeded before every forward pass so stochastic layers (dropout,
// rrelu, gumbel) draw the same noise in every evaluation and the loss is a deterministic function of θ.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>
#include <string>

#include "nn/loss.hpp"
#include "nn/model.hpp"

namespace actlab::testing {

struct GradientCheck {
  double max_rel_error = 0;  // max over checked elements of |analytic − numeric| / max(1e-3, |a| + |n|)
  std::string worst;         // which element, with both values
  int checked = 0;
};

inline double model_loss(nn::Model<double>& m, const MatrixD& x, std::span<const int> labels,
                         const MatrixD* targets, nn::LossKind kind, nn::Mode mode, MatrixD* dout) {
  m.set_seed(12345);
  const MatrixD& out = m.forward(x, mode);
  return kind == nn::LossKind::kCrossEntropy ? nn::cross_entropy(out, labels, dout)
                                             : nn::mse(out, *targets, dout);
}

inline GradientCheck check_gradients(nn::Model<double>& m, const MatrixD& x, std::span<const int> labels,
                                     const MatrixD* targets, nn::LossKind kind,
                                     nn::Mode mode = nn::Mode::kTrain, double h = 1e-6,
                                     int max_per_param = 40) {
  GradientCheck r;
  MatrixD dout;
  model_loss(m, x, labels, targets, kind, mode, &dout);
  m.zero_grad();
  m.backward(dout);
  auto params = m.params();
  for (std::size_t p = 0; p < params.size(); ++p) {
    nn::Param<double>& prm = *params[p];
    const Eigen::Index n = prm.value.size();
    const Eigen::Index stride = std::max<Eigen::Index>(1, n / max_per_param);
    for (Eigen::Index i = 0; i < n; i += stride) {
      double& v = prm.value.data()[i];
      const double v0 = v, step = h * std::max(1.0, std::abs(v0));
      v = v0 + step;
      const double lp = model_loss(m, x, labels, targets, kind, mode, nullptr);
      v = v0 - step;
      const double lm = model_loss(m, x, labels, targets, kind, mode, nullptr);
      v = v0;
      const double numeric = (lp - lm) / (2 * step), analytic = prm.grad.data()[i];
      const double rel =
          std::abs(analytic - numeric) / std::max(1e-3, std::abs(analytic) + std::abs(numeric));
      ++r.checked;
      if (rel > r.max_rel_error) {
        r.max_rel_error = rel;
        r.worst = "param " + std::to_string(p) + " (" + prm.name + ") [" + std::to_string(i) +
                  "]: analytic " + std::to_string(analytic) + ", numeric " + std::to_string(numeric);
      }
    }
  }
  return r;
}

}  // namespace actlab::testing
