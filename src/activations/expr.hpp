// Expression trees: the one representation of an activation (docs/formula-language.md).
//
//   Expr x = Expr::var("x");
//   Expr f = mul(x, apply(Op::kSigmoid, mul(Expr::constant(1.5), x)));   // x*sigmoid(1.5*x)
//   double y = evaluate(f, 2.0);                                        // 1.9051...
//   Expr g = substitute(parse_formula("x*sigmoid(b*x)").value(), "b", 1.5);
//
// An Expr is an immutable, shared tree node. `Expr::make` builds a node exactly as given (the parser uses it,
// so that parse → print → parse is the identity); the smart constructors `add`, `mul`, ..., `apply` simplify
// while building (constant folding, 0/1 identities, where() with a constant condition); `simplify` rebuilds a
// whole tree with them. Variables are names: "x" is the input, any other name is a parameter (PReLU's `a`,
// RePU's `p`).
//
// Numerical conventions (the same in the scalar evaluator here and in the compiled Kernel):
//   - comparisons give 1 or 0; where(c, a, b) = c != 0 ? a : b (both branches are computed, one is used);
//   - max/min propagate NaN; sigmoid and softplus are evaluated in their overflow-free forms;
//   - round is round-half-to-even (like torch.round); polygamma(0, x) is digamma.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace actlab::activations {

enum class Op : std::uint8_t {
  // leaves
  kConst,
  kVar,
  // unary
  kNeg,
  kAbs,
  kSign,
  kExp,
  kExpm1,
  kLog,
  kLog1p,
  kLog10,
  kSqrt,
  kSin,
  kCos,
  kTan,
  kAsin,
  kAcos,
  kAtan,
  kSinh,
  kCosh,
  kTanh,
  kSigmoid,
  kSoftplus,
  kErf,
  kErfc,
  kFloor,
  kCeil,
  kRound,
  kTrunc,
  kPolygamma,  // order n in Node::order; n = 0 is digamma
  // binary
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kMax,
  kMin,
  kGt,
  kGe,
  kLt,
  kLe,
  kEq,
  kNe,
  // ternary
  kWhere,
};

struct OpInfo {
  std::string_view name;  // function name in the formula language ("" for operators written infix)
  int arity;
  // Piecewise-constant selector: the op switches branch or jumps (comparisons, max, min, abs, sign, floor,
  // ...). Kinks of an expression can only sit where some selector changes value.
  bool selector;
};
const OpInfo& op_info(Op op);
bool is_comparison(Op op);

struct Node;

class Expr {
 public:
  Expr();  // the constant 0
  static Expr constant(double v);
  static Expr var(std::string name);
  // A node exactly as given, without simplification.
  static Expr make(Op op, std::vector<Expr> args, int order = 0);

  Op op() const;
  double value() const;             // kConst only
  const std::string& name() const;  // kVar only
  int order() const;                // kPolygamma only
  const std::vector<Expr>& args() const;
  const Expr& arg(std::size_t i) const { return args()[i]; }
  std::size_t hash() const;
  const Node* node() const { return n_.get(); }

  bool is_const() const { return op() == Op::kConst; }
  bool is_const(double v) const { return is_const() && value() == v; }
  bool is_var(std::string_view name) const;

  friend bool operator==(const Expr& a, const Expr& b);

 private:
  explicit Expr(std::shared_ptr<const Node> n) : n_(std::move(n)) {}
  std::shared_ptr<const Node> n_;
};

struct Node {
  Op op = Op::kConst;
  int order = 0;
  double value = 0.0;
  std::string name;
  std::vector<Expr> args;
  std::size_t hash = 0;
};

// Smart constructors: build and simplify.
Expr add(const Expr& a, const Expr& b);
Expr sub(const Expr& a, const Expr& b);
Expr mul(const Expr& a, const Expr& b);
Expr div(const Expr& a, const Expr& b);
Expr pow(const Expr& a, const Expr& b);
Expr neg(const Expr& a);
Expr where(const Expr& c, const Expr& a, const Expr& b);
// Any op, simplified. `order` is the polygamma order.
Expr apply(Op op, std::vector<Expr> args, int order = 0);
inline Expr constant(double v) { return Expr::constant(v); }

// Rebuild the tree bottom-up with the smart constructors.
Expr simplify(const Expr& e);
// Replace variable `name` by the constant `value`, simplifying what becomes constant.
Expr substitute(const Expr& e, std::string_view name, double value);
// Replace variable `name` by the expression `by` (no simplification: keeps the tree's shape).
Expr substitute(const Expr& e, std::string_view name, const Expr& by);
// Names of the variables in e, sorted.
std::vector<std::string> variables(const Expr& e);
// Number of distinct nodes (shared subtrees counted once).
std::size_t node_count(const Expr& e);

// Scalar semantics of one op (used for constant folding and the reference evaluator).
double apply_scalar(Op op, double a, double b = 0.0, double c = 0.0, int order = 0);
// Tree-walking evaluation with x bound to `x` (every other variable must have been substituted).
double evaluate(const Expr& e, double x);

}  // namespace actlab::activations
