#include "shallow/verify.hpp"

#include <algorithm>
#include <cmath>

#include "core/rng.hpp"

namespace actlab::shallow {

std::vector<Eigen::VectorXd> random_points(int n, long count, std::uint64_t seed,
                                           const std::optional<std::pair<double, double>>& box) {
  Rng rng = Rng::derive(seed, "shallow-verify-points");
  std::vector<Eigen::VectorXd> pts;
  for (long p = 0; p < count; ++p) {
    Eigen::VectorXd x(n);
    for (int j = 0; j < n; ++j) {
      x[j] = box ? (box->second > box->first ? rng.uniform(box->first, box->second) : box->first)
                 : 2.0 * rng.normal();
    }
    pts.push_back(std::move(x));
  }
  return pts;
}

std::vector<Eigen::VectorXd> boundary_points(const DeepReluNet& net, long count, std::uint64_t seed,
                                             const std::optional<std::pair<double, double>>& box) {
  const int n = net.input_dim();
  const long lo = box ? static_cast<long>(std::ceil(box->first)) : -12;
  const long hi = box ? static_cast<long>(std::floor(box->second)) : 12;
  std::vector<Eigen::VectorXd> out;
  if (hi < lo) return out;
  auto on_boundary = [&](const Eigen::VectorXd& x) {
    Eigen::VectorXd z;
    net.forward(x, z);
    return (z.array() == 0.0).any();
  };
  const double side = static_cast<double>(hi - lo + 1);
  Rng rng = Rng::derive(seed, "shallow-boundary-points");
  if (std::pow(side, n) <= 50000) {  // small grid: all of it, then a random subset
    const long total = static_cast<long>(std::pow(side, n));
    for (long code = 0; code < total; ++code) {
      Eigen::VectorXd x(n);
      long c = code;
      for (int j = 0; j < n; ++j) {
        x[j] = static_cast<double>(lo + c % (hi - lo + 1));
        c /= hi - lo + 1;
      }
      if (on_boundary(x)) out.push_back(std::move(x));
    }
    std::shuffle(out.begin(), out.end(), rng);
    if (static_cast<long>(out.size()) > count) out.resize(static_cast<std::size_t>(count));
    return out;
  }
  for (long tries = 0; tries < 200 * count && static_cast<long>(out.size()) < count; ++tries) {
    Eigen::VectorXd x(n);
    for (int j = 0; j < n; ++j)
      x[j] = static_cast<double>(lo + static_cast<long>(rng.below(static_cast<std::uint64_t>(hi - lo + 1))));
    if (on_boundary(x)) out.push_back(std::move(x));
  }
  return out;
}

VerifyReport verify(const DeepReluNet& net, const ShallowNet& s, const std::vector<Eigen::VectorXd>& points,
                    double tol) {
  VerifyReport r;
  for (const Eigen::VectorXd& x : points) {
    ++r.points;
    const Eigen::VectorXd yd = net.forward(x);
    const ShallowEval e = evaluate(s, x);
    if (e.nan || !e.y.allFinite()) ++r.nan;
    if (e.open_gates != 1) ++r.open_gates_not_one;
    bool bad = e.nan || e.y.size() != yd.size();
    for (Eigen::Index o = 0; !bad && o < yd.size(); ++o) {
      const double diff = std::abs(e.y[o] - yd[o]);
      r.max_abs_diff = std::max(r.max_abs_diff, diff);
      if (!(diff <= tol * (1 + std::abs(yd[o])))) bad = true;
    }
    if (bad) ++r.mismatches;
  }
  return r;
}

}  // namespace actlab::shallow
