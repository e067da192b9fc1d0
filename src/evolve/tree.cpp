#include "evolve/tree.hpp"

#include <algorithm>

#include "activations/catalog.hpp"
#include "activations/parser.hpp"
#include "activations/printer.hpp"

namespace actlab::evolve {

using activations::Op;

int arity(const Gene& g, const PrimitiveSet& ps) { return g.terminal() ? 0 : ps[g.prim].arity; }

std::size_t subtree_end(const Tree& t, std::size_t i, const PrimitiveSet& ps) {
  // DEAP's searchSubtree: count open argument slots until none is left.
  int open = 1;
  std::size_t j = i;
  while (open > 0 && j < t.size()) {
    open += arity(t.genes[j], ps) - 1;
    ++j;
  }
  return j;
}

int height(const Tree& t, const PrimitiveSet& ps) {
  // A stack of the depths still to be filled, as DEAP's PrimitiveTree.height.
  std::vector<int> stack = {0};
  int h = 0;
  for (const Gene& g : t.genes) {
    if (stack.empty()) break;
    const int depth = stack.back();
    stack.pop_back();
    h = std::max(h, depth);
    for (int k = 0; k < arity(g, ps); ++k) stack.push_back(depth + 1);
  }
  return h;
}

bool valid(const Tree& t, const PrimitiveSet& ps) {
  if (t.genes.empty()) return false;
  int open = 1;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const Gene& g = t.genes[i];
    if (g.prim >= static_cast<int>(ps.size()) || g.prim < Gene::kConstant) return false;
    if (g.prim == Gene::kConstant && !ps.constants().enabled) return false;
    if (open <= 0) return false;
    open += arity(g, ps) - 1;
  }
  return open == 0;
}

namespace {

// Precedence of what a node prints as: 1 for a + b and a - b, 2 for a*b and a/b, 3 for calls and leaves.
int precedence(const Gene& g, const PrimitiveSet& ps) {
  if (g.terminal()) return g.prim == Gene::kConstant && g.value < 0 ? 0 : 3;
  const Primitive& p = ps[g.prim];
  if (p.arity == 2 && (p.op == Op::kAdd || p.op == Op::kSub)) return 1;
  if (p.arity == 2 && (p.op == Op::kMul || p.op == Op::kDiv)) return 2;
  return 3;
}

struct Printer {
  const Tree& t;
  const PrimitiveSet& ps;
  std::size_t pos = 0;

  std::string node() {
    const Gene& g = t.genes[pos++];
    if (g.prim == Gene::kX) return "x";
    if (g.prim == Gene::kConstant) return activations::format_number(g.value);
    const Primitive& p = ps[g.prim];
    if (p.arity == 1) return p.name + "(" + node() + ")";
    const int my = precedence(g, ps);
    const int lp = precedence(t.genes[pos], ps);
    std::string a = node();
    const int rp = precedence(t.genes[pos], ps);
    std::string b = node();
    if (my == 3) return p.name + "(" + a + ", " + b + ")";
    // Left operand: parenthesise lower precedence; right operand: also equal precedence (keeps the
    // tree's grouping, and so its rounding, under the parser's left associativity).
    if (lp < my) a = "(" + a + ")";
    if (rp <= my) b = "(" + b + ")";
    const char* sym = p.op == Op::kAdd ? " + " : p.op == Op::kSub ? " - " : p.op == Op::kMul ? "*" : "/";
    return a + sym + b;
  }
};

struct Interpreter {
  const Tree& t;
  const PrimitiveSet& ps;
  double x;
  std::size_t pos = 0;
  double node() {
    const Gene& g = t.genes[pos++];
    if (g.prim == Gene::kX) return x;
    if (g.prim == Gene::kConstant) return g.value;
    const Primitive& p = ps[g.prim];
    const double a = node();
    if (p.arity == 1) return p.apply(a);
    const double b = node();
    return p.apply(a, b);
  }
};

}  // namespace

std::string to_formula(const Tree& t, const PrimitiveSet& ps) {
  if (!valid(t, ps)) return "<invalid tree>";
  return Printer{t, ps}.node();
}

Result<activations::Expr> to_expr(const Tree& t, const PrimitiveSet& ps) {
  if (!valid(t, ps)) return Status::internal("invalid GP tree");
  return activations::parse_formula(to_formula(t, ps), {.functions = &activations::catalog_functions()});
}

double evaluate(const Tree& t, const PrimitiveSet& ps, double x) { return Interpreter{t, ps, x}.node(); }

}  // namespace actlab::evolve
