// A network: a chain of layers whose shapes fit, with its forward and backward passes and its model file.
//
//   Model<float> m({784});
//   m.add(std::make_unique<Dense<float>>(784, 256));
//   m.add(ActivationLayer<float>::make(Activation::make("relu").value(), {{256}}).value());
//   const MatrixF& out = m.forward(x, Mode::kTrain);   // x: B × 784; x must stay alive until backward
//   m.zero_grad();
//   m.backward(dout);                                    // param grads += ∂L/∂θ
//   auto blocks = param_blocks(m);                       // for optim::Optimizer::step
//
// The model file (docs/training.md) is JSON: {"format": "actlab-model", "version": 1, "input_shape": [..],
// "layers": [{"type": "dense", "in": 2, "out": 12, "weight": [[..in values..] × out], "bias": [..]},
// {"type": "activation", "name": "relu"}, ...]}, weights out × in as in PyTorch (tools/export_torch_model.py
// writes it from an nn.Sequential). An optional "standardize": {"mean": [..], "scale": [..]} block holds the
// model's InputScaling.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "nn/layer.hpp"
#include "optim/optimizer.hpp"

namespace actlab::nn {

// The input standardisation a model was trained with, z = (x − mean) / scale per feature (`actlab train
// --out` writes it as the model file's "standardize" block). Not applied by forward(): callers that take raw
// inputs (eval, predict, the shallow converter) apply it.
struct InputScaling {
  RowVectorF mean, scale;
};

template <class T>
class Model {
 public:
  explicit Model(Shape input = {}, std::uint64_t seed = 0) : input_(std::move(input)), rng_(seed) {}

  // Appends a layer whose input shape must equal the current output shape.
  Status add(std::unique_ptr<Layer<T>> layer);
  template <class L>
  Status add(Result<std::unique_ptr<L>> layer) {
    if (!layer) return layer.status();
    return add(std::unique_ptr<Layer<T>>(std::move(*layer)));
  }

  const Shape& input_shape() const { return input_; }
  const Shape& output_shape() const { return layers_.empty() ? input_ : layers_.back()->out_shape(); }
  std::size_t size() const { return layers_.size(); }
  Layer<T>& layer(std::size_t i) { return *layers_[i]; }
  const Layer<T>& layer(std::size_t i) const { return *layers_[i]; }

  // Runs every layer; returns the output (B × output size), valid until the next forward.
  const RowMatrix<T>& forward(const RowMatrix<T>& x, Mode mode);
  // After forward(x) on the same x: parameter gradients += ∂L/∂θ for dout = ∂L/∂output.
  void backward(const RowMatrix<T>& dout);
  void zero_grad();
  std::vector<Param<T>*> params();
  std::size_t parameter_count();

  // Evaluation-mode outputs for many rows, chunk rows at a time (bounded memory).
  RowMatrix<T> predict(const RowMatrix<T>& x, Eigen::Index chunk = 1024);

  const std::optional<InputScaling>& input_scaling() const { return scaling_; }
  void set_input_scaling(std::optional<InputScaling> z) { scaling_ = std::move(z); }

  // Stream for dropout, rrelu and gumbel noise.
  Rng& rng() { return rng_; }
  void set_seed(std::uint64_t seed) { rng_ = Rng(seed); }

  Json to_json() const;
  // An independent copy (same layers, parameters, scaling and noise stream; no forward state).
  Model clone() const;
  // The same network in double precision (same weights, same activations).
  Model<double> to_double() const;

 private:
  Shape input_;
  std::vector<std::unique_ptr<Layer<T>>> layers_;
  std::vector<RowMatrix<T>> outputs_;  // outputs_[i] = output of layer i in the last forward
  // out_[i] = where layer i's output is: &outputs_[i], or its input's for a layer that passes_through()
  std::vector<const RowMatrix<T>*> out_;
  const RowMatrix<T>* input_data_ = nullptr;
  std::vector<RowMatrix<T>> input_grads_;  // ∂L/∂(input of layer i), kept between steps
  Rng rng_;
  std::optional<InputScaling> scaling_;
};

// Parameter blocks for an optimiser, in a fixed order (layer by layer, weight before bias).
std::vector<optim::ParamBlock> param_blocks(Model<float>& model);

// Reads the model file format; `origin` names the file in messages ("m.json: layers[2] (dense): ...").
template <class T>
Result<Model<T>> model_from_json(const Json& j, const std::string& origin);
Result<Model<float>> load_model(const std::string& path);
Status save_model(const Model<float>& model, const std::string& path);

}  // namespace actlab::nn
