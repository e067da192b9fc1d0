// Test support: random formulas in x for property tests (simplify() keeps the value, symbolic derivatives
// match finite differences, the compiled kernel matches evaluate()).
//
//   Rng rng(314159);
//   RandomFormulaOptions opt;
//   opt.smooth_only = true;         // smooth and finite on the whole real line: for finite differences
//   opt.parameters = {"a"};         // leaves: x, constants and the parameter a
//   opt.max_polygamma_order = 2;    // f'' of polygamma(2, u) is polygamma(4, u), the highest evaluated
//   const Expr f = random_formula(rng, 4, opt);
//
// Trees are built node for node with Expr::make, so no smart constructor hides a case. Every op gets an
// argument inside its domain (log of 1.5 + cos u, asin of 0.9·tanh u, a division by 1.5 + sin u, polygamma
// of 1.5 + sin u, ...) and exp only sees tanh u, so every formula is finite for every finite x, and of
// moderate size for moderate x (|x| up to about 5) and the given constants. Leaves are x (half of them),
// the parameters (a sixth, when there are any) and constants.
//
// The ops:
//   - always: + − · /, neg (also −(−u)), sin cos tan, tanh sigmoid softplus atan erf erfc, exp expm1 log
//     log1p log10 sqrt, asin acos sinh cosh, pow with a positive base and a smooth exponent, tanh(u)^k for
//     k = 0..5, polygamma up to max_polygamma_order, and one subtree used twice (u + u, u·u, u − u, u·sin u,
//     u − sin u, e^{tanh u}/e^{tanh u});
//   - unless smooth_only, also kinks and jumps: abs, sign, floor, ceil, round, trunc, max, min, max(u, u),
//     the six comparisons, where() with a comparison (the kernel's fused select) or with a plain non-zero
//     condition; powers of a positive base with constant exponents (integer and not, −16 to 17: repeated
//     multiplication and pow() in the kernel); and the constants −0, 1e-3 and 7.5.
// With smooth_only every formula is C∞ on the whole real line, and so are its first and second derivatives
// with respect to x and the parameters.
//
// abs is never applied directly to abs: ExprSmartDeathTest.AbsOfAbsIsAbs checks that case in a child process.
// Arguments are drawn left to right (never two draws in one function call's arguments, whose order is
// unspecified), so a seed gives the same tree whatever the compiler.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "activations/expr.hpp"
#include "core/rng.hpp"
#include "support/expr_builders.hpp"

namespace actlab::testing {

struct RandomFormulaOptions {
  // Only ops smooth where they are used, and the moderate constants (see the top of the file).
  bool smooth_only = false;
  // Names besides x that may appear as leaves (Expr::var).
  std::vector<std::string> parameters;
  // polygamma(n, ·) appears with n = 0..max_polygamma_order (evaluate() handles n ≤ 4).
  int max_polygamma_order = 4;
};

// A random formula of at most `depth` levels of ops (not counting the guards that keep arguments in domain).
inline activations::Expr random_formula(Rng& rng, int depth, const RandomFormulaOptions& opt = {}) {
  using activations::Expr;
  using activations::Op;
  // The last three constants only without smooth_only.
  static const double kConsts[] = {0.0,  1.0, -1.0, 2.0, -2.0, 0.5,  -0.5,
                                   0.25, 1.5, -1.5, 3.0, -0.0, 1e-3, 7.5};
  static const Op kComparisons[] = {Op::kGt, Op::kGe, Op::kLt, Op::kLe, Op::kEq, Op::kNe};
  static const double kExponents[] = {-3, -2, -1, 0, 1, 2, 3, 4, 5, 7, 16, 17, 0.5, 1.5, -0.5, 2.25, -16};
  constexpr int kSmoothCases = 28, kAllCases = 40;

  if (depth == 0 || rng.uniform() < 0.15) {
    const auto pick = rng.below(12);
    if (pick < 6) return x();
    if (pick < 8 && !opt.parameters.empty())
      return Expr::var(opt.parameters[rng.below(opt.parameters.size())]);
    return c(kConsts[rng.below(std::size(kConsts) - (opt.smooth_only ? 3 : 0))]);
  }
  auto s = [&] { return random_formula(rng, depth - 1, opt); };
  auto two = [&](Op op) {
    const Expr a = s();
    const Expr b = s();
    return bin(op, a, b);
  };
  auto positive = [&] { return bin(Op::kAdd, c(1.5), un(Op::kSin, s())); };  // in [0.5, 2.5]
  switch (rng.below(opt.smooth_only ? kSmoothCases : kAllCases)) {
    case 0: return two(Op::kAdd);
    case 1: return two(Op::kSub);
    case 2: return two(Op::kMul);
    case 3: {
      const Expr a = s();
      return bin(Op::kDiv, a, positive());
    }
    case 4: return un(Op::kNeg, s());
    case 5: return un(Op::kNeg, un(Op::kNeg, s()));
    case 6: return un(Op::kSin, s());
    case 7: return un(Op::kCos, s());
    case 8: return un(Op::kTanh, s());
    case 9: return un(Op::kSigmoid, s());
    case 10: return un(Op::kSoftplus, s());
    case 11: return un(Op::kAtan, s());
    case 12: return un(Op::kErf, s());
    case 13: return un(Op::kErfc, un(Op::kSin, s()));
    case 14: return un(Op::kExp, un(Op::kTanh, s()));
    case 15: return un(Op::kExpm1, un(Op::kSin, s()));
    case 16: return un(Op::kLog, bin(Op::kAdd, c(1.5), un(Op::kCos, s())));
    case 17: return un(Op::kLog1p, bin(Op::kPow, s(), c(2)));
    case 18: return un(Op::kLog10, bin(Op::kAdd, c(1), bin(Op::kPow, s(), c(2))));
    case 19: return un(Op::kSqrt, rng.below(2) ? positive() : bin(Op::kAdd, c(1), bin(Op::kPow, s(), c(2))));
    case 20: return un(Op::kAsin, bin(Op::kMul, c(0.9), un(Op::kTanh, s())));
    case 21: return un(Op::kAcos, bin(Op::kMul, c(0.9), un(Op::kSin, s())));
    case 22: {
      const Op op = rng.below(2) ? Op::kSinh : Op::kCosh;
      return un(op, un(Op::kSin, s()));
    }
    case 23: return un(Op::kTan, bin(Op::kMul, c(0.8), un(Op::kAtan, s())));
    case 24: {
      const Expr base = positive();
      return bin(Op::kPow, base, un(Op::kCos, s()));
    }
    case 25: {
      const double k = static_cast<double>(rng.below(6));
      return bin(Op::kPow, un(Op::kTanh, s()), c(k));
    }
    case 26: {
      const auto order = static_cast<int>(rng.below(static_cast<std::uint64_t>(opt.max_polygamma_order) + 1));
      return Expr::make(Op::kPolygamma, {positive()}, order);
    }
    case 27: {
      // One node used twice: u + u, u·u, u − u and max(u, u) are rules of the smart constructors.
      const Expr u = s();
      switch (rng.below(opt.smooth_only ? 6 : 7)) {
        case 0: return bin(Op::kAdd, u, u);
        case 1: return bin(Op::kMul, u, u);
        case 2: return bin(Op::kSub, u, u);
        case 3: return bin(Op::kMul, u, un(Op::kSin, u));
        case 4: return bin(Op::kSub, u, un(Op::kSin, u));
        case 5: return bin(Op::kDiv, un(Op::kExp, un(Op::kTanh, u)), un(Op::kExp, un(Op::kTanh, u)));
        default: return bin(Op::kMax, u, u);
      }
    }
    // kSmoothCases ends here.
    case 28: {
      const Expr u = s();
      return un(Op::kAbs, u.op() == Op::kAbs ? un(Op::kSin, u) : u);
    }
    case 29: return un(Op::kSign, s());
    case 30: return un(Op::kFloor, s());
    case 31: return un(Op::kCeil, s());
    case 32: return un(Op::kRound, s());
    case 33: return un(Op::kTrunc, s());
    case 34: return two(Op::kMax);
    case 35: return two(Op::kMin);
    case 36: return two(kComparisons[rng.below(std::size(kComparisons))]);
    case 37:  // where(a cmp b, c, d): one fused select in the kernel
      return Expr::make(Op::kWhere, {two(kComparisons[rng.below(std::size(kComparisons))]), s(), s()});
    case 38: return Expr::make(Op::kWhere, {s(), s(), s()});  // plain condition: non-zero selects the first
    default: {
      const Expr base = positive();
      return bin(Op::kPow, base, c(kExponents[rng.below(std::size(kExponents))]));
    }
  }
}

}  // namespace actlab::testing
