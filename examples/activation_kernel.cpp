// A complete program using the public headers: take an activation by name or formula, print its derivative
// symbolically, and evaluate f and f' over an array with the compiled float kernel.
//
//   build/examples/activation_kernel 'x*sigmoid(1.5*x)'
#include <cstdio>
#include <vector>

#include "activations/activation.hpp"
#include "activations/printer.hpp"

int main(int argc, char** argv) {
  using actlab::activations::Activation;
  const char* spec = argc > 1 ? argv[1] : "mish";
  auto act = Activation::make(spec);
  if (!act) {
    std::fprintf(stderr, "%s\n", act.status().message().c_str());
    return 2;
  }
  std::printf("f(x)   = %s\nf'(x)  = %s\n", actlab::activations::print(act->f_expr()).c_str(),
              actlab::activations::print(act->df_expr()).c_str());
  std::vector<float> x = {-2, -1, 0, 1, 2}, y(x.size()), dy(x.size());
  float* outs[2] = {y.data(), dy.data()};
  act->kernel_f32().eval(x, outs);  // f and f' in one pass, shared subexpressions computed once
  for (std::size_t i = 0; i < x.size(); ++i)
    std::printf("x = %5.1f  f = %10.6f  f' = %10.6f\n", x[i], y[i], dy[i]);
  return 0;
}
