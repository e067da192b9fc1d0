// Compiled evaluators: a set of expressions → one flat program over arrays (float for training, double for
// theory).
//
//   Expr f = parse_formula("x*sigmoid(x)").value();
//   auto k = Kernel<float>::compile({f, derivative(f)}).value();    // f and f' in one pass
//   std::vector<float> x(n), y(n), dy(n);
//   k.eval(x, {y.data(), dy.data()});
//
// The program is a list of instructions over registers. Evaluation runs block by block (kBlock elements):
// each instruction is one tight loop over the block, written with Eigen's array functions so the compiler
// vectorises it (Eigen's packet exp/log/tanh/logistic; for float also tan, atan, asin, acos, sinh, cosh, erfc
// and polygamma from vector_math.hpp, which Eigen 3.4 leaves scalar), and the block's registers stay in L1
// cache. Shared subexpressions are computed once (f and f' share sigmoid(x) above); where(a > b, c, d) fuses
// the comparison into the select. Parameters (variables other than x) are scalar inputs bound at each eval
// call, so a learnable parameter needs no recompilation.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "activations/expr.hpp"
#include "core/status.hpp"

namespace actlab::activations {

// One instruction: dst = op(a, b, c). Ops beyond Op (fused and constant-exponent forms) use the codes below.
struct Instr {
  enum class Kind : std::uint8_t { kOp, kWhereCmp, kPowInt, kPowConst };
  Kind kind = Kind::kOp;
  Op op = Op::kConst;                       // the Op (kOp); the comparison (kWhereCmp)
  int order = 0;                            // polygamma order; integer exponent (kPowInt)
  double imm = 0.0;                         // constant exponent (kPowConst)
  int dst = 0, a = 0, b = 0, c = 0, d = 0;  // kWhereCmp: dst = (a cmp b) ? c·scale_c : d·scale_d
  double scale_c = 1.0, scale_d = 1.0;      // kWhereCmp: a branch k·y folded in (leaky_relu in one pass)
};

struct Program {
  std::vector<Instr> code;
  int register_count = 0;
  int input_register = 0;
  // Registers that hold a constant or a parameter for the whole evaluation.
  struct Fill {
    int reg;
    double value;
    int param = -1;  // index into the parameter list, or -1 for a constant
  };
  std::vector<Fill> fills;
  std::vector<int> outputs;  // register holding each output
  std::vector<std::string> params;
};

Result<Program> compile_program(const std::vector<Expr>& outputs,
                                const std::vector<std::string>& params = {});

template <class T>
class Kernel {
 public:
  static constexpr std::size_t kBlock = 256;  // the smallest block; see eval()

  Kernel() = default;
  explicit Kernel(Program p) : p_(std::move(p)) {}
  // Every variable other than x must be listed in params (error otherwise).
  static Result<Kernel> compile(const std::vector<Expr>& outputs,
                                const std::vector<std::string>& params = {}) {
    auto p = compile_program(outputs, params);
    if (!p) return p.status();
    return Kernel(std::move(*p));
  }

  // out[k][i] = outputs[k](x[i]); out has output_count() pointers to arrays of x.size() elements.
  // param_values are in the order of the params given to compile().
  void eval(std::span<const T> x, std::span<T* const> out, std::span<const double> param_values = {}) const;
  void eval(std::span<const T> x, std::span<T> out, std::span<const double> param_values = {}) const {
    T* p = out.data();
    eval(x, std::span<T* const>(&p, 1), param_values);
  }
  // Convenience: the first output at one point.
  T operator()(T x, std::span<const double> param_values = {}) const;

  std::size_t output_count() const { return p_.outputs.size(); }
  const Program& program() const { return p_; }

 private:
  Program p_;
};

extern template class Kernel<float>;
extern template class Kernel<double>;

}  // namespace actlab::activations
