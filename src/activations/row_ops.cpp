#include "activations/row_ops.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace actlab::activations {
namespace {

// y = softmax(s·x + noise) with the max subtracted first.
template <class T>
void softmax_into(std::span<const T> x, std::span<T> y, double scale, const double* noise) {
  double m = -std::numeric_limits<double>::infinity();
  const std::size_t n = x.size();
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = static_cast<T>(scale * (static_cast<double>(x[i]) + (noise ? noise[i] : 0.0)));
    m = std::max(m, static_cast<double>(y[i]));
  }
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = static_cast<T>(std::exp(static_cast<double>(y[i]) - m));
    sum += static_cast<double>(y[i]);
  }
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<T>(static_cast<double>(y[i]) / sum);
}

}  // namespace

template <class T>
void row_forward(RowOp op, std::span<const T> x, std::span<T> y, double tau, Rng* rng) {
  switch (op) {
    case RowOp::kSoftmax: softmax_into(x, y, 1.0, nullptr); return;
    case RowOp::kSoftmin: softmax_into(x, y, -1.0, nullptr); return;
    case RowOp::kLogSoftmax: {
      double m = -std::numeric_limits<double>::infinity();
      for (T v : x) m = std::max(m, static_cast<double>(v));
      double sum = 0.0;
      for (T v : x) sum += std::exp(static_cast<double>(v) - m);
      const double lse = m + std::log(sum);
      for (std::size_t i = 0; i < x.size(); ++i) y[i] = static_cast<T>(static_cast<double>(x[i]) - lse);
      return;
    }
    case RowOp::kGumbelSoftmax: {
      std::vector<double> g(x.size(), 0.0);
      if (rng) {
        for (double& v : g) {
          double u;
          do u = rng->uniform();
          while (u <= 0.0);
          v = -std::log(-std::log(u));
        }
      }
      softmax_into(x, y, 1.0 / tau, g.data());
      return;
    }
    case RowOp::kNone: std::copy(x.begin(), x.end(), y.begin()); return;
  }
}

template <class T>
void row_backward(RowOp op, std::span<const T> y, std::span<const T> dy, std::span<T> dx, double tau) {
  const std::size_t n = y.size();
  if (op == RowOp::kLogSoftmax) {
    double s = 0.0;
    for (std::size_t j = 0; j < n; ++j) s += static_cast<double>(dy[j]);
    for (std::size_t i = 0; i < n; ++i) {
      dx[i] += static_cast<T>(static_cast<double>(dy[i]) - std::exp(static_cast<double>(y[i])) * s);
    }
    return;
  }
  if (op == RowOp::kNone) {
    for (std::size_t i = 0; i < n; ++i) dx[i] += dy[i];
    return;
  }
  const double sign = op == RowOp::kSoftmin ? -1.0 : 1.0;
  const double scale = op == RowOp::kGumbelSoftmax ? 1.0 / tau : 1.0;
  double dot = 0.0;
  for (std::size_t j = 0; j < n; ++j) dot += static_cast<double>(dy[j]) * static_cast<double>(y[j]);
  for (std::size_t i = 0; i < n; ++i) {
    dx[i] += static_cast<T>(sign * scale * static_cast<double>(y[i]) * (static_cast<double>(dy[i]) - dot));
  }
}

template <class T>
void row_diagonal(RowOp op, std::span<const T> y, std::span<T> d1, std::span<T> d2, double tau) {
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double v = static_cast<double>(y[i]);
    switch (op) {
      case RowOp::kLogSoftmax: {
        const double p = std::exp(v);
        d1[i] = static_cast<T>(1.0 - p);
        d2[i] = static_cast<T>(-p * (1.0 - p));
        break;
      }
      case RowOp::kNone:
        d1[i] = T(1);
        d2[i] = T(0);
        break;
      default: {
        const double sign = op == RowOp::kSoftmin ? -1.0 : 1.0;
        const double s = op == RowOp::kGumbelSoftmax ? 1.0 / tau : 1.0;
        d1[i] = static_cast<T>(sign * s * v * (1.0 - v));
        d2[i] = static_cast<T>(s * s * v * (1.0 - v) * (1.0 - 2.0 * v));
      }
    }
  }
}

#define ACTLAB_ROW_OPS(T)                                                                             \
  template void row_forward<T>(RowOp, std::span<const T>, std::span<T>, double, Rng*);                \
  template void row_backward<T>(RowOp, std::span<const T>, std::span<const T>, std::span<T>, double); \
  template void row_diagonal<T>(RowOp, std::span<const T>, std::span<T>, std::span<T>, double);
ACTLAB_ROW_OPS(float)
ACTLAB_ROW_OPS(double)
#undef ACTLAB_ROW_OPS

}  // namespace actlab::activations
