#include "evolve/cgp.hpp"

#include <algorithm>

namespace actlab::evolve {

std::vector<int> CgpGenome::inputs_of(int address) const {
  const int rows = shape_.rows;
  if (address > node_count()) {  // the output gene
    std::vector<int> all(static_cast<std::size_t>(node_count()) + 1);
    for (int a = 0; a <= node_count(); ++a) all[static_cast<std::size_t>(a)] = a;
    return all;
  }
  const int col = (address - 1) / rows;
  std::vector<int> in = {0};
  for (int c = std::max(0, col - shape_.levels_back); c < col; ++c)
    for (int r = 0; r < rows; ++r) in.push_back(1 + rows * c + r);
  return in;
}

CgpGenome CgpGenome::random(const PrimitiveSet& ps, CgpShape shape, Rng& rng) {
  CgpGenome g;
  g.shape_ = shape;
  g.nodes_.resize(static_cast<std::size_t>(shape.rows * shape.cols));
  for (int a = 1; a <= g.node_count(); ++a) {
    const std::vector<int> in = g.inputs_of(a);
    auto& n = g.nodes_[static_cast<std::size_t>(a - 1)];
    n[0] = static_cast<int>(rng.below(ps.size()));
    n[1] = in[rng.below(in.size())];
    n[2] = in[rng.below(in.size())];
  }
  const std::vector<int> out = g.inputs_of(g.node_count() + 1);
  g.output_ = out[rng.below(out.size())];
  return g;
}

std::vector<bool> CgpGenome::active(const PrimitiveSet& ps) const {
  std::vector<bool> on(static_cast<std::size_t>(node_count()) + 1, false);
  on[static_cast<std::size_t>(output_)] = true;
  // Inputs always sit in earlier columns, so one sweep from the last node back reaches every active one.
  for (int a = node_count(); a >= 1; --a) {
    if (!on[static_cast<std::size_t>(a)]) continue;
    const auto& n = node(a);
    for (int k = 0; k < ps[static_cast<std::size_t>(n[0])].arity; ++k)
      on[static_cast<std::size_t>(n[1 + k])] = true;
  }
  return on;
}

Tree CgpGenome::decode(const PrimitiveSet& ps) const {
  Tree t;
  std::vector<int> stack = {output_};
  while (!stack.empty()) {
    const int a = stack.back();
    stack.pop_back();
    if (a == 0) {
      t.genes.push_back(Gene::x());
      continue;
    }
    const auto& n = node(a);
    t.genes.push_back(Gene::fn(n[0]));
    // Prefix order: the first argument must come out first, so push the second first.
    if (ps[static_cast<std::size_t>(n[0])].arity == 2) stack.push_back(n[2]);
    stack.push_back(n[1]);
  }
  return t;
}

CgpGenome CgpGenome::mutate_active(const PrimitiveSet& ps, Rng& rng) const {
  // The mutable genes of the active subgraph: (address, position); the output gene is (node_count()+1, 0).
  std::vector<std::pair<int, int>> genes = {{node_count() + 1, 0}};
  const std::vector<bool> on = active(ps);
  for (int a = 1; a <= node_count(); ++a) {
    if (!on[static_cast<std::size_t>(a)]) continue;
    const int arity = ps[static_cast<std::size_t>(node(a)[0])].arity;
    if (ps.size() > 1) genes.emplace_back(a, 0);
    // Nodes of the first column can only read x: their connection genes have no alternative.
    if (inputs_of(a).size() > 1)
      for (int j = 1; j <= arity; ++j) genes.emplace_back(a, j);
  }
  CgpGenome m = *this;
  const auto [a, j] = genes[rng.below(genes.size())];
  auto pick_other = [&rng](const std::vector<int>& choices, int current) {
    std::vector<int> other;
    for (int c : choices)
      if (c != current) other.push_back(c);
    return other.empty() ? current : other[rng.below(other.size())];
  };
  if (a == node_count() + 1) {
    m.output_ = pick_other(inputs_of(a), output_);
  } else if (j == 0) {
    std::vector<int> fns(ps.size());
    for (std::size_t i = 0; i < ps.size(); ++i) fns[i] = static_cast<int>(i);
    m.nodes_[static_cast<std::size_t>(a - 1)][0] = pick_other(fns, node(a)[0]);
  } else {
    m.nodes_[static_cast<std::size_t>(a - 1)][static_cast<std::size_t>(j)] =
        pick_other(inputs_of(a), node(a)[static_cast<std::size_t>(j)]);
  }
  return m;
}

}  // namespace actlab::evolve
