// A deep ReLU network in double precision: affine layers with ReLU between them, the last one linear.
//
//   auto net = DeepReluNet::from_model(nn::load_model("m.json").value()).value();  // dense + relu (or PL)
//   Eigen::VectorXd y = net.forward(x);   // F(x) = z^(L)
//   Pattern s = net.pattern(x);           // δ_i = 1 iff z_i > 0, hidden neurons in layer order
//   LocalModel lm = net.local(s);         // α_s, β_s and the N rows (A_i, d_i) of the region
//
// Notation (docs/shallow.md, "The construction"; Villani & Schoots, arXiv:2306.11827):
//   z^(l) = W^(l) h^(l−1) + b^(l),  h^(0) = x,  h^(l) = σ(z^(l)),  F(x) = z^(L)
//   A^(1) = W^(1), d^(1) = b^(1);  A^(l) = W^(l) Δ^(l−1) A^(l−1),  d^(l) = W^(l) Δ^(l−1) d^(l−1) + b^(l)
//   on R_s: z^(l)(x) = A^(l) x + d^(l);  α_s = A^(L),  β_s = d^(L).
// Shapes: n = input size, m = outputs, N = hidden neurons Σ_{l<L} n_l; W^(l) is n_l × n_{l−1} (PyTorch).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "core/matrix.hpp"
#include "core/status.hpp"
#include "nn/model.hpp"

namespace actlab::shallow {

using Pattern = std::vector<std::uint8_t>;  // one 0/1 per hidden neuron, layer by layer

struct AffineLayer {
  MatrixD w;          // out × in
  Eigen::VectorXd b;  // out
};

// The local affine model of a region, and its half-space rows (unsigned: z_i = A_i·x + d_i).
struct LocalModel {
  MatrixD rows_a;          // N × n
  Eigen::VectorXd rows_d;  // N
  MatrixD alpha;           // m × n
  Eigen::VectorXd beta;    // m
};

class DeepReluNet {
 public:
  DeepReluNet() = default;
  // ReLU after every layer but the last. Fails when the shapes do not chain or a value is not finite.
  static Result<DeepReluNet> make(std::vector<AffineLayer> layers);
  // From an actlab model: dense, flatten, dropout (identity at evaluation) and activation layers whose
  // activation is continuous piecewise linear (shallow/piecewise.hpp: relu, leaky_relu, prelu, hardtanh,
  // relu6, abs, ...). Each activation g = offset + Σ_k coef_k·relu(scale_k·t + shift_k) becomes a ReLU layer
  // with one unit per (neuron, hinge), neuron j's units adjacent; the combination Σ_k coef_k·u_jk + offset is
  // folded into the next layer (the read-out after the last activation). Consecutive affine maps are
  // composed. Any other activation or layer is an error naming it and its index ("layers[1] (activation):
  // activation 'tanh' is not piecewise linear; ...").
  static Result<DeepReluNet> from_model(const nn::Model<float>& model);

  // Folds the input standardisation x' = (x − mean)/scale into the first layer (the net then reads raw x).
  Status fold_standardization(const Eigen::VectorXd& mean, const Eigen::VectorXd& scale);

  int input_dim() const { return static_cast<int>(layers_.front().w.cols()); }
  int output_dim() const { return static_cast<int>(layers_.back().w.rows()); }
  int hidden() const { return hidden_; }                          // N
  int depth() const { return static_cast<int>(layers_.size()); }  // L (hidden layers + read-out)
  const std::vector<AffineLayer>& layers() const { return layers_; }
  // Hidden layer of each neuron index, and the first neuron index of each layer (size L, last = N).
  const std::vector<int>& layer_of() const { return layer_of_; }
  const std::vector<int>& layer_start() const { return layer_start_; }
  // True when every weight and bias is an integer (then integer inputs give exact pre-activations).
  bool integer_weights() const;
  // "2-12-1"
  std::string arch() const;

  Eigen::VectorXd forward(const Eigen::VectorXd& x) const;
  // Forward pass that also returns every hidden pre-activation (N values, layer order).
  Eigen::VectorXd forward(const Eigen::VectorXd& x, Eigen::VectorXd& preact) const;
  Pattern pattern(const Eigen::VectorXd& x) const;
  // α, β and the rows of the region with pattern s (any 0/1 vector; the rows need not be consistent).
  LocalModel local(const Pattern& s) const;

 private:
  void index();
  std::vector<AffineLayer> layers_;
  std::vector<int> layer_of_, layer_start_;
  int hidden_ = 0;
};

// Test problem (tests, benchmarks, docs): a random net with widths {n, n_1, ..., m}. Default: He-initialised
// weights N(0, 2/fan_in) and biases N(0, 0.25²) as in the prototype of docs/benchmarks.md; with integer_hi >
// integer_lo, uniform integer weights and biases in [integer_lo, integer_hi] (exact zero pre-activations on
// integer inputs).
DeepReluNet random_relu_net(const std::vector<int>& widths, std::uint64_t seed, int integer_lo = 0,
                            int integer_hi = 0);

// Test problem: the same as an actlab model with any activations, acts[l] after hidden layer l (one act: the
// same after every hidden layer; the output layer stays linear). Weights N(0, 2/fan_in), biases N(0, 0.5²),
// or uniform integers in [integer_lo, integer_hi]. Errors: acts of the wrong size, a row-wise activation.
Result<nn::Model<float>> random_mlp_model(const std::vector<int>& widths,
                                          const std::vector<activations::Activation>& acts,
                                          std::uint64_t seed, int integer_lo = 0, int integer_hi = 0);

}  // namespace actlab::shallow
