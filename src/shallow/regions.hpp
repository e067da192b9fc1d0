// Every activation region of a deep ReLU network: pattern, local affine model and half-space rows.
//
//   auto net = DeepReluNet::from_model(model).value();
//   RegionOptions opt;                       // DFS; opt.method = RegionMethod::kBrute for the 2^N reference
//   opt.box = {{-1.0, 1.0}};                 // optional: only what lies in the closed box [-1, 1]^n
//   opt.threads = 2;                         // DFS subtrees on 2 workers; the same result as 1
//   RegionSet rs = enumerate_regions(net, opt).value();
//   rs.regions.size();  rs.lps;  rs.h, rs.c;  // K de-duplicated rows H x + c, keyed by (neuron, prefix)
//
// docs/shallow.md, "Finding the regions". A pattern s is *realised* when some x has it (every
// realised pattern is kept, lower-dimensional ones included: the shallow net needs them on boundaries).
// Two LPs over rows normalised to ‖a‖ = 1, both "maximise t, t ∈ [−1, 1]":
//   full   s_i(â_i·x + d̂_i) ≥ t  for every decided neuron (active s=+1, inactive s=−1)
//          t* > τ: full-dimensional (the optimum is an interior witness);  t* < −τ: not realised
//   strict â_i·x + d̂_i ≥ t (active),  â_i·x + d̂_i ≤ 0 (inactive)      (only when |t*_full| ≤ τ)
//          realised iff t* > τ_s, or a witness is certified: the deep forward pass of the LP point (or of
//          that point rounded to p/q, q ≤ 64, evaluated exactly in integers for integer-weight nets)
//          gives exactly the pattern. This is the exact re-check of near-zero slacks.
// DFS over neurons in layer order with witness inheritance: the witness w of a node already realises the
// child s_k = [z_k(w) > 0], so each internal node needs one LP for the other child (warm-started: the LP
// stack pushes one row per decided neuron, Clp re-optimises with dual simplex from the parent basis).
// Zero rows (A_i = 0: dead or constant neurons) decide the child without an LP; coincident hyperplanes and
// lower-dimensional regions come out of the LPs above (t*_full = 0, strict LP decides).
// Threads: the tree over the first hidden layer's neurons is expanded level by level until it has at least
// 256 nodes (or that layer ends); each node's subtree is a task, enumerated from a fresh LP (its prefix rows,
// no basis) by one worker with its own solvers (Clp objects are not shared). The split does not depend on
// `threads`, and the subtrees' regions and rows are concatenated in DFS order, so the result (regions, their
// order, witnesses, rows and their numbering, LP count) is identical for every thread count and schedule.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "shallow/deep_net.hpp"

namespace actlab::shallow {

enum class RegionMethod { kDfs, kBrute };

struct RegionOptions {
  RegionMethod method = RegionMethod::kDfs;
  std::optional<std::pair<double, double>> box;  // closed box [lo, hi]^n
  long max_regions = 1'000'000;                  // memory budget: stop with an error past this count
  int max_brute_neurons = 24;                    // brute force refuses larger N
  int threads = 1;                               // DFS workers (≥ 1); brute force runs on one
};

struct Region {
  Pattern pattern;          // N
  MatrixD alpha;            // m × n
  Eigen::VectorXd beta;     // m
  std::vector<int> rows;    // N: index into RegionSet::h of neuron i's row on this region's prefix
  bool full_dim = false;    // has interior points (within the box when one is given)
  Eigen::VectorXd witness;  // a point whose forward pass has this pattern
};

struct RegionSet {
  int input_dim = 0, outputs = 0, hidden = 0;
  MatrixD h;                    // K × n: unsigned rows z_i = h_k·x + c_k
  Eigen::VectorXd c;            // K
  std::vector<int> row_neuron;  // K: the neuron of each row
  std::vector<Region> regions;
  long lps = 0;  // LPs solved
  long full_dim_regions = 0;
  double seconds = 0;
  std::optional<std::pair<double, double>> box;
};

Result<RegionSet> enumerate_regions(const DeepReluNet& net, const RegionOptions& opt = {});

// Index of the region whose pattern is s (hash lookup), or −1.
class RegionIndex {
 public:
  explicit RegionIndex(const RegionSet& rs);
  int find(const Pattern& s) const;

 private:
  std::unordered_map<std::string, int> index_;  // pattern bytes → region
};

}  // namespace actlab::shallow
