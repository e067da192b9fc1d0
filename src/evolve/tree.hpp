// A GP individual: an expression tree stored as a flat prefix-order list of genes, as DEAP's PrimitiveTree
// (docs/evolution.md, "The algorithm").
//
//   Tree t = {{Gene::fn(idx_max), Gene::fn(idx_relu), Gene::x(), Gene::fn(idx_tanh), Gene::x()}};
//   to_formula(t, ps)      // "max(relu(x), tanh(x))" — parses back to the same function
//   height(t, ps)          // 2 (a lone terminal has height 0)
//   evaluate(t, ps, 0.5)   // interpreted, with the primitives' scalar semantics
//
// The formula text is the individual's phenotype: it goes through the formula parser (catalog functions
// allowed) into an Expr, then into an Activation, so nothing downstream knows the function was evolved.
// Printing parenthesises exactly enough to keep the tree's shape (a - (b - c), a*(b*c)), so the parsed
// formula computes the same floating-point operations in the same order as evaluate().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "activations/expr.hpp"
#include "core/status.hpp"
#include "evolve/primitive_set.hpp"

namespace actlab::evolve {

struct Gene {
  static constexpr std::int32_t kX = -1;         // the input
  static constexpr std::int32_t kConstant = -2;  // an ERC; the value in `value`
  std::int32_t prim = kX;                        // >= 0: index into the PrimitiveSet
  double value = 0.0;

  static Gene x() { return {}; }
  static Gene constant(double v) { return {kConstant, v}; }
  static Gene fn(int index) { return {index, 0.0}; }
  bool terminal() const { return prim < 0; }
  friend bool operator==(const Gene&, const Gene&) = default;
};

struct Tree {
  std::vector<Gene> genes;
  std::size_t size() const { return genes.size(); }
  friend bool operator==(const Tree&, const Tree&) = default;
};

int arity(const Gene& g, const PrimitiveSet& ps);
// End (one past) of the subtree rooted at genes[i].
std::size_t subtree_end(const Tree& t, std::size_t i, const PrimitiveSet& ps);
// Longest root-to-leaf path in edges; a lone terminal has height 0.
int height(const Tree& t, const PrimitiveSet& ps);
// Well-formed: non-empty, every index valid, arities consume exactly the list.
bool valid(const Tree& t, const PrimitiveSet& ps);

std::string to_formula(const Tree& t, const PrimitiveSet& ps);
// The formula as an Expr (catalog calls expanded). Fails only for trees that are not valid().
Result<activations::Expr> to_expr(const Tree& t, const PrimitiveSet& ps);
double evaluate(const Tree& t, const PrimitiveSet& ps, double x);

}  // namespace actlab::evolve
