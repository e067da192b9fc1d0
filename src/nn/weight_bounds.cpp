#include "nn/weight_bounds.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace actlab::nn {
namespace {

constexpr double kGrid = 1e-3;  // grid step of the scans

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

struct Scan {
  std::vector<double> z, f, df;
};

Scan scan(const activations::Activation& a, double search) {
  const int n = static_cast<int>(std::lround(search / kGrid));
  Scan s;
  s.z.resize(2 * n + 1);
  for (int i = -n; i <= n; ++i) s.z[i + n] = i * kGrid;
  s.f.resize(s.z.size());
  s.df.resize(s.z.size());
  std::vector<double> d2(s.z.size());
  double* outs[] = {s.f.data(), s.df.data(), d2.data()};
  a.kernel().eval(s.z, std::span<double* const>(outs, 3));
  return s;
}

// The end of the window between a qualifying grid point `in` and a failing one `out`, by bisection on
// |f'| − level (a kink or non-finite point just returns the last qualifying value).
double refine(const activations::Activation& a, double in, double out, double level) {
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (in + out);
    const double d = std::fabs(a.df(mid));
    if (std::isfinite(d) && d >= level)
      in = mid;
    else
      out = mid;
  }
  return in;
}

}  // namespace

double neuron_bound(double z, std::span<const double> input_bounds) {
  double s = 1.0;
  for (double x : input_bounds) s += std::fabs(x);
  return z / s;
}

optim::Box Bounds111::box() const {
  return optim::Box{
      {-b_hidden, -b_hidden, -b_output, -b_output}, {b_hidden, b_hidden, b_output, b_output}, {0, 0, 0, 0}};
}

Result<EffectiveDomain> effective_domain(const activations::Activation& a, double kappa, double search) {
  const std::string who = a.name() + ": ";
  if (a.row_wise()) return Status::invalid(who + "row-wise activations have no element-wise derivative");
  if (!(kappa > 0 && kappa < 1)) return Status::invalid_field("kappa", "must be in (0, 1)");
  if (!(search > 10 * kGrid) || !std::isfinite(search))
    return Status::invalid("the search range is too small");
  const Scan s = scan(a, search);
  const std::size_t n = s.z.size(), c = n / 2;
  if (!std::isfinite(s.f[c]) || !std::isfinite(s.df[c])) {
    return Status::invalid(who + "f or f' is not finite at z = 0, so no window around 0 exists");
  }
  // max |f'| over the finite points, and over the inner half: growth toward the edge means unbounded.
  double m_all = 0, m_inner = 0;
  std::size_t arg = c;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = std::fabs(s.df[i]);
    if (!std::isfinite(d) || !std::isfinite(s.f[i])) continue;
    if (d > m_all) m_all = d, arg = i;
    if (std::fabs(s.z[i]) <= search / 2) m_inner = std::max(m_inner, d);
  }
  if (m_all == 0) {
    return Status::invalid(who + "f' is zero almost everywhere on [-" + num(search) + ", " + num(search) +
                           "]: the effective domain is empty");
  }
  if (m_all > 1.01 * m_inner) {
    return Status::invalid(who + "|f'| grows without bound (" + num(m_inner) +
                           " on |z| <= " + num(search / 2) + ", " + num(m_all) +
                           " beyond): the rule |f'| >= kappa*max|f'| has no maximum");
  }
  const bool next_to_singularity = (arg > 0 && !std::isfinite(s.df[arg - 1] + s.f[arg - 1])) ||
                                   (arg + 1 < n && !std::isfinite(s.df[arg + 1] + s.f[arg + 1]));
  if (next_to_singularity) {
    return Status::invalid(who + "|f'| grows without bound toward z = " + num(s.z[arg]) +
                           ", where f stops being finite: the rule has no maximum");
  }
  const double level = kappa * m_all;
  auto ok = [&](std::size_t i) {
    return std::isfinite(s.f[i]) && std::isfinite(s.df[i]) && std::fabs(s.df[i]) >= level;
  };
  EffectiveDomain d;
  d.max_df = m_all;
  d.kappa = kappa;
  const bool right = ok(c) || ok(c + 1), left = ok(c) || ok(c - 1);
  if (!left && !right) {
    return Status::invalid(who + "|f'| < kappa*max|f'| (" + num(level) +
                           ") on both sides of z = 0: the effective domain around 0 is empty");
  }
  d.z_lo = d.z_hi = 0.0;
  if (right) {
    std::size_t i = c;
    while (i + 1 < n && ok(i + 1)) ++i;
    d.z_hi = i + 1 == n ? INFINITY : refine(a, s.z[i], s.z[i + 1], level);
  }
  if (left) {
    std::size_t i = c;
    while (i > 0 && ok(i - 1)) --i;
    d.z_lo = i == 0 ? -INFINITY : refine(a, s.z[i], s.z[i - 1], level);
  }
  return d;
}

Result<Bounds111> bounds_111(const activations::Activation& a, double x, double t, double kappa,
                             double search) {
  if (!std::isfinite(x)) return Status::invalid_field("x", "must be finite");
  if (!std::isfinite(t)) return Status::invalid_field("target", "must be finite");
  auto dom = effective_domain(a, kappa, search);
  if (!dom) return dom.status();
  Bounds111 b;
  b.domain = *dom;
  const Scan s = scan(a, search);
  const std::size_t c = s.z.size() / 2;
  // covers(Z): t ∈ f([−Z, Z]) over the finite grid values; Z_t: the smallest grid Z that covers t.
  double lo = INFINITY, hi = -INFINITY, z_t = NAN;
  for (std::size_t k = 0; k <= c; ++k) {
    for (std::size_t i : {c - k, c + k}) {
      if (std::isfinite(s.f[i])) lo = std::min(lo, s.f[i]), hi = std::max(hi, s.f[i]);
    }
    if (lo <= t && t <= hi) {
      z_t = s.z[c + k];
      break;
    }
  }
  if (std::isnan(z_t)) {
    return Status::invalid(a.name() + ": the target " + num(t) + " is outside f([-" + num(search) + ", " +
                           num(search) + "]) = [" + num(lo) + ", " + num(hi) + "]");
  }
  const double z0 = std::min(-dom->z_lo, dom->z_hi);
  if (std::isfinite(z0) && z0 > 0 && z_t <= z0) {
    b.z = z0;
  } else {
    b.z = std::max(1.5 * z_t, 1.0);
    b.widened = true;
  }
  b.hmax = 0;
  for (std::size_t i = 0; i < s.z.size(); ++i)
    if (std::fabs(s.z[i]) <= b.z && std::isfinite(s.f[i])) b.hmax = std::max(b.hmax, std::fabs(s.f[i]));
  b.hmax = std::max({b.hmax, std::fabs(a.f(b.z)), std::fabs(a.f(-b.z))});
  if (!std::isfinite(b.hmax)) return Status::invalid(a.name() + ": f is not finite on [-Z, Z]");
  const double xs[] = {x};
  b.b_hidden = neuron_bound(b.z, xs);
  const double hs[] = {b.hmax};
  b.b_output = neuron_bound(b.z, hs);
  return b;
}

}  // namespace actlab::nn
