// Polynomials in up to ten variables, for the `poly:<expr>` regression generator.
//
//   auto p = data::parse_polynomial("x^2 - 3*y + 1");   // Result<Polynomial>
//   p->variables();                                      // 2: x is input 0, y input 1
//   p->evaluate({0.5, 2.0});                             // 0.25 - 6 + 1 = -4.75
//   data::parse_polynomial("x^-1");   // error "1:3: the exponent must be a non-negative integer"
//
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*          division only by an expression without variables
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' integer)?              -x^2 = -(x^2)
//   primary := number | variable | '(' expr ')'
//   variable: x y z w (inputs 0..3) or x0 .. x9 (inputs 0..9); the two spellings may not be mixed.
//
// The number of inputs is the highest input index used plus one (so `poly:y` has inputs x and y).
// Errors are "line:column: message" with 1-based positions inside the text (plus `first_column` − 1).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace actlab::data {

class Polynomial {
 public:
  struct Node;  // the expression tree (polynomial.cpp)

  // Number of inputs (highest variable index + 1; 0 for a constant).
  int variables() const { return variables_; }
  // The names of the inputs, in order: {"x", "y", ...} or {"x0", "x1", ...}.
  const std::vector<std::string>& names() const { return names_; }
  // The value at `inputs` (size ≥ variables()).
  double evaluate(std::span<const double> inputs) const;
  const std::string& text() const { return text_; }

 private:
  friend Result<Polynomial> parse_polynomial(std::string_view, int);
  std::shared_ptr<const Node> root_;
  int variables_ = 0;
  std::vector<std::string> names_;
  std::string text_;
};

Result<Polynomial> parse_polynomial(std::string_view text, int first_column = 1);

}  // namespace actlab::data
