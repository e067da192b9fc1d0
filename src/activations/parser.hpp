// The formula language: text → Expr. Grammar and examples in docs/formula-language.md.
//
//   auto f = parse_formula("where(x > 0, x, 0.01*x)");            // Result<Expr>
//   auto g = parse_formula("x*max(0, x + 1)^2");
//   auto h = parse_formula("repu(x, p=3)", {.functions = &catalog_functions()});   // catalog names as
//   functions parse_formula("max(0, x");   // error "1:9: expected ')' after argument"
//
//   formula := cmp
//   cmp     := sum (('>' | '>=' | '<' | '<=' | '==' | '!=') sum)?
//   sum     := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary (('^' | '**') unary)?          right-associative: 2^-x^2 = 2^(-(x^2))
//   primary := number | name | name '(' args ')' | '(' cmp ')'
//   args    := arg (',' arg)*      arg := cmp | name '=' cmp
//
// The tree is built exactly as written (no simplification), so print(parse(s)) parses back to the same tree.
// Built-in functions expand into primitives where they are sugar (frac(a) = a - trunc(a), clamp, step).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "activations/expr.hpp"
#include "core/status.hpp"

namespace actlab::activations {

using NamedArgs = std::vector<std::pair<std::string, Expr>>;

// Functions beyond the built-ins (the catalog provides one: every entry callable as name(x, param=value)).
class FunctionResolver {
 public:
  virtual ~FunctionResolver() = default;
  // std::nullopt: no function of that name. An error Result: the function exists but the arguments are wrong
  // (the message carries no position; the parser prefixes it).
  virtual std::optional<Result<Expr>> call(std::string_view name, const std::vector<Expr>& positional,
                                           const NamedArgs& named) const = 0;
  // Every name call() accepts, for "did you mean" suggestions.
  virtual std::vector<std::string> names() const = 0;
};

struct ParseOptions {
  const FunctionResolver* functions = nullptr;
  // Names other than x that may appear free (parameters bound later with substitute()).
  std::vector<std::string> parameters = {};
  // Where the formula sits in a larger file, for error positions.
  int line = 1;
  int first_column = 1;
};

Result<Expr> parse_formula(std::string_view text, const ParseOptions& options = {});

// Names of the built-in functions and constants of the formula language.
const std::vector<std::string>& builtin_names();

// Up to `max_count` of `candidates` closest to `name` by edit distance (close enough to be a plausible typo).
std::vector<std::string> nearest_names(std::string_view name, const std::vector<std::string>& candidates,
                                       std::size_t max_count = 3);

}  // namespace actlab::activations
