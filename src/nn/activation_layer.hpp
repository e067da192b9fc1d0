// An activation as a layer: any catalog entry or formula, element-wise or row-wise, with learnable parameters
// (PReLU's a, ACON's p1/p2/β, Snake's a) trained with the weights and stochastic entries honouring the mode.
//   element-wise  y = f(x),  keeps f'(x):        dx = dy ⊙ f'(x)
//   learnable     also keeps ∂f/∂a(x):           da += Σ dy ⊙ ∂f/∂a(x)      (one scalar a per layer, as
//                                                                           torch.nn.PReLU() by default)
//   rrelu, train  y = x for x > 0, r·x with r ~ U(lower, upper) per element:  dx = dy ⊙ (1 or r)
//                 (torch.nn.RReLU; eval mode uses the mean slope (lower + upper)/2, the catalog formula)
//   row-wise      y = softmax/softmin/log_softmax/gumbel_softmax(row):  dx = Jᵀ·dy (activations/row_ops.hpp)
// f and f' (and the parameter derivatives) come out of one compiled kernel pass; Mode::kInfer runs a second
// kernel with f alone (no backward follows), which halves the work for costly derivatives (digamma's f' is
// polygamma(1, x)).
#pragma once

#include <vector>

#include "activations/activation.hpp"
#include "activations/kernel.hpp"
#include "nn/layer.hpp"

namespace actlab::nn {

template <class T>
class ActivationLayer final : public Layer<T> {
 public:
  // shape: the per-sample shape of the input (kept for the output). Fails when the activation's derivative
  // cannot be compiled.
  static Result<std::unique_ptr<ActivationLayer>> make(const activations::Activation& act,
                                                       const Shape& shape);

  LayerKind kind() const override { return LayerKind::kActivation; }
  void forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode mode, Rng& rng) override;
  void backward(const RowMatrix<T>& x, const RowMatrix<T>& y, const RowMatrix<T>& dy,
                RowMatrix<T>* dx) override;
  std::vector<Param<T>*> params() override;
  Json to_json() const override;
  std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<ActivationLayer>(*this); }
  std::unique_ptr<Layer<double>> to_double() const override;

  const activations::Activation& activation() const { return act_; }
  // The activation with its learnable parameters at their current values.
  Result<activations::Activation> current_activation() const;

 private:
  explicit ActivationLayer(activations::Activation act) : act_(std::move(act)) {}
  std::vector<double> param_values() const;  // kernel parameter values: learnable ones at their current value

  activations::Activation act_;
  activations::Kernel<T> kernel_;        // outputs f, f', then ∂f/∂a for each learnable a
  activations::Kernel<T> value_kernel_;  // f alone, for Mode::kInfer
  std::vector<std::string> learnable_;   // names, in kernel parameter order
  std::vector<Param<T>> learned_;        // 1×1 values
  RowMatrix<T> slope_;                   // f'(x) (or rrelu's noise) from the last forward
  std::vector<RowMatrix<T>> dparam_;     // ∂f/∂a(x) from the last forward
};

}  // namespace actlab::nn
