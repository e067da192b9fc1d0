// DEAP's tree-GP operators (deap/gp.py; docs/evolution.md, "The paper and its code"), with an explicit
// RNG and the static height limit applied to every variation operator (DEAP#731: a limit on crossover alone
// lets mutation grow trees without bound).
//
//   Rng rng(1);
//   Tree a = generate(ps, 1, 3, Method::kHalfAndHalf, rng);   // ramped half-and-half: height drawn in [1, 3]
//   auto [c1, c2] = crossover_one_point(a, b, ps, rng, limit);
//   Tree m = mutate_uniform(a, ps, rng, limit);               // a random subtree → genFull(0, 2)
//   Tree p = mutate_point(a, ps, rng);                        // one node → another of the same arity
//   std::size_t i = select_tournament(fitness, 3, rng);
#pragma once

#include <cstddef>
#include <span>
#include <utility>

#include "core/rng.hpp"
#include "evolve/tree.hpp"

namespace actlab::evolve {

enum class GenMethod { kFull, kGrow, kHalfAndHalf };

// DEAP's generate(): height drawn uniformly in [min_height, max_height]; full puts every leaf at that height,
// grow stops early with probability terminal_ratio once min_height is reached; half-and-half picks one of the
// two per call. When the set has no function of some arity, the other arity is used.
Tree generate(const PrimitiveSet& ps, int min_height, int max_height, GenMethod method, Rng& rng);
// A random terminal: x, or an ERC (uniform in [lo, hi], rounded to a multiple of step) when enabled.
Gene random_terminal(const PrimitiveSet& ps, Rng& rng);

// cxOnePoint: a random non-root point in each parent, subtrees swapped. Trees of fewer than 2 nodes are
// returned unchanged. A child taller than height_limit is replaced by a copy of its own parent (DEAP's
// staticLimit keeps a parent copy too).
std::pair<Tree, Tree> crossover_one_point(const Tree& a, const Tree& b, const PrimitiveSet& ps, Rng& rng,
                                          int height_limit);
// mutUniform: a random node (root included) and its subtree replaced by generate(0..max_new_height, full).
Tree mutate_uniform(const Tree& t, const PrimitiveSet& ps, Rng& rng, int height_limit,
                    int max_new_height = 2);
// mutNodeReplacement: one node replaced by another of the same arity (a terminal by another terminal; an
// ERC may also be redrawn). The height never changes.
Tree mutate_point(const Tree& t, const PrimitiveSet& ps, Rng& rng);

// selTournament with one round: `size` aspirants drawn with replacement, the fittest wins (the first drawn on
// ties). Returns the index.
std::size_t select_tournament(std::span<const double> fitness, int size, Rng& rng);

}  // namespace actlab::evolve
