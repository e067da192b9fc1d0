// Limits on formulas read from input (the command line, model files, user catalogs): how deep a formula may
// nest and how many nodes it may expand to, so that no input drives the recursive algorithms on expression
// trees (simplify, print, derivative, compile) into a stack overflow or an exponential blow-up
// (docs/limits.md).
//
//   FormulaMeter m;
//   if (Status s = m.check(e); !s) return s;   // "formula nests deeper than the limit of 1000 levels"
//   FormulaExtent x = m.measure(e);              // {depth, size}; shared subtrees counted once per use
#pragma once

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "activations/expr.hpp"
#include "core/status.hpp"

namespace actlab::activations {

// Levels of nesting: a leaf has depth 1, sin(x) depth 2, ((x)) depth 1 (parentheses make no node).
constexpr std::size_t kMaxFormulaDepth = 1000;
// Nodes of the formula written out as a tree: a subtree used twice (a catalog entry whose body uses x twice,
// called on a long argument) counts twice. Sizes saturate at kMaxFormulaSize + 1.
constexpr std::size_t kMaxFormulaSize = 100000;

struct FormulaExtent {
  std::size_t depth = 0;
  std::size_t size = 0;
};

// Measures trees without recursion (any depth), remembering every node it has seen, so that measuring a tree
// built from measured parts costs only the new nodes. Holds references to what it measured.
class FormulaMeter {
 public:
  FormulaMeter() = default;
  FormulaMeter(const FormulaMeter&) = delete;
  FormulaMeter& operator=(const FormulaMeter&) = delete;
  // Releases the measured nodes root first, so that dropping even a very deep tree never recurses.
  ~FormulaMeter();
  FormulaExtent measure(const Expr& e);
  // An invalid Status naming the limit when `e` exceeds either limit.
  Status check(const Expr& e);

 private:
  std::unordered_map<const Node*, FormulaExtent> seen_;
  std::vector<Expr> keep_;  // keeps measured nodes alive, so that no address in seen_ is reused
};

// The messages of the two limits (exact text in docs/limits.md).
std::string depth_limit_message();
std::string size_limit_message();

}  // namespace actlab::activations
