// Max pooling over non-overlapping size × size windows (PyTorch's nn.MaxPool2d(size), stride = size, floor):
//   y[b, c, oy, ox] = max over the window;  backward routes dy to the window's argmax (first maximum in
//   row-major window order, as torch does).
#pragma once

#include <cstdint>
#include <vector>

#include "nn/layer.hpp"

namespace actlab::nn {

template <class T>
class MaxPool2d final : public Layer<T> {
 public:
  static Result<std::unique_ptr<MaxPool2d>> make(const Shape& in, int size = 2);
  LayerKind kind() const override { return LayerKind::kMaxPool2d; }
  void forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode mode, Rng& rng) override;
  void backward(const RowMatrix<T>& x, const RowMatrix<T>& y, const RowMatrix<T>& dy,
                RowMatrix<T>* dx) override;
  Json to_json() const override { return {{"type", this->type()}, {"size", size_}}; }
  std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<MaxPool2d>(*this); }
  std::unique_ptr<Layer<double>> to_double() const override;

 private:
  MaxPool2d() = default;
  int size_ = 2;
  std::vector<std::int32_t> argmax_;  // B × out: index into the sample's input row
};

}  // namespace actlab::nn
