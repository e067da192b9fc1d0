// Symbolic differentiation of expressions.
//
//   Expr f  = parse_formula("x*sigmoid(x)").value();
//   Expr df = derivative(f);            // sigmoid(x) + x*(sigmoid(x)*(1 - sigmoid(x)))
//   Expr da = derivative(g, "a");       // ∂g/∂a, for learnable parameters (PReLU's a, ACON's p1, p2, beta)
//
// The result is simplified. Conventions at points where a derivative does not exist
// (docs/formula-language.md):
//   - where(c, a, b)' = where(c, a', b'): the branch that is taken decides, so catalog formulas written with
//     where() reproduce PyTorch's choice at kinks (relu'(0) = 0, leaky_relu'(0) = slope, hardtanh'(±1) = 0);
//   - max(a, b)' = a' where a > b, b' where b > a, (a' + b')/2 at ties (torch.maximum's rule); min alike;
//   - abs(a)' = sign(a)·a' (0 at 0); floor, ceil, round, trunc, sign and comparisons have derivative 0.
#pragma once

#include <string_view>

#include "activations/expr.hpp"

namespace actlab::activations {

Expr derivative(const Expr& e, std::string_view var = "x");

}  // namespace actlab::activations
