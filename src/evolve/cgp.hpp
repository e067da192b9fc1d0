// Cartesian GP as in Lapid & Sipper's code (the `cartesian` package; arXiv 2206.12089; docs/evolution.md,
// "The paper and its code"): a rows × cols grid of function nodes over one input, one output gene, and point
// mutation of one active gene.
//
//   CgpGenome g = CgpGenome::random(ps, {}, rng);     // 5 × 5 grid, levels-back 5
//   Tree t = g.decode(ps);                            // the active subgraph: "max(relu(x), tanh(x))"
//   CgpGenome child = g.mutate_active(ps, rng);
//
// Addresses: 0 is the input x; nodes 1..rows·cols are laid out column-major (node = 1 + rows·col + row).
// A node in column c takes inputs from x and from nodes in columns max(0, c − levels_back) .. c − 1; the
// output gene may point at any node or at x. Unary functions use their first input only. CGP has no
// constants.
#pragma once

#include <array>
#include <vector>

#include "core/rng.hpp"
#include "evolve/tree.hpp"

namespace actlab::evolve {

struct CgpShape {
  int rows = 5, cols = 5, levels_back = 5;
};

class CgpGenome {
 public:
  // Function genes uniform over the primitives, connection genes uniform over their valid inputs.
  static CgpGenome random(const PrimitiveSet& ps, CgpShape shape, Rng& rng);

  const CgpShape& shape() const { return shape_; }
  int node_count() const { return shape_.rows * shape_.cols; }
  // Node k (1-based address): {function, in1, in2}.
  const std::array<int, 3>& node(int address) const { return nodes_[static_cast<std::size_t>(address - 1)]; }
  int output() const { return output_; }
  // active[a] for a in 0..node_count(): reachable from the output (x included when used).
  std::vector<bool> active(const PrimitiveSet& ps) const;
  // The active subgraph unfolded into a tree (shared nodes repeated). Its height is at most cols.
  Tree decode(const PrimitiveSet& ps) const;
  // The `cartesian` package's "active" mutation: one active gene chosen uniformly (the output gene or one of
  // an active node's genes that matter: its function, and its inputs up to the arity — leaving out genes
  // without an alternative, such as the inputs of the first column), then a function gene gets a different
  // function and a connection gene a different valid input. So the genome always changes.
  CgpGenome mutate_active(const PrimitiveSet& ps, Rng& rng) const;

  friend bool operator==(const CgpGenome&, const CgpGenome&) = default;

 private:
  // Valid inputs of the node at `address` (x and the nodes levels_back columns behind).
  std::vector<int> inputs_of(int address) const;
  CgpShape shape_;
  std::vector<std::array<int, 3>> nodes_;
  int output_ = 0;
};

}  // namespace actlab::evolve
