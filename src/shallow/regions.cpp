// GCC 12 reports '__Y may be used uninitialized' inside its own AVX-512 intrinsic headers when Eigen's packet
// math is inlined in this file (GCC bug 105593, fixed in GCC 13): a false positive, silenced for this file
// only.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "shallow/regions.hpp"

#include <chrono>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

#include "shallow/lp_solver.hpp"

namespace actlab::shallow {
namespace {

constexpr double kTau = 1e-9;        // |t*_full| ≤ τ: degenerate, decided by the strict LP
constexpr double kTauStrict = 1e-7;  // strict LP: t* above this realises without a certificate
constexpr double kZeroRow = 1e-13;   // ‖A_i‖ below this (relative to the layer) is a zero row
constexpr double kSnapDist = 1e-6;   // LP points within this of p/q are tried as rationals

// Denominator of the simplest fraction within kSnapDist·1e-3 of v (continued fractions), 0 if above 10⁴.
double rational_denominator(double v) {
  double h0 = 1, h1 = 0, k0 = 0, k1 = 1, r = v;  // convergents h/k
  for (int it = 0; it < 40; ++it) {
    const double a = std::floor(r);
    const double h = a * h0 + h1, k = a * k0 + k1;
    h1 = h0;
    h0 = h;
    k1 = k0;
    k0 = k;
    if (k > 1e4) return 0;
    if (std::abs(h / k - v) <= kSnapDist * 1e-3) return k;
    if (r - a < 1e-12) return 0;
    r = 1 / (r - a);
  }
  return 0;
}

// A point known to lie in the region of the current prefix.
struct Witness {
  Eigen::VectorXd x;
  bool interior = false;   // strictly inside every prefix row (full LP, t* > τ)
  bool certified = false;  // its exact forward pattern equals the prefix (exact_bits)
  Pattern exact_bits;      // the exact forward pattern of the certified point
};

// One decided neuron as the LPs see it: normalised row and sign.
struct PathRow {
  Eigen::VectorXd a;  // â
  double d = 0;       // d̂
  bool active = false;
  bool zero = false;  // constant row: no LP row
};

class Enumerator {
 public:
  Enumerator(const DeepReluNet& net, const RegionOptions& opt) : net_(net), opt_(opt) {
    n_ = net.input_dim();
    big_n_ = net.hidden();
    hidden_layers_ = net.depth() - 1;
    a_.resize(static_cast<std::size_t>(hidden_layers_));
    d_.resize(static_cast<std::size_t>(hidden_layers_));
    rowbase_.assign(static_cast<std::size_t>(hidden_layers_), 0);
    s_.assign(static_cast<std::size_t>(big_n_), 0);
    path_.resize(static_cast<std::size_t>(big_n_));
    full_ = make_clp_solver();
    strict_ = make_clp_solver();
    integer_ = net.integer_weights();
    rs_.input_dim = n_;
    rs_.outputs = net.output_dim();
    rs_.hidden = big_n_;
    rs_.box = opt.box;
  }

  Result<RegionSet> run() {
    const auto t0 = std::chrono::steady_clock::now();
    Status st = opt_.method == RegionMethod::kDfs ? run_dfs() : run_brute();
    if (!st.is_ok()) return st;
    rs_.lps = full_->solves() + strict_->solves();
    rs_.h.resize(static_cast<Eigen::Index>(rs_.row_neuron.size()), n_);
    rs_.c.resize(static_cast<Eigen::Index>(rs_.row_neuron.size()));
    for (std::size_t k = 0; k < rs_.row_neuron.size(); ++k) {
      rs_.h.row(static_cast<Eigen::Index>(k)) =
          Eigen::Map<const Eigen::RowVectorXd>(h_flat_.data() + k * static_cast<std::size_t>(n_), n_);
      rs_.c[static_cast<Eigen::Index>(k)] = c_flat_[k];
    }
    for (const Region& r : rs_.regions) rs_.full_dim_regions += r.full_dim ? 1 : 0;
    rs_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::move(rs_);
  }

 private:
  // ---- LP set-up ----
  void reset_full() {
    full_->reset(n_, -1.0, 1.0);
    if (opt_.box) {  // x_j − t ≥ lo,  −x_j − t ≥ −hi: the box faces carry t too
      std::vector<double> e(static_cast<std::size_t>(n_), 0.0);
      for (int j = 0; j < n_; ++j) {
        e.assign(static_cast<std::size_t>(n_), 0.0);
        e[static_cast<std::size_t>(j)] = 1.0;
        full_->push_row(e, -1.0, opt_.box->first);
        e[static_cast<std::size_t>(j)] = -1.0;
        full_->push_row(e, -1.0, -opt_.box->second);
      }
    }
  }
  void push_full(const PathRow& r) {
    const double sg = r.active ? 1.0 : -1.0;
    row_buf_ = sg * r.a;
    full_->push_row(std::span<const double>(row_buf_.data(), static_cast<std::size_t>(n_)), -1.0, -sg * r.d);
  }
  // Strict LP over path rows [0, k] built from scratch.
  LpSolution solve_strict(int k) {
    strict_->reset(n_, -1.0, 1.0);
    if (opt_.box) strict_->set_box(opt_.box->first, opt_.box->second);
    for (int j = 0; j <= k; ++j) {
      const PathRow& r = path_[static_cast<std::size_t>(j)];
      if (r.zero) continue;
      const auto sp = std::span<const double>(r.a.data(), static_cast<std::size_t>(n_));
      if (r.active) {
        strict_->push_row(sp, -1.0, -r.d);
      } else {
        row_buf_ = -r.a;
        strict_->push_row(std::span<const double>(row_buf_.data(), static_cast<std::size_t>(n_)), 0.0, r.d);
      }
    }
    return strict_->solve();
  }

  // ---- exact re-check ----
  bool in_box(const Eigen::VectorXd& x) const {
    if (!opt_.box) return true;
    return x.minCoeff() >= opt_.box->first && x.maxCoeff() <= opt_.box->second;
  }
  // Forward pattern of x = p/q evaluated in integers (exact for integer weights while values stay < 2^53).
  Pattern scaled_pattern(const Eigen::VectorXd& p, double q) const {
    Pattern bits(static_cast<std::size_t>(big_n_));
    Eigen::VectorXd h = p;
    for (int l = 0; l < hidden_layers_; ++l) {
      const AffineLayer& L = net_.layers()[static_cast<std::size_t>(l)];
      Eigen::VectorXd z = L.w * h + q * L.b;
      for (Eigen::Index i = 0; i < z.size(); ++i)
        bits[static_cast<std::size_t>(net_.layer_start()[static_cast<std::size_t>(l)] + i)] = z[i] > 0;
      h = z.cwiseMax(0.0);
    }
    return bits;
  }
  bool prefix_matches(const Pattern& bits, int k) const {
    for (int j = 0; j <= k; ++j)
      if (bits[static_cast<std::size_t>(j)] != s_[static_cast<std::size_t>(j)]) return false;
    return true;
  }
  // Tries to certify prefix s[0..k] with the LP point x; fills w on success.
  bool certify(const Eigen::VectorXd& x, int k, Witness& w) const {
    if (in_box(x)) {
      Pattern bits = net_.pattern(x);
      if (prefix_matches(bits, k)) {
        w = {x, false, true, std::move(bits)};
        return true;
      }
    }
    if (!integer_) return false;
    // The LP point rounded to a rational p/q (continued fractions per coordinate, common denominator q), then
    // the pattern of p/q computed exactly in integers: lower-dimensional regions of integer nets sit at
    // rational points, which double arithmetic misses by an ulp.
    double q = 1;
    for (int j = 0; j < n_ && q > 0; ++j) {
      const double qj = rational_denominator(x[j]);
      q = qj > 0 ? std::lcm(static_cast<long>(q), static_cast<long>(qj)) : 0;
      if (q > 1e7) q = 0;
    }
    if (q > 0) {
      Eigen::VectorXd p = (x * q).array().round().matrix();
      const bool inside = !opt_.box || ((p.array() >= opt_.box->first * q).all() &&
                                        (p.array() <= opt_.box->second * q).all());
      if (inside && p.cwiseAbs().maxCoeff() < 1e9) {
        Pattern bits = scaled_pattern(p, q);
        if (prefix_matches(bits, k)) {
          w = {p / q, false, true, std::move(bits)};
          return true;
        }
      }
    }
    return false;
  }

  // Decides whether prefix s[0..k] is realised by the strict LP + exact re-check.
  bool strict_realised(int k, Witness& w) {
    LpSolution sol = solve_strict(k);
    if (sol.status != LpStatus::kOptimal || sol.t < -kTauStrict) return false;
    Eigen::VectorXd x = Eigen::Map<Eigen::VectorXd>(sol.x.data(), n_);
    if (certify(x, k, w)) return true;
    if (sol.t > kTauStrict) {
      w = {x, false, false, {}};
      return true;
    }
    return false;
  }

  // ---- DFS ----
  void enter_layer(int l) {
    const AffineLayer& L = net_.layers()[static_cast<std::size_t>(l)];
    auto& a = a_[static_cast<std::size_t>(l)];
    auto& d = d_[static_cast<std::size_t>(l)];
    if (l == 0) {
      a = L.w;
      d = L.b;
    } else {
      const int start = net_.layer_start()[static_cast<std::size_t>(l - 1)];
      const MatrixD& pa = a_[static_cast<std::size_t>(l - 1)];
      const Eigen::VectorXd& pd = d_[static_cast<std::size_t>(l - 1)];
      a.setZero(L.w.rows(), n_);
      d = L.b;
      for (Eigen::Index j = 0; j < pa.rows(); ++j) {  // W Δ A: only active neurons of layer l−1
        if (!s_[static_cast<std::size_t>(start + j)]) continue;
        a.noalias() += L.w.col(j) * pa.row(j);
        d += L.w.col(j) * pd[j];
      }
    }
    rowbase_[static_cast<std::size_t>(l)] = static_cast<int>(rs_.row_neuron.size());
    const int start = net_.layer_start()[static_cast<std::size_t>(l)];
    for (Eigen::Index i = 0; i < a.rows(); ++i) {
      for (int j = 0; j < n_; ++j) h_flat_.push_back(a(i, j));
      c_flat_.push_back(d[i]);
      rs_.row_neuron.push_back(start + static_cast<int>(i));
    }
    layer_scale_ = 0;
    for (Eigen::Index i = 0; i < a.rows(); ++i) layer_scale_ = std::max(layer_scale_, a.row(i).norm());
  }

  Status emit(const Witness& w, bool full_dim) {
    if (static_cast<long>(rs_.regions.size()) >= opt_.max_regions) {
      return Status::invalid("more than " + std::to_string(opt_.max_regions) +
                             " regions (the memory budget, --max-regions); stopped after " +
                             std::to_string(rs_.regions.size()) + " regions and " +
                             std::to_string(full_->solves() + strict_->solves()) + " LPs");
    }
    Region r;
    r.pattern = s_;
    const AffineLayer& out = net_.layers().back();
    const int last = hidden_layers_ - 1;
    const int start = net_.layer_start()[static_cast<std::size_t>(last)];
    r.alpha.setZero(out.w.rows(), n_);
    r.beta = out.b;
    const MatrixD& pa = a_[static_cast<std::size_t>(last)];
    for (Eigen::Index j = 0; j < pa.rows(); ++j) {
      if (!s_[static_cast<std::size_t>(start + j)]) continue;
      r.alpha.noalias() += out.w.col(j) * pa.row(j);
      r.beta += out.w.col(j) * d_[static_cast<std::size_t>(last)][j];
    }
    r.rows.resize(static_cast<std::size_t>(big_n_));
    for (int i = 0; i < big_n_; ++i) {
      const int l = net_.layer_of()[static_cast<std::size_t>(i)];
      r.rows[static_cast<std::size_t>(i)] =
          rowbase_[static_cast<std::size_t>(l)] + i - net_.layer_start()[static_cast<std::size_t>(l)];
    }
    r.full_dim = full_dim;
    r.witness = w.x;
    rs_.regions.push_back(std::move(r));
    return Status::ok();
  }

  // Recurses into child s_k = v with witness w; pops nothing (the caller owns the LP row).
  Status dfs(int k, const Witness& w, bool lowdim) {
    if (k == big_n_) return emit(w, !lowdim);
    const int l = net_.layer_of()[static_cast<std::size_t>(k)];
    if (k == net_.layer_start()[static_cast<std::size_t>(l)]) enter_layer(l);
    const int i = k - net_.layer_start()[static_cast<std::size_t>(l)];
    const auto& a = a_[static_cast<std::size_t>(l)];
    const double dv = d_[static_cast<std::size_t>(l)][i];
    const double norm = a.row(i).norm();
    PathRow& pr = path_[static_cast<std::size_t>(k)];
    if (norm <= kZeroRow * std::max(1.0, layer_scale_)) {  // constant neuron: one child, no LP
      pr.zero = true;
      pr.a = Eigen::VectorXd::Zero(n_);
      pr.d = dv;
      pr.active = dv > 0;
      s_[static_cast<std::size_t>(k)] = pr.active;
      Witness cw = w;
      if (cw.certified && cw.exact_bits[static_cast<std::size_t>(k)] != pr.active) cw.certified = false;
      return dfs(k + 1, cw, lowdim);
    }
    pr.zero = false;
    pr.a = a.row(i).transpose() / norm;
    pr.d = dv / norm;
    // Which child does the witness already realise?
    int free = -1;
    if (w.certified) {
      free = w.exact_bits[static_cast<std::size_t>(k)];
    } else if (w.interior && !lowdim) {
      const double zn = pr.a.dot(w.x) + pr.d;
      if (std::abs(zn) > kTau) free = zn > 0;
    }
    for (int v : {free < 0 ? 1 : free, free < 0 ? 0 : 1 - free}) {
      pr.active = v;
      s_[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(v);
      if (v == free) {
        Witness cw = w;
        if (!lowdim) {
          const double zn = pr.a.dot(w.x) + pr.d;
          cw.interior = w.interior && std::abs(zn) > kTau && (zn > 0) == (v == 1);
        }
        if (!lowdim) push_full(pr);
        Status st = dfs(k + 1, cw, lowdim || !cw.interior);
        if (!lowdim) full_->pop_row();
        if (!st.is_ok()) return st;
        continue;
      }
      Witness cw;
      bool realised = false, child_low = lowdim;
      if (!lowdim) {
        push_full(pr);
        LpSolution sol = full_->solve();
        if (sol.status == LpStatus::kOptimal && sol.t > kTau) {
          cw = {Eigen::Map<Eigen::VectorXd>(sol.x.data(), n_), true, false, {}};
          realised = true;
        } else if (sol.status == LpStatus::kFailed || (sol.status == LpStatus::kOptimal && sol.t >= -kTau)) {
          realised = strict_realised(k, cw);
          child_low = true;
        }
        if (realised) {
          Status st = dfs(k + 1, cw, child_low);
          if (!st.is_ok()) return st;
        }
        full_->pop_row();
      } else if (strict_realised(k, cw)) {
        Status st = dfs(k + 1, cw, true);
        if (!st.is_ok()) return st;
      }
    }
    return Status::ok();
  }

  Status run_dfs() {
    reset_full();
    Witness root;
    if (opt_.box) {
      root.x = Eigen::VectorXd::Constant(n_, 0.5 * (opt_.box->first + opt_.box->second));
      root.interior = opt_.box->second > opt_.box->first;
    } else {
      root.x = Eigen::VectorXd::Zero(n_);
      root.interior = true;
    }
    return dfs(0, root, !root.interior);
  }

  // ---- brute force: every pattern tested on its own, LPs from scratch ----
  Status run_brute() {
    if (big_n_ > opt_.max_brute_neurons) {
      return Status::invalid("brute force over 2^" + std::to_string(big_n_) + " patterns refused (N > " +
                             std::to_string(opt_.max_brute_neurons) + "); use the DFS");
    }
    std::unordered_map<std::string, int> row_index;
    const long total = 1L << big_n_;
    for (long code = 0; code < total; ++code) {
      for (int i = 0; i < big_n_; ++i) s_[static_cast<std::size_t>(i)] = (code >> i) & 1;
      LocalModel lm = net_.local(s_);
      bool consistent = true;
      for (int k = 0; k < big_n_ && consistent; ++k) {
        PathRow& pr = path_[static_cast<std::size_t>(k)];
        const double norm = lm.rows_a.row(k).norm();
        pr.active = s_[static_cast<std::size_t>(k)];
        const int l = net_.layer_of()[static_cast<std::size_t>(k)];
        const int st = net_.layer_start()[static_cast<std::size_t>(l)];
        double scale = 0;
        for (int j = st; j < st + static_cast<int>(net_.layers()[static_cast<std::size_t>(l)].w.rows()); ++j)
          scale = std::max(scale, lm.rows_a.row(j).norm());
        pr.zero = norm <= kZeroRow * std::max(1.0, scale);
        if (pr.zero) {
          pr.a = Eigen::VectorXd::Zero(n_);
          pr.d = lm.rows_d[k];
          consistent = (pr.d > 0) == pr.active;
        } else {
          pr.a = lm.rows_a.row(k).transpose() / norm;
          pr.d = lm.rows_d[k] / norm;
        }
      }
      if (!consistent) continue;
      reset_full();
      for (int k = 0; k < big_n_; ++k)
        if (!path_[static_cast<std::size_t>(k)].zero) push_full(path_[static_cast<std::size_t>(k)]);
      LpSolution sol = full_->solve();
      Witness w;
      bool realised = false, full_dim = false;
      if (sol.status == LpStatus::kOptimal && sol.t > kTau) {
        w.x = Eigen::Map<Eigen::VectorXd>(sol.x.data(), n_);
        realised = full_dim = true;
      } else if (sol.status == LpStatus::kFailed || (sol.status == LpStatus::kOptimal && sol.t >= -kTau)) {
        realised = strict_realised(big_n_ - 1, w);
      }
      if (!realised) continue;
      // Rows keyed by (neuron, pattern of the earlier layers): the same key always has the same row.
      std::vector<int> rows(static_cast<std::size_t>(big_n_));
      for (int i = 0; i < big_n_; ++i) {
        const int l = net_.layer_of()[static_cast<std::size_t>(i)];
        std::string key = std::to_string(i) + ":";
        for (int j = 0; j < net_.layer_start()[static_cast<std::size_t>(l)]; ++j)
          key += static_cast<char>('0' + s_[static_cast<std::size_t>(j)]);
        auto [it, fresh] = row_index.emplace(key, static_cast<int>(rs_.row_neuron.size()));
        if (fresh) {
          for (int j = 0; j < n_; ++j) h_flat_.push_back(lm.rows_a(i, j));
          c_flat_.push_back(lm.rows_d[i]);
          rs_.row_neuron.push_back(i);
        }
        rows[static_cast<std::size_t>(i)] = it->second;
      }
      if (static_cast<long>(rs_.regions.size()) >= opt_.max_regions) {
        return Status::invalid("more than " + std::to_string(opt_.max_regions) +
                               " regions (the memory budget, --max-regions); stopped after " +
                               std::to_string(rs_.regions.size()) + " regions");
      }
      rs_.regions.push_back({s_, lm.alpha, lm.beta, std::move(rows), full_dim, w.x});
    }
    return Status::ok();
  }

  const DeepReluNet& net_;
  const RegionOptions& opt_;
  int n_ = 0, big_n_ = 0, hidden_layers_ = 0;
  bool integer_ = false;
  double layer_scale_ = 0;
  std::vector<MatrixD> a_;          // A^(l) of the current prefix
  std::vector<Eigen::VectorXd> d_;  // d^(l)
  std::vector<int> rowbase_;        // global row index of layer l's first neuron on the current prefix
  Pattern s_;
  std::vector<PathRow> path_;
  Eigen::VectorXd row_buf_;
  std::unique_ptr<LpSolver> full_, strict_;
  std::vector<double> h_flat_, c_flat_;
  RegionSet rs_;
};

}  // namespace

Result<RegionSet> enumerate_regions(const DeepReluNet& net, const RegionOptions& opt) {
  if (net.hidden() == 0) return Status::invalid("the network has no hidden neuron");
  if (opt.box && !(opt.box->first <= opt.box->second)) return Status::invalid("empty box");
  Enumerator e(net, opt);
  return e.run();
}

RegionIndex::RegionIndex(const RegionSet& rs) {
  for (std::size_t r = 0; r < rs.regions.size(); ++r) {
    const Pattern& p = rs.regions[r].pattern;
    index_.emplace(std::string(p.begin(), p.end()), static_cast<int>(r));
  }
}

int RegionIndex::find(const Pattern& s) const {
  auto it = index_.find(std::string(s.begin(), s.end()));
  return it == index_.end() ? -1 : it->second;
}

}  // namespace actlab::shallow
