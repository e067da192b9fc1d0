#include "activations/row_ops.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace actlab::activations {
namespace {

using ArrD = Eigen::Array<double, Eigen::Dynamic, 1>;

// A per-thread double scratch row of n elements, reused across calls.
Eigen::Map<ArrD> scratch(std::size_t n) {
  thread_local std::vector<double> buf;
  if (buf.size() < n) buf.resize(n);
  return Eigen::Map<ArrD>(buf.data(), static_cast<Eigen::Index>(n));
}

// y = softmax(s·x + noise) with the max subtracted first. The exponentials are one pass of Eigen's packet exp
// in double (not one libm call per element); the few arguments below log(DBL_MIN) take libm's exp, so
// double rows match torch there too (e^{−2000} is 0, not Eigen's ~1e-308).
template <class T>
void softmax_into(std::span<const T> x, std::span<T> y, double scale, const double* noise) {
  double m = -std::numeric_limits<double>::infinity();
  const std::size_t n = x.size();
  Eigen::Map<ArrD> z = scratch(n);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = static_cast<T>(scale * (static_cast<double>(x[i]) + (noise ? noise[i] : 0.0)));
    z[i] = static_cast<double>(y[i]);
    m = std::max(m, z[i]);
  }
  z -= m;
  // Below log(DBL_MIN) Eigen's packet exp is not exact on every ISA (without AVX-512 it returns ~1e-308 for
  // e^{-2000}); a row with such an element (rare: a spread of more than 708) takes libm's exp instead.
  constexpr double kMinNormalExp = -708.3964185322641;  // log(DBL_MIN)
  if ((z < kMinNormalExp).any()) {
    for (Eigen::Index i = 0; i < z.size(); ++i) z[i] = std::exp(z[i]);
  } else {
    z = z.exp();
  }
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = static_cast<T>(z[i]);
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
      Eigen::Map<ArrD> z = scratch(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) z[i] = static_cast<double>(x[i]) - m;
      const double lse = m + std::log(z.exp().sum());
      for (std::size_t i = 0; i < x.size(); ++i) y[i] = static_cast<T>(static_cast<double>(x[i]) - lse);
      return;
    }
    case RowOp::kGumbelSoftmax: {
      std::vector<double> g(x.size(), 0.0);
      if (rng) {
        for (double& v : g) {
          do v = rng->uniform();
          while (v <= 0.0);
        }
        // g = −log(−log u), both logs as packets.
        Eigen::Map<ArrD> gm(g.data(), static_cast<Eigen::Index>(g.size()));
        gm = -(-gm.log()).log();
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
