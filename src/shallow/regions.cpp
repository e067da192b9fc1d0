#include "shallow/regions.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

#include "core/thread_pool.hpp"
#include "shallow/lp_solver.hpp"

namespace actlab::shallow {
namespace {

constexpr double kTau = 1e-9;        // |t*_full| ≤ τ: degenerate, decided by the strict LP
constexpr double kTauStrict = 1e-7;  // strict LP: t* above this realises without a certificate
constexpr double kZeroRow = 1e-13;   // ‖A_i‖ below this (relative to the layer) is a zero row
constexpr double kSnapDist = 1e-6;   // LP points within this of p/q are tried as rationals
// The parallel DFS splits the tree into at least this many subtrees (when layer 1 is wide enough). A fixed
// number, not one derived from the thread count: the split decides the LP warm starts and so the witnesses,
// and the result must not depend on the thread count.
constexpr std::size_t kMinTasks = 256;

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

// A subtree of the DFS: a realised prefix s[0, depth) of first-layer neurons, its LP rows and its witness.
// A subtree is enumerated from a fresh LP (its rows pushed, no basis), so what it finds depends on the task
// alone, not on which worker ran it or what that worker ran before.
struct Task {
  int depth = 0;
  Pattern prefix;             // depth
  std::vector<PathRow> path;  // depth
  Witness w;
  bool lowdim = false;
};

// What one task found. Rows of layers ≥ 2 are numbered from n₁ (the first layer's rows, shared by every task,
// are 0 .. n₁−1); the merge shifts them by the rows of the tasks before.
struct TaskResult {
  std::vector<Region> regions;
  std::vector<double> h_flat, c_flat;
  std::vector<int> row_neuron;
  std::vector<Task> children;  // expansion only: the realised prefixes one neuron deeper
  long lps = 0;
  Status status = Status::ok();
};

Status budget_exceeded(long max_regions) {
  return Status::invalid_field("max_regions", "more than " + std::to_string(max_regions) +
                                                  " regions (the memory budget); stopped after " +
                                                  std::to_string(max_regions) + " regions");
}

// State shared by the workers of one enumeration: the region budget, and a stop flag once it is exceeded.
struct Shared {
  std::atomic<long> regions{0};
  std::atomic<bool> stop{false};
};

class Enumerator {
 public:
  Enumerator(const DeepReluNet& net, const RegionOptions& opt, Shared* shared = nullptr)
      : net_(net), opt_(opt), shared_(shared) {
    n_ = net.input_dim();
    big_n_ = net.hidden();
    hidden_layers_ = net.depth() - 1;
    a_.resize(static_cast<std::size_t>(hidden_layers_));
    d_.resize(static_cast<std::size_t>(hidden_layers_));
    rowbase_.assign(static_cast<std::size_t>(hidden_layers_), 0);
    layer_scale_.assign(static_cast<std::size_t>(hidden_layers_), 0.0);
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

  // Brute force: the whole RegionSet.
  Result<RegionSet> run_brute_set() {
    const auto t0 = std::chrono::steady_clock::now();
    if (Status st = run_brute(); !st.is_ok()) return st;
    rs_.lps = full_->solves() + strict_->solves();
    fill_rows(rs_, h_flat_, c_flat_);
    for (const Region& r : rs_.regions) rs_.full_dim_regions += r.full_dim ? 1 : 0;
    rs_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::move(rs_);
  }

  // Enumerates the subtree of task t. With stop_depth ≥ 0, stops at that depth and returns the realised
  // prefixes there as child tasks instead of regions.
  TaskResult run_task(const Task& t, int stop_depth) {
    const long lps0 = full_->solves() + strict_->solves();
    stop_depth_ = stop_depth;
    h_flat_.clear();
    c_flat_.clear();
    rs_.regions.clear();
    rs_.row_neuron.clear();
    children_.clear();
    // Layer 1 needs no prefix: A = W, d = b, rows 0 .. n₁−1.
    const AffineLayer& first = net_.layers()[0];
    a_[0] = first.w;
    d_[0] = first.b;
    rowbase_[0] = 0;
    layer_scale_[0] = 0;
    for (Eigen::Index i = 0; i < first.w.rows(); ++i)
      layer_scale_[0] = std::max(layer_scale_[0], first.w.row(i).norm());
    for (int j = 0; j < t.depth; ++j) {
      s_[static_cast<std::size_t>(j)] = t.prefix[static_cast<std::size_t>(j)];
      path_[static_cast<std::size_t>(j)] = t.path[static_cast<std::size_t>(j)];
    }
    reset_full();
    if (!t.lowdim)
      for (int j = 0; j < t.depth; ++j)
        if (!path_[static_cast<std::size_t>(j)].zero) push_full(path_[static_cast<std::size_t>(j)]);
    TaskResult out;
    out.status = dfs(t.depth, t.w, t.lowdim);
    out.regions = std::move(rs_.regions);
    out.h_flat = std::move(h_flat_);
    out.c_flat = std::move(c_flat_);
    out.row_neuron = std::move(rs_.row_neuron);
    out.children = std::move(children_);
    out.lps = full_->solves() + strict_->solves() - lps0;
    rs_.regions.clear();
    h_flat_.clear();
    c_flat_.clear();
    rs_.row_neuron.clear();
    children_.clear();
    return out;
  }

  static void fill_rows(RegionSet& rs, const std::vector<double>& h_flat, const std::vector<double>& c_flat) {
    const Eigen::Index n = rs.input_dim;
    rs.h.resize(static_cast<Eigen::Index>(rs.row_neuron.size()), n);
    rs.c.resize(static_cast<Eigen::Index>(rs.row_neuron.size()));
    for (std::size_t k = 0; k < rs.row_neuron.size(); ++k) {
      rs.h.row(static_cast<Eigen::Index>(k)) =
          Eigen::Map<const Eigen::RowVectorXd>(h_flat.data() + k * static_cast<std::size_t>(n), n);
      rs.c[static_cast<Eigen::Index>(k)] = c_flat[k];
    }
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
  // A^(l), d^(l) of the current prefix (l ≥ 1: layer 0 is set by run_task) and their rows, numbered locally
  // from n₁ (see TaskResult).
  void enter_layer(int l) {
    const AffineLayer& L = net_.layers()[static_cast<std::size_t>(l)];
    auto& a = a_[static_cast<std::size_t>(l)];
    auto& d = d_[static_cast<std::size_t>(l)];
    const int pstart = net_.layer_start()[static_cast<std::size_t>(l - 1)];
    const MatrixD& pa = a_[static_cast<std::size_t>(l - 1)];
    const Eigen::VectorXd& pd = d_[static_cast<std::size_t>(l - 1)];
    a.setZero(L.w.rows(), n_);
    d = L.b;
    for (Eigen::Index j = 0; j < pa.rows(); ++j) {  // W Δ A: only active neurons of layer l−1
      if (!s_[static_cast<std::size_t>(pstart + j)]) continue;
      a.noalias() += L.w.col(j) * pa.row(j);
      d += L.w.col(j) * pd[j];
    }
    rowbase_[static_cast<std::size_t>(l)] =
        static_cast<int>(net_.layers()[0].w.rows()) + static_cast<int>(rs_.row_neuron.size());
    const int start = net_.layer_start()[static_cast<std::size_t>(l)];
    for (Eigen::Index i = 0; i < a.rows(); ++i) {
      for (int j = 0; j < n_; ++j) h_flat_.push_back(a(i, j));
      c_flat_.push_back(d[i]);
      rs_.row_neuron.push_back(start + static_cast<int>(i));
    }
    double& scale = layer_scale_[static_cast<std::size_t>(l)];
    scale = 0;
    for (Eigen::Index i = 0; i < a.rows(); ++i) scale = std::max(scale, a.row(i).norm());
  }

  Status emit(const Witness& w, bool full_dim) {
    // Every worker counts into one total: the (max+1)-th region, whoever finds it, stops them all.
    if (shared_->stop.load(std::memory_order_relaxed) ||
        shared_->regions.fetch_add(1, std::memory_order_relaxed) >= opt_.max_regions) {
      shared_->stop.store(true, std::memory_order_relaxed);
      return budget_exceeded(opt_.max_regions);
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
    if (k == stop_depth_) {  // expansion: this node becomes a task
      children_.push_back({k, Pattern(s_.begin(), s_.begin() + k),
                           std::vector<PathRow>(path_.begin(), path_.begin() + k), w, lowdim});
      return Status::ok();
    }
    const int l = net_.layer_of()[static_cast<std::size_t>(k)];
    if (l > 0 && k == net_.layer_start()[static_cast<std::size_t>(l)]) enter_layer(l);
    const int i = k - net_.layer_start()[static_cast<std::size_t>(l)];
    const auto& a = a_[static_cast<std::size_t>(l)];
    const double dv = d_[static_cast<std::size_t>(l)][i];
    const double norm = a.row(i).norm();
    PathRow& pr = path_[static_cast<std::size_t>(k)];
    if (norm <= kZeroRow * std::max(1.0, layer_scale_[static_cast<std::size_t>(l)])) {  // constant: no LP
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
        return Status::invalid_field("max_regions", "more than " + std::to_string(opt_.max_regions) +
                                                        " regions (the memory budget); stopped after " +
                                                        std::to_string(rs_.regions.size()) + " regions");
      }
      rs_.regions.push_back({s_, lm.alpha, lm.beta, std::move(rows), full_dim, w.x});
    }
    return Status::ok();
  }

  const DeepReluNet& net_;
  const RegionOptions& opt_;
  Shared* shared_;
  int n_ = 0, big_n_ = 0, hidden_layers_ = 0;
  int stop_depth_ = -1;
  bool integer_ = false;
  std::vector<double> layer_scale_;  // max ‖A_i‖ of layer l on the current prefix (zero-row threshold)
  std::vector<MatrixD> a_;           // A^(l) of the current prefix
  std::vector<Eigen::VectorXd> d_;   // d^(l)
  std::vector<int> rowbase_;         // global row index of layer l's first neuron on the current prefix
  Pattern s_;
  std::vector<PathRow> path_;
  Eigen::VectorXd row_buf_;
  std::unique_ptr<LpSolver> full_, strict_;
  std::vector<double> h_flat_, c_flat_;
  std::vector<Task> children_;
  RegionSet rs_;
};

// The DFS, in parallel over subtrees: deterministic for any thread count (see regions.hpp).
Result<RegionSet> enumerate_dfs(const DeepReluNet& net, const RegionOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  const int n = net.input_dim(), n1 = static_cast<int>(net.layers()[0].w.rows());
  Shared shared;
  ThreadPool pool(opt.threads);
  std::vector<Enumerator> workers;
  workers.reserve(static_cast<std::size_t>(pool.size()));
  for (int w = 0; w < pool.size(); ++w) workers.emplace_back(net, opt, &shared);
  RegionSet rs;
  rs.input_dim = n;
  rs.outputs = net.output_dim();
  rs.hidden = net.hidden();
  rs.box = opt.box;

  Task root;
  if (opt.box) {
    root.w.x = Eigen::VectorXd::Constant(n, 0.5 * (opt.box->first + opt.box->second));
    root.w.interior = opt.box->second > opt.box->first;
  } else {
    root.w.x = Eigen::VectorXd::Zero(n);
    root.w.interior = true;
  }
  root.lowdim = !root.w.interior;

  // Split: expand the first-layer tree level by level until there are kMinTasks subtrees (or layer 1 ends).
  std::vector<Task> tasks{root};
  const int max_depth = std::min(n1, net.hidden() - 1);
  for (int depth = 0; tasks.size() < kMinTasks && depth < max_depth; ++depth) {
    std::vector<TaskResult> res(tasks.size());
    pool.parallel_for(tasks.size(), [&](std::size_t i, int w) {
      res[i] = workers[static_cast<std::size_t>(w)].run_task(tasks[i], depth + 1);
    });
    std::vector<Task> next;
    for (TaskResult& r : res) {
      rs.lps += r.lps;
      for (Task& c : r.children) next.push_back(std::move(c));
    }
    tasks = std::move(next);
  }

  // Enumerate the subtrees, each into its own slot, then merge them in DFS (task) order.
  std::vector<TaskResult> res(tasks.size());
  pool.parallel_for(tasks.size(), [&](std::size_t i, int w) {
    if (shared.stop.load(std::memory_order_relaxed)) {
      res[i].status = Status::invalid("stopped");
      return;
    }
    res[i] = workers[static_cast<std::size_t>(w)].run_task(tasks[i], -1);
  });
  for (const TaskResult& r : res)
    if (!r.status.is_ok() && shared.stop.load()) return budget_exceeded(opt.max_regions);
  for (const TaskResult& r : res)
    if (!r.status.is_ok()) return r.status;

  const AffineLayer& first = net.layers()[0];
  std::vector<double> h_flat, c_flat;
  for (Eigen::Index i = 0; i < first.w.rows(); ++i) {  // rows 0 .. n₁−1: layer 1, the same for every prefix
    for (int j = 0; j < n; ++j) h_flat.push_back(first.w(i, j));
    c_flat.push_back(first.b[i]);
    rs.row_neuron.push_back(static_cast<int>(i));
  }
  for (TaskResult& r : res) {
    const int shift = static_cast<int>(rs.row_neuron.size()) - n1;
    h_flat.insert(h_flat.end(), r.h_flat.begin(), r.h_flat.end());
    c_flat.insert(c_flat.end(), r.c_flat.begin(), r.c_flat.end());
    rs.row_neuron.insert(rs.row_neuron.end(), r.row_neuron.begin(), r.row_neuron.end());
    rs.lps += r.lps;
    for (Region& reg : r.regions) {
      for (int& k : reg.rows)
        if (k >= n1) k += shift;
      rs.full_dim_regions += reg.full_dim ? 1 : 0;
      rs.regions.push_back(std::move(reg));
    }
  }
  Enumerator::fill_rows(rs, h_flat, c_flat);
  rs.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rs;
}

}  // namespace

Result<RegionSet> enumerate_regions(const DeepReluNet& net, const RegionOptions& opt) {
  if (net.hidden() == 0) return Status::invalid("the network has no hidden neuron");
  if (opt.box && !(opt.box->first <= opt.box->second)) return Status::invalid("empty box");
  if (opt.threads < 1)
    return Status::invalid("threads: must be at least 1, got " + std::to_string(opt.threads));
  if (opt.method == RegionMethod::kDfs) return enumerate_dfs(net, opt);
  Shared shared;
  Enumerator e(net, opt, &shared);
  return e.run_brute_set();
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
