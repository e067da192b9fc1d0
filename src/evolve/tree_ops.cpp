#include "evolve/tree_ops.hpp"

#include <cmath>

namespace actlab::evolve {

Gene random_terminal(const PrimitiveSet& ps, Rng& rng) {
  if (!ps.constants().enabled || rng.below(2) == 0) return Gene::x();
  const Constants& c = ps.constants();
  const double v = std::round(rng.uniform(c.lo, c.hi) / c.step) * c.step;
  // Print-friendly: 0.30000000000000004 → 0.3 (the shortest decimal that rounds to the same multiple).
  return Gene::constant(std::round(v * 1e9) / 1e9 + 0.0);
}

namespace {

int random_primitive(const PrimitiveSet& ps, Rng& rng) { return static_cast<int>(rng.below(ps.size())); }

}  // namespace

Tree generate(const PrimitiveSet& ps, int min_height, int max_height, GenMethod method, Rng& rng) {
  if (method == GenMethod::kHalfAndHalf) method = rng.below(2) == 0 ? GenMethod::kGrow : GenMethod::kFull;
  const int h =
      min_height + static_cast<int>(rng.below(static_cast<std::uint64_t>(max_height - min_height + 1)));
  Tree t;
  std::vector<int> stack = {0};  // depths of the argument slots still open, as DEAP's generate()
  while (!stack.empty()) {
    const int depth = stack.back();
    stack.pop_back();
    const bool leaf = depth >= h || (method == GenMethod::kGrow && depth >= min_height &&
                                     rng.uniform() < ps.terminal_ratio());
    if (leaf) {
      t.genes.push_back(random_terminal(ps, rng));
      continue;
    }
    const int p = random_primitive(ps, rng);
    t.genes.push_back(Gene::fn(p));
    for (int k = 0; k < ps[p].arity; ++k) stack.push_back(depth + 1);
  }
  return t;
}

std::pair<Tree, Tree> crossover_one_point(const Tree& a, const Tree& b, const PrimitiveSet& ps, Rng& rng,
                                          int height_limit) {
  if (a.size() < 2 || b.size() < 2) return {a, b};
  const std::size_t i = 1 + rng.below(a.size() - 1);
  const std::size_t j = 1 + rng.below(b.size() - 1);
  const std::size_t ie = subtree_end(a, i, ps), je = subtree_end(b, j, ps);
  Tree c1, c2;
  c1.genes.assign(a.genes.begin(), a.genes.begin() + i);
  c1.genes.insert(c1.genes.end(), b.genes.begin() + j, b.genes.begin() + je);
  c1.genes.insert(c1.genes.end(), a.genes.begin() + ie, a.genes.end());
  c2.genes.assign(b.genes.begin(), b.genes.begin() + j);
  c2.genes.insert(c2.genes.end(), a.genes.begin() + i, a.genes.begin() + ie);
  c2.genes.insert(c2.genes.end(), b.genes.begin() + je, b.genes.end());
  if (height(c1, ps) > height_limit) c1 = a;
  if (height(c2, ps) > height_limit) c2 = b;
  return {std::move(c1), std::move(c2)};
}

Tree mutate_uniform(const Tree& t, const PrimitiveSet& ps, Rng& rng, int height_limit, int max_new_height) {
  const std::size_t i = rng.below(t.size());
  const std::size_t e = subtree_end(t, i, ps);
  const Tree sub = generate(ps, 0, max_new_height, GenMethod::kFull, rng);
  Tree m;
  m.genes.assign(t.genes.begin(), t.genes.begin() + i);
  m.genes.insert(m.genes.end(), sub.genes.begin(), sub.genes.end());
  m.genes.insert(m.genes.end(), t.genes.begin() + e, t.genes.end());
  return height(m, ps) > height_limit ? t : m;
}

Tree mutate_point(const Tree& t, const PrimitiveSet& ps, Rng& rng) {
  Tree m = t;
  Gene& g = m.genes[rng.below(m.size())];
  if (g.terminal()) {
    g = random_terminal(ps, rng);
  } else {
    const std::vector<int>& same = ps.of_arity(ps[g.prim].arity);
    g = Gene::fn(same[rng.below(same.size())]);
  }
  return m;
}

std::size_t select_tournament(std::span<const double> fitness, int size, Rng& rng) {
  std::size_t best = rng.below(fitness.size());
  for (int k = 1; k < size; ++k) {
    const std::size_t c = rng.below(fitness.size());
    if (fitness[c] > fitness[best]) best = c;
  }
  return best;
}

}  // namespace actlab::evolve
