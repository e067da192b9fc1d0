// The extended-real 3-hidden-layer network equal to a deep ReLU network (Villani & Schoots, arXiv:2306.11827;
// docs/shallow.md, "The construction"), its JSON file and its evaluator.
//
//   RegionSet rs = enumerate_regions(net).value();
//   ShallowNet s = build_shallow(rs);
//   ShallowEval e = evaluate(s, x);            // e.y == net.forward(x); e.open_gates == 1; !e.nan
//   save_shallow(s, "s.json");
//
// Layers (K rows H x + c, R regions, n inputs, m outputs; weights ±∞ stored as IEEE infinities):
//   1 (finite, K + 2n)   u_k = σ(H_k x + c_k),  x⁺_j = σ(x_j),  x⁻_j = σ(−x_j)
//   2 (±∞, 2K + 2n)      a_k = σ((+∞)·u_k) ∈ {0, +∞}  (+∞ iff H_k x + c_k > 0)
//                        b_k = σ(1 + (−∞)·u_k) ∈ {0, 1}  (1 iff H_k x + c_k ≤ 0)
//                        x⁺⁺_j = σ(x⁺_j),  x⁻⁻_j = σ(x⁻_j)
//   3 (α, β and −∞, 2Rm) y = α_{s,o}·(x⁺⁺ − x⁻⁻) + β_{s,o}
//                        g_s = Σ_{k needed ≤ 0} (−∞)·a_k + Σ_{k needed > 0} (−∞)·b_k
//                        p_{s,o} = σ(y + g_s),  q_{s,o} = σ(−y + g_s)
//   read-out (linear)    F_o = Σ_s (p_{s,o} − q_{s,o})
// Rules: 0·(±∞) = 0 (emul), σ(+∞) = +∞, σ(−∞) = 0, finite + (−∞) = −∞. No pre-activation ever mixes +∞ and
// −∞ terms; the evaluator counts it as NaN if one did. Exactly one gate (g_s = 0) is open at every x (inside
// the box, when the regions were enumerated in one).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"
#include "shallow/regions.hpp"

namespace actlab::shallow {

// A layer with sparse rows: unit u = act(Σ_e w[e]·in[col[e]] + bias[u]) over e ∈ [start[u], start[u+1]).
struct SparseLayer {
  int in = 0;
  std::vector<int> start{0};
  std::vector<int> col;
  std::vector<double> w;
  std::vector<double> bias;
  bool relu = true;
  int out() const { return static_cast<int>(bias.size()); }
  void add(int c, double v) {
    col.push_back(c);
    w.push_back(v);
  }
  void end_unit(double b) {
    bias.push_back(b);
    start.push_back(static_cast<int>(col.size()));
  }
};

struct ShallowNet {
  int input_dim = 0, outputs = 0, regions = 0, rows = 0;  // n, m, R, K
  std::optional<std::pair<double, double>> box;           // exact only inside this box when set
  std::vector<SparseLayer> layers;                        // 3 relu layers + the linear read-out
};

// w·v with 0·(±∞) = 0.
inline double emul(double w, double v) { return (w == 0.0 || v == 0.0) ? 0.0 : w * v; }

ShallowNet build_shallow(const RegionSet& rs);

struct ShallowEval {
  Eigen::VectorXd y;
  int open_gates = 0;  // regions s with g_s = 0
  bool nan = false;    // a NaN anywhere, or a pre-activation with both +∞ and −∞ terms
};
ShallowEval evaluate(const ShallowNet& s, const Eigen::VectorXd& x);

// {"format": "actlab-shallow", "version": 1, "input_dim", "outputs", "regions", "rows", "box",
//  "layers": [{"activation": "relu"|"linear", "in", "bias": [..], "rows": [[col, w, col, w, ...], ...]}]}
// with ±∞ written as "inf"/"-inf" (core/json.hpp).
Json shallow_to_json(const ShallowNet& s);
Result<ShallowNet> shallow_from_json(const Json& j, const std::string& origin);
Status save_shallow(const ShallowNet& s, const std::string& path);
Result<ShallowNet> load_shallow(const std::string& path);

}  // namespace actlab::shallow
