#include "theory/gaussian.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <span>

#include "activations/properties.hpp"

namespace actlab::theory {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Uniform panel width is min(0.5, feature scale), but never below 2·kZMax / max panels.
constexpr int kMaxPanels1d = 2048;
constexpr int kMaxPanels2d = 256;
// Geometric breakpoints (in units of the feature scale) around 0 and around kink lines.
constexpr std::array<double, 7> kGeo = {0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0};
constexpr std::array<double, 8> kStrip = {0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0};

// Gauss–Legendre nodes and weights on [−1, 1] by Newton on P_n (Numerical Recipes gauleg).
struct Legendre {
  std::array<double, kOrder> x{}, w{};
  Legendre() {
    const int n = kOrder;
    for (int i = 0; i < (n + 1) / 2; ++i) {
      double z = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5)), pp = 0.0;
      for (int it = 0; it < 100; ++it) {
        double p1 = 1.0, p2 = 0.0;
        for (int j = 1; j <= n; ++j) {
          const double p3 = p2;
          p2 = p1;
          p1 = ((2.0 * j - 1.0) * z * p2 - (j - 1.0) * p3) / j;
        }
        pp = n * (z * p1 - p2) / (z * z - 1.0);
        const double dz = p1 / pp;
        z -= dz;
        if (std::abs(dz) < 1e-16) break;
      }
      x[i] = -z;
      x[n - 1 - i] = z;
      w[i] = w[n - 1 - i] = 2.0 / ((1.0 - z * z) * pp * pp);
    }
  }
};

const Legendre& legendre() {
  static const Legendre gl;
  return gl;
}

double panel_width(double scale, int max_panels) { return std::clamp(scale, 2.0 * kZMax / max_panels, 0.5); }

// Appends a uniform grid of width ≤ h over [lo, hi].
void add_uniform(std::vector<double>& edges, double lo, double hi, double h) {
  const int n = static_cast<int>(std::ceil((hi - lo) / h));
  for (int i = 0; i <= n; ++i) edges.push_back(lo + (hi - lo) * i / n);
}

// Sorts the edges, drops those outside [lo, hi] or non-finite, merges near-duplicates.
void normalize(std::vector<double>& edges, double lo, double hi) {
  std::erase_if(edges, [&](double e) { return !(e >= lo && e <= hi); });
  edges.push_back(lo);
  edges.push_back(hi);
  std::sort(edges.begin(), edges.end());
  std::size_t k = 0;
  for (double e : edges)
    if (k == 0 || e - edges[k - 1] > 1e-13) edges[k++] = e;
  edges.resize(k);
  edges.back() = hi;
}

// Composite Gauss–Legendre on the panels between consecutive edges; w includes the N(0,1) density.
void make_rule(const std::vector<double>& edges, std::vector<double>& z, std::vector<double>& w) {
  const Legendre& gl = legendre();
  z.clear();
  w.clear();
  const double norm = 1.0 / std::sqrt(2.0 * std::numbers::pi);
  for (std::size_t p = 0; p + 1 < edges.size(); ++p) {
    const double mid = 0.5 * (edges[p] + edges[p + 1]), half = 0.5 * (edges[p + 1] - edges[p]);
    for (int i = 0; i < kOrder; ++i) {
      const double zi = mid + half * gl.x[i];
      z.push_back(zi);
      w.push_back(half * gl.w[i] * norm * std::exp(-0.5 * zi * zi));
    }
  }
}

// The 1-D rule for E g(√q Z): uniform panels of width ≤ h, the geometric breakpoints and the kinks, all
// scaled by 1/√q so they stay where the activation bends however large q is; x = √q·z are the activation's
// arguments.
void scaled_rule(double sq, double h, std::span<const double> kinks, std::vector<double>& z,
                 std::vector<double>& w, std::vector<double>& x) {
  std::vector<double> edges;
  add_uniform(edges, -kZMax, kZMax, h);
  for (double s : kGeo) edges.insert(edges.end(), {s / sq, -s / sq});
  for (double k : kinks) edges.push_back(k / sq);
  normalize(edges, -kZMax, kZMax);
  make_rule(edges, z, w);
  x.resize(z.size());
  for (std::size_t i = 0; i < z.size(); ++i) x[i] = sq * z[i];
}

// φ, φ', φ'' over a batch of points in one kernel call.
struct Batch {
  std::vector<double> out[3];
  void eval(const activations::Activation& act, std::span<const double> x) {
    const std::size_t n = x.size();
    for (auto& o : out)
      if (o.size() != n) o = std::vector<double>(n);
    std::array<double*, 3> ptr = {out[0].data(), out[1].data(), out[2].data()};
    act.kernel().eval(x, std::span<double* const>(ptr));
  }
  const std::vector<double>& get(Derivative d) const { return out[static_cast<int>(d)]; }
};

}  // namespace

Result<GaussianIntegrator> GaussianIntegrator::make(const activations::Activation& act) {
  if (act.row_wise())
    return Status::invalid(act.name() + " is row-wise: mean-field theory needs an element-wise activation");
  GaussianIntegrator g(act);
  std::vector<double> k = activations::find_kinks(act.f_expr(), -kKinkWindow, kKinkWindow);
  if (act.entry() && !act.entry()->kinks.empty()) {
    auto declared = activations::declared_kinks(*act.entry(), act.params(), -kKinkWindow, kKinkWindow);
    if (!declared) return declared.status();
    k.insert(k.end(), declared->begin(), declared->end());
  }
  std::sort(k.begin(), k.end());
  std::size_t n = 0;
  for (double x : k)
    if (n == 0 || x - k[n - 1] > 1e-12) k[n++] = x;
  k.resize(n);
  g.kinks_ = std::move(k);
  return g;
}

Moments GaussianIntegrator::expect(double q) const {
  Moments m;
  if (!(q >= 0.0) || !std::isfinite(q)) {
    m.phi = m.dphi = m.phi2 = m.dphi2 = m.d2phi2 = m.phi_d2phi = m.u_phi_dphi = m.phi4 = m.var_phi2 = kNaN;
    return m;
  }
  if (q == 0.0) {
    const double f = act_.f(0.0), df = act_.df(0.0), d2f = act_.d2f(0.0);
    m = {f, df, f * f, df * df, d2f * d2f, f * d2f, 0.0, f * f * f * f, 0.0};
    return m;
  }
  const double sq = std::sqrt(q);
  std::vector<double> z, w, x;
  scaled_rule(sq, panel_width(1.0 / sq, kMaxPanels1d), kinks_, z, w, x);
  Batch b;
  b.eval(act_, x);
  const auto &f = b.out[0], &df = b.out[1], &d2f = b.out[2];
  for (std::size_t i = 0; i < z.size(); ++i) {
    m.phi += w[i] * f[i];
    m.dphi += w[i] * df[i];
    m.phi2 += w[i] * f[i] * f[i];
    m.dphi2 += w[i] * df[i] * df[i];
    m.d2phi2 += w[i] * d2f[i] * d2f[i];
    m.phi_d2phi += w[i] * f[i] * d2f[i];
    m.u_phi_dphi += w[i] * x[i] * f[i] * df[i];
    m.phi4 += w[i] * f[i] * f[i] * f[i] * f[i];
  }
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double d = f[i] * f[i] - m.phi2;
    m.var_phi2 += w[i] * d * d;
  }
  return m;
}

std::vector<double> GaussianIntegrator::hermite_coefficients(double q, int n) const {
  if (!(q >= 0.0) || !std::isfinite(q) || n < 0 || n > 200) return {};
  std::vector<double> a(n + 1, 0.0);
  if (q == 0.0) {
    a[0] = act_.f(0.0);
    return a;
  }
  const double sq = std::sqrt(q);
  std::vector<double> z, w, x;
  scaled_rule(sq, std::min(0.25, panel_width(1.0 / sq, kMaxPanels1d)), kinks_, z, w, x);
  Batch b;
  b.eval(act_, x);
  const auto& f = b.out[0];
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double fw = f[i] * w[i];
    double h0 = 1.0, h1 = z[i];  // He_k(z)/√k!
    a[0] += fw;
    if (n >= 1) a[1] += fw * h1;
    for (int k = 1; k < n; ++k) {
      const double h2 = (z[i] * h1 - std::sqrt(static_cast<double>(k)) * h0) / std::sqrt(k + 1.0);
      a[k + 1] += fw * h2;
      h0 = h1;
      h1 = h2;
    }
  }
  return a;
}

double GaussianIntegrator::expect_product(double q1, double q2, double c, Derivative which) const {
  if (!(q1 >= 0.0 && q2 >= 0.0 && std::abs(c) <= 1.0) || !std::isfinite(q1) || !std::isfinite(q2))
    return kNaN;
  const double s1 = std::sqrt(q1), s2 = std::sqrt(q2);
  const double s = std::sqrt((1.0 - c) * (1.0 + c));
  Batch b;
  std::vector<double> edges, z1, w1, x1;
  const double h1 = panel_width(1.0 / std::max({s1, s2, 1e-300}), kMaxPanels2d);
  add_uniform(edges, -kZMax, kZMax, h1);
  for (double g : kGeo)
    if (s1 > 0.0) edges.insert(edges.end(), {g / s1, -g / s1});
  for (double k : kinks_)
    if (s1 > 0.0) edges.push_back(k / s1);
  // Where a kink line of u2 (and the centre u2 = 0) crosses z2 = 0, with the O(s) strip around it.
  if (s2 > 0.0 && c != 0.0) {
    auto strip = [&](double p) {
      const double z0 = p / (c * s2);
      edges.push_back(z0);
      for (double m : kStrip) edges.insert(edges.end(), {z0 + m * s / std::abs(c), z0 - m * s / std::abs(c)});
    };
    strip(0.0);
    for (double k : kinks_) strip(k);
  }
  normalize(edges, -kZMax, kZMax);
  make_rule(edges, z1, w1);
  x1.resize(z1.size());
  for (std::size_t i = 0; i < z1.size(); ++i) x1[i] = s1 * z1[i];
  Batch b1;
  b1.eval(act_, x1);
  const std::vector<double>& g1 = b1.get(which);

  if (s == 0.0) {  // c = ±1: u2 = c √q2 z1
    std::vector<double> x2(z1.size());
    for (std::size_t i = 0; i < z1.size(); ++i) x2[i] = c * s2 * z1[i];
    b.eval(act_, x2);
    const std::vector<double>& g2 = b.get(which);
    double sum = 0.0;
    for (std::size_t i = 0; i < z1.size(); ++i) sum += w1[i] * g1[i] * g2[i];
    return sum;
  }

  const double h2 = panel_width(1.0 / std::max(s2 * s, 1e-300), kMaxPanels2d);
  std::vector<double> inner_uniform;
  add_uniform(inner_uniform, -kZMax, kZMax, h2);
  std::vector<double> z2, w2, x2;
  double sum = 0.0;
  for (std::size_t i = 0; i < z1.size(); ++i) {
    if (g1[i] == 0.0 || w1[i] == 0.0) continue;
    edges = inner_uniform;
    if (s2 > 0.0) {
      edges.push_back((0.0 - c * z1[i]) / s);
      for (double k : kinks_) edges.push_back((k / s2 - c * z1[i]) / s);
    }
    normalize(edges, -kZMax, kZMax);
    make_rule(edges, z2, w2);
    x2.resize(z2.size());
    for (std::size_t j = 0; j < z2.size(); ++j) x2[j] = s2 * (c * z1[i] + s * z2[j]);
    b.eval(act_, x2);
    const std::vector<double>& g2 = b.get(which);
    double inner = 0.0;
    for (std::size_t j = 0; j < z2.size(); ++j) inner += w2[j] * g2[j];
    sum += w1[i] * g1[i] * inner;
  }
  return sum;
}

double GaussianIntegrator::half_sq_diff(double q, double c, Derivative which) const {
  if (!(q >= 0.0 && std::abs(c) <= 1.0) || !std::isfinite(q)) return kNaN;
  if (q == 0.0 || c == 1.0) return 0.0;
  const double sq = std::sqrt(q);
  const double a = std::sqrt(0.5 * (1.0 + c)), b = std::sqrt(0.5 * (1.0 - c));
  // Outer z1 (the common direction u1 + u2 = 2√q a z1): kinks of both at z1 = k/(a√q), each the centre
  // of a strip of half-width b·|z2|/a where the kink lines u1 = k and u2 = k cross.
  std::vector<double> edges, z1, w1;
  add_uniform(edges, -kZMax, kZMax, panel_width(a > 0.0 ? 1.0 / (sq * a) : 0.5, kMaxPanels2d));
  if (a > 0.0) {
    auto strip = [&](double p) {
      const double z0 = p / (a * sq);
      edges.push_back(z0);
      for (double m : kStrip) edges.insert(edges.end(), {z0 + m * b / a, z0 - m * b / a});
      for (double g : kGeo) edges.insert(edges.end(), {z0 + g / (a * sq), z0 - g / (a * sq)});
    };
    strip(0.0);
    for (double k : kinks_) strip(k);
  }
  normalize(edges, -kZMax, kZMax);
  make_rule(edges, z1, w1);

  // Inner z2 ∈ [0, kZMax]: the integrand is even in z2, and ∫_{−∞}^{∞}/2 = ∫_0^∞.
  std::vector<double> inner_uniform;
  add_uniform(inner_uniform, 0.0, kZMax, panel_width(1.0 / (sq * b), kMaxPanels2d));
  for (double g : kGeo) inner_uniform.push_back(g / (sq * b));
  std::vector<double> z2, w2, x;
  Batch bt;
  double sum = 0.0;
  for (std::size_t i = 0; i < z1.size(); ++i) {
    if (w1[i] == 0.0) continue;
    edges = inner_uniform;
    for (double k : kinks_) {
      const double t = (k / sq - a * z1[i]) / b;
      edges.insert(edges.end(), {t, -t});
    }
    normalize(edges, 0.0, kZMax);
    make_rule(edges, z2, w2);
    const std::size_t n = z2.size();
    x.resize(2 * n);
    for (std::size_t j = 0; j < n; ++j) {
      x[j] = sq * (a * z1[i] + b * z2[j]);
      x[n + j] = sq * (a * z1[i] - b * z2[j]);
    }
    bt.eval(act_, x);
    const std::vector<double>& g = bt.get(which);
    double inner = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double d = g[j] - g[n + j];
      inner += w2[j] * d * d;
    }
    sum += w1[i] * inner;
  }
  return sum;
}

Json Expectations::to_json() const {
  Json j;
  j["q"] = q;
  j["E_phi"] = json_number(moments.phi);
  j["E_phi2"] = json_number(moments.phi2);
  j["E_dphi2"] = json_number(moments.dphi2);
  j["E_d2phi2"] = json_number(moments.d2phi2);
  j["E_phi_d2phi"] = json_number(moments.phi_d2phi);
  j["E_u_phi_dphi"] = json_number(moments.u_phi_dphi);
  if (c) {
    j["c"] = *c;
    j["E_phi_phi"] = json_number(*phi_phi);
    j["E_dphi_dphi"] = json_number(*dphi_dphi);
  }
  return j;
}

bool GaussianIntegrator::kink_at_zero() const {
  return std::any_of(kinks_.begin(), kinks_.end(), [](double k) { return std::abs(k) <= 1e-12; });
}

Status finite_moments(const GaussianIntegrator& g, double q) {
  const Moments m = g.expect(q);
  for (double v : {m.phi, m.dphi, m.phi2, m.dphi2, m.d2phi2, m.phi_d2phi, m.u_phi_dphi}) {
    if (!std::isfinite(v)) {
      return Status::invalid_field(
          "activation",
          g.activation().name() + ": its Gaussian expectations at q = " + std::to_string(q) +
              " are not finite (phi or a derivative is not finite on part of the real line, or grows "
              "too fast)");
    }
  }
  return Status::ok();
}

Result<Expectations> expectations(const GaussianIntegrator& g, double q, std::optional<double> c) {
  if (!(q >= 0) || !std::isfinite(q)) return Status::invalid_field("q", "the variance must be >= 0");
  if (c && !(std::fabs(*c) <= 1)) return Status::invalid_field("c", "the correlation must be in [-1, 1]");
  Expectations e{.q = q, .moments = g.expect(q), .c = c, .phi_phi = {}, .dphi_dphi = {}};
  if (c) {
    e.phi_phi = g.expect_product(q, q, *c, Derivative::kValue);
    e.dphi_dphi = g.expect_product(q, q, *c, Derivative::kFirst);
  }
  if (Status st = finite_moments(g, q); !st) return st;
  for (double v : {e.phi_phi.value_or(0.0), e.dphi_dphi.value_or(0.0)})
    if (!std::isfinite(v)) return finite_moments(g, std::numeric_limits<double>::quiet_NaN());
  return e;
}

}  // namespace actlab::theory
