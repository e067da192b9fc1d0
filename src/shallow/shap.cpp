#include "shallow/shap.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>
#include <vector>

#include "core/rng.hpp"

namespace actlab::shallow {
namespace {

// w[s] = s!(d − s − 1)!/d!, computed as 1/(d·C(d−1, s)).
std::vector<double> shapley_weights(int d) {
  std::vector<double> w(static_cast<std::size_t>(std::max(d, 1)));
  for (int s = 0; s < d; ++s) {
    double c = 1;  // C(d−1, s)
    for (int i = 1; i <= s; ++i) c = c * (d - s - 1 + i) / i;
    w[static_cast<std::size_t>(s)] = 1.0 / (d * c);
  }
  return w;
}

// Exact Shapley values of the single-row game v(S) = f(x_S, z_S̄) over the varying features, added to phi.
void exact_row(const DeepReluNet& net, const Eigen::VectorXd& x, const Eigen::VectorXd& z,
               const std::vector<int>& vary, int output, Eigen::VectorXd& phi, long& evals) {
  const int d = static_cast<int>(vary.size());
  const std::size_t total = std::size_t{1} << d;
  std::vector<double> v(total);
  Eigen::VectorXd h = z;
  v[0] = net.forward(h)[output];
  for (std::size_t i = 1; i < total; ++i) {  // Gray code: step i flips bit ctz(i)
    const int bit = std::countr_zero(i);
    const int j = vary[static_cast<std::size_t>(bit)];
    const std::size_t g = i ^ (i >> 1);
    h[j] = (g >> bit) & 1 ? x[j] : z[j];
    v[g] = net.forward(h)[output];
  }
  evals += static_cast<long>(total);
  const std::vector<double> w = shapley_weights(d);
  for (int b = 0; b < d; ++b) {
    double acc = 0;
    const std::size_t mask = std::size_t{1} << b;
    for (std::size_t s = 0; s < total; ++s) {
      if (s & mask) continue;
      acc += w[static_cast<std::size_t>(std::popcount(s))] * (v[s | mask] - v[s]);
    }
    phi[vary[static_cast<std::size_t>(b)]] += acc;
  }
}

}  // namespace

ShapResult sampled_shap_values(const std::function<double(const Eigen::VectorXd&)>& f,
                               const Eigen::VectorXd& x, const MatrixD& background, long samples,
                               std::uint64_t seed) {
  const int n = static_cast<int>(x.size());
  const long rows_b = background.rows();
  ShapResult r;
  r.method = "sampling (approximate)";
  r.phi = Eigen::VectorXd::Zero(n);
  r.fx = f(x);
  for (long b = 0; b < rows_b; ++b) r.base_value += f(background.row(b).transpose());
  r.base_value /= static_cast<double>(rows_b);
  r.evaluations = rows_b + 1;
  Rng rng = Rng::derive(seed, "shap-permutations");
  std::vector<int> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  for (long p = 0; p < samples; ++p) {
    if (p % 2 == 0) {
      std::shuffle(perm.begin(), perm.end(), rng);
    } else {
      std::reverse(perm.begin(), perm.end());  // antithetic partner
    }
    for (long b = 0; b < rows_b; ++b) {
      Eigen::VectorXd h = background.row(b).transpose();
      double prev = f(h);
      for (int j : perm) {
        h[j] = x[j];
        const double cur = f(h);
        r.phi[j] += cur - prev;
        prev = cur;
      }
      r.evaluations += n + 1;
    }
  }
  r.phi /= static_cast<double>(samples * rows_b);
  r.efficiency_error = std::abs(r.phi.sum() - (r.fx - r.base_value));
  return r;
}

Result<ShapResult> shap_values(const DeepReluNet& net, const Eigen::VectorXd& x, const MatrixD& background,
                               const ShapOptions& opt) {
  const int n = net.input_dim();
  if (x.size() != n) {
    return Status::invalid("x has " + std::to_string(x.size()) + " values, the network's input " +
                           std::to_string(n));
  }
  if (background.cols() != n) {
    return Status::invalid("the background has " + std::to_string(background.cols()) +
                           " columns, the network's input " + std::to_string(n));
  }
  if (background.rows() == 0) return Status::invalid("the background has no row");
  if (opt.output < 0 || opt.output >= net.output_dim()) {
    return Status::invalid("output " + std::to_string(opt.output) + " does not exist (the network has " +
                           std::to_string(net.output_dim()) + ")");
  }
  const int o = opt.output;
  if (opt.method == ShapMethod::kSampling) {
    if (opt.samples < 1) return Status::invalid("sampling needs at least 1 permutation");
    return sampled_shap_values([&](const Eigen::VectorXd& h) { return net.forward(h)[o]; }, x, background,
                               opt.samples, opt.seed);
  }
  const long rows_b = background.rows();
  ShapResult r;
  r.phi = Eigen::VectorXd::Zero(n);
  r.fx = net.forward(x)[o];
  for (long b = 0; b < rows_b; ++b) r.base_value += net.forward(background.row(b).transpose())[o];
  r.base_value /= static_cast<double>(rows_b);
  r.evaluations = rows_b + 1;

  r.method = "exact";
  const LocalModel lm = net.local(net.pattern(x));
  const Pattern s = net.pattern(x);
  for (long b = 0; b < rows_b; ++b) {
    const Eigen::VectorXd z = background.row(b).transpose();
    bool inside = true;
    for (int k = 0; k < net.hidden() && inside; ++k) {
      const double sg = s[static_cast<std::size_t>(k)] ? 1.0 : -1.0;
      double lo = sg * lm.rows_d[k], mag = std::abs(lm.rows_d[k]);
      for (int j = 0; j < n; ++j) {
        const double h = sg * lm.rows_a(k, j);
        lo += std::min(h * x[j], h * z[j]);
        mag += std::abs(h) * std::max(std::abs(x[j]), std::abs(z[j]));
      }
      inside = lo >= -1e-12 * mag;
    }
    if (inside) {
      r.phi += (lm.alpha.row(o).transpose().array() * (x - z).array()).matrix();
      ++r.box_shortcuts;
      continue;
    }
    std::vector<int> vary;
    for (int j = 0; j < n; ++j)
      if (x[j] != z[j]) vary.push_back(j);
    if (static_cast<int>(vary.size()) > opt.max_exact_features) {
      return Status::invalid_field("method", "exact SHAP needs 2^" + std::to_string(vary.size()) +
                                                 " evaluations for background row " + std::to_string(b + 1) +
                                                 " (more than 2^" + std::to_string(opt.max_exact_features) +
                                                 "); use sampling");
    }
    exact_row(net, x, z, vary, o, r.phi, r.evaluations);
  }
  r.phi /= static_cast<double>(rows_b);
  r.efficiency_error = std::abs(r.phi.sum() - (r.fx - r.base_value));
  return r;
}

Eigen::VectorXd shap_brute_force(const DeepReluNet& net, const Eigen::VectorXd& x, const MatrixD& background,
                                 int output) {
  const int n = net.input_dim();
  auto value = [&](unsigned mask) {  // v(S) averaged over the background
    double acc = 0;
    for (Eigen::Index b = 0; b < background.rows(); ++b) {
      Eigen::VectorXd h = background.row(b).transpose();
      for (int j = 0; j < n; ++j)
        if (mask >> j & 1u) h[j] = x[j];
      acc += net.forward(h)[output];
    }
    return acc / static_cast<double>(background.rows());
  };
  std::vector<double> fact(static_cast<std::size_t>(n + 1), 1.0);
  for (int i = 1; i <= n; ++i) fact[static_cast<std::size_t>(i)] = fact[static_cast<std::size_t>(i - 1)] * i;
  Eigen::VectorXd phi = Eigen::VectorXd::Zero(n);
  for (int i = 0; i < n; ++i) {
    for (unsigned mask = 0; mask < (1u << n); ++mask) {
      if (mask >> i & 1u) continue;
      const int s = std::popcount(mask);
      const double w = fact[static_cast<std::size_t>(s)] * fact[static_cast<std::size_t>(n - s - 1)] /
                       fact[static_cast<std::size_t>(n)];
      phi[i] += w * (value(mask | (1u << i)) - value(mask));
    }
  }
  return phi;
}

Result<MatrixD> read_background_csv(const std::string& path, int n) {
  std::ifstream in(path);
  if (!in) return Status::not_found(path + ": cannot open the background CSV");
  std::vector<double> vals;
  std::string line;
  long row = 0, line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::vector<double> fields;
    std::stringstream ss(line);
    std::string f;
    bool numeric = true;
    while (std::getline(ss, f, ',')) {
      char* end = nullptr;
      const double v = std::strtod(f.c_str(), &end);
      while (end && (*end == ' ' || *end == '\t')) ++end;
      if (f.empty() || !end || *end != '\0' || !std::isfinite(v)) {
        numeric = false;
        break;
      }
      fields.push_back(v);
    }
    if (!numeric) {
      if (row == 0 && line_no == 1) continue;  // header
      return Status::invalid(path + ":" + std::to_string(line_no) + ": '" + f + "' is not a finite number");
    }
    if (static_cast<int>(fields.size()) != n) {
      return Status::invalid(path + ":" + std::to_string(line_no) + ": " + std::to_string(fields.size()) +
                             " values, the network's input has " + std::to_string(n));
    }
    vals.insert(vals.end(), fields.begin(), fields.end());
    ++row;
  }
  if (row == 0) return Status::invalid(path + ": no background row");
  return MatrixD(Eigen::Map<MatrixD>(vals.data(), row, n));
}

}  // namespace actlab::shallow
