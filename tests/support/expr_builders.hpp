// Test support: short builders for expression trees, for writing expected trees by hand.
//
//   using actlab::testing::bin;                  // and x, c, un
//   const Expr e = bin(Op::kMul, x(), un(Op::kSigmoid, bin(Op::kMul, c(1.5), x())));  // x·sigmoid(1.5x)
//
// They build exactly the node asked for with Expr::make (no smart-constructor simplification), so a test can
// write the tree it expects, or feed the smart constructors, simplify() and the printer a tree they did not
// shape themselves. Header-only: actlab_test_support links actlab_core only, and every test executable that
// includes this links actlab_activations.
#pragma once

#include <limits>

#include "activations/expr.hpp"

namespace actlab::testing {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

// The input variable x.
inline activations::Expr x() { return activations::Expr::var("x"); }
// The constant v.
inline activations::Expr c(double v) { return activations::Expr::constant(v); }
// op(a), as written.
inline activations::Expr un(activations::Op op, const activations::Expr& a) {
  return activations::Expr::make(op, {a});
}
// op(a, b), as written.
inline activations::Expr bin(activations::Op op, const activations::Expr& a, const activations::Expr& b) {
  return activations::Expr::make(op, {a, b});
}

}  // namespace actlab::testing
