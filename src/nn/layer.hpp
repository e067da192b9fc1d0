// The layer interface: forward and backward over batch-major matrices, parameters as (value, grad) pairs.
//
//   Dense<float> d(64, 10);                  // y = x·Wᵀ + b
//   MatrixF y;
//   d.forward(x, y, Mode::kTrain, rng);      // x: batch × 64  →  y: batch × 10
//   MatrixF dx;
//   d.backward(x, y, dy, &dx);               // dW += dyᵀ·x, db += Σ_rows dy, dx = dy·W
//
// Shape legend (every file in nn/): B = batch, per-sample sizes flattened; images are channel-major
// {C, H, W} rows as PyTorch's NCHW tensors are. Forward keeps whatever backward needs (f'(x), masks, argmax)
// inside the layer, so backward must follow the forward of the same batch. Parameter gradients are added
// with += (llm.c's convention): the model zeroes them before each backward pass; dx is overwritten.
// T is float for training and double for the finite-difference gradient check.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/matrix.hpp"
#include "core/rng.hpp"
#include "core/status.hpp"

namespace actlab::nn {

// kTrain: dropout and rrelu are random; kEval: deterministic, and backward may follow (input gradients of a
// trained net, as PyTorch allows in eval mode); kInfer: as kEval, but no backward follows, so a layer may
// skip what only backward needs (an activation's f'(x)): evaluation and prediction use it.
enum class Mode { kTrain, kEval, kInfer };

// Per-sample shape: {n} for vectors, {C, H, W} for images.
struct Shape {
  std::vector<int> dims;
  int size() const {
    int s = 1;
    for (int d : dims) s *= d;
    return s;
  }
  bool operator==(const Shape&) const = default;
  std::string str() const;  // "[1, 28, 28]"
};

template <class T>
struct Param {
  std::string name;  // "weight", "bias", or an activation parameter's name
  RowMatrix<T> value;
  RowMatrix<T> grad;  // same shape as value
};

// The kinds of layer a model holds. kLayerKinds is the one table of them: the model file's "type" names
// (Layer::type(), the loader), whether the kind has a weight and a bias that initialisation fills, and the
// gradient-check registry's list of kinds to cover (tests/nn/gradient_check_test.cpp).
enum class LayerKind { kDense, kConv2d, kMaxPool2d, kDropout, kFlatten, kActivation };

struct LayerKindInfo {
  LayerKind kind;
  std::string_view name;  // the model file's "type"
  bool weighted;          // has a weight and a bias (nn::initialize fills them)
};

inline constexpr std::array<LayerKindInfo, 6> kLayerKinds = {{
    {LayerKind::kDense, "dense", true},
    {LayerKind::kConv2d, "conv2d", true},
    {LayerKind::kMaxPool2d, "maxpool2d", false},
    {LayerKind::kDropout, "dropout", false},
    {LayerKind::kFlatten, "flatten", false},
    {LayerKind::kActivation, "activation", false},
}};

const LayerKindInfo& layer_kind_info(LayerKind k);
std::string_view layer_kind_name(LayerKind k);
// The kind named by a model file's "type"; nullopt when none is.
std::optional<LayerKind> parse_layer_kind(std::string_view name);
// Every name, in table order: "dense, conv2d, maxpool2d, dropout, flatten, activation".
std::string layer_kind_names();

template <class T>
class Layer {
 public:
  virtual ~Layer() = default;
  virtual LayerKind kind() const = 0;
  // The kind's name in the model file: "dense", "conv2d", "maxpool2d", "dropout", "flatten", "activation".
  std::string type() const { return std::string(layer_kind_name(kind())); }
  const Shape& in_shape() const { return in_; }
  const Shape& out_shape() const { return out_; }

  // y ← layer(x); y is resized to B × out_shape().size().
  virtual void forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode mode, Rng& rng) = 0;
  // Param grads += ∂L/∂θ; *dx ← ∂L/∂x (skipped when dx is null). x and y are those of the last forward.
  virtual void backward(const RowMatrix<T>& x, const RowMatrix<T>& y, const RowMatrix<T>& dy,
                        RowMatrix<T>* dx) = 0;
  virtual std::vector<Param<T>*> params() { return {}; }
  // True when forward is y = x and backward dx = dy (only the shape changes, as Flatten): Model then passes
  // the matrices through instead of copying them.
  virtual bool passes_through() const { return false; }
  // The model file's entry for this layer (docs/training.md: the actlab-model format).
  virtual Json to_json() const = 0;
  // An independent deep copy: the same parameters and settings, and a copy of the forward caches, which the
  // next forward overwrites (data-parallel training runs one replica per thread).
  virtual std::unique_ptr<Layer<T>> clone() const = 0;
  // A copy in another precision (the gradient check runs a float model's exact twin in double).
  virtual std::unique_ptr<Layer<double>> to_double() const = 0;

 protected:
  Shape in_, out_;
};

// Matrix ↔ JSON: a row-major matrix as a list of rows; a 1×n or n×1 matrix as a flat list.
template <class T>
Json matrix_to_json(const RowMatrix<T>& m);
template <class T>
Json vector_to_json(const RowMatrix<T>& m);

}  // namespace actlab::nn
