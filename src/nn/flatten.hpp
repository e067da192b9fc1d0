// Flatten: {C, H, W} → {C·H·W} (PyTorch's nn.Flatten). Rows are already flat (channel-major, as NCHW), so the
// layer only renames the shape:  y = x,  dx = dy  (inside a Model no copy is made: passes_through()).
#pragma once

#include "nn/layer.hpp"

namespace actlab::nn {

template <class T>
class Flatten final : public Layer<T> {
 public:
  explicit Flatten(const Shape& in) {
    this->in_ = in;
    this->out_ = {{in.size()}};
  }
  LayerKind kind() const override { return LayerKind::kFlatten; }
  bool passes_through() const override { return true; }
  void forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode, Rng&) override { y = x; }
  void backward(const RowMatrix<T>&, const RowMatrix<T>&, const RowMatrix<T>& dy, RowMatrix<T>* dx) override {
    if (dx) *dx = dy;
  }
  Json to_json() const override { return {{"type", this->type()}}; }
  std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Flatten>(*this); }
  std::unique_ptr<Layer<double>> to_double() const override {
    return std::make_unique<Flatten<double>>(this->in_);
  }
};

}  // namespace actlab::nn
