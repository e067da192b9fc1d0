// Printing expressions back to the formula language.
//
//   print(parse_formula("x*sigmoid(1.5*x)").value())   // "x*sigmoid(1.5*x)"
//   print(derivative(parse_formula("x^3").value()))     // "3*x^2"
//
// The output parses back to the same tree (parse → print → parse is the identity, tested): parentheses appear
// exactly where the tree needs them, and numbers are written in the shortest form that reads back bit-exact.
#pragma once

#include <string>

#include "activations/expr.hpp"

namespace actlab::activations {

std::string print(const Expr& e);
// Shortest decimal text that parses back to exactly v ("0.1", "1e-05", "inf", "nan").
std::string format_number(double v);

}  // namespace actlab::activations
