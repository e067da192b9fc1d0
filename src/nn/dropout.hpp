// Inverted dropout, PyTorch's nn.Dropout(p): in training y = x ⊙ m / (1 − p) with m ~ Bernoulli(1 − p) per
// element (drawn from the model's seeded stream); in evaluation y = x.   dx = dy ⊙ m / (1 − p).
#pragma once

#include "nn/layer.hpp"

namespace actlab::nn {

template <class T>
class Dropout final : public Layer<T> {
 public:
  static Result<std::unique_ptr<Dropout>> make(const Shape& in, double p);
  LayerKind kind() const override { return LayerKind::kDropout; }
  void forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode mode, Rng& rng) override;
  void backward(const RowMatrix<T>& x, const RowMatrix<T>& y, const RowMatrix<T>& dy,
                RowMatrix<T>* dx) override;
  Json to_json() const override { return {{"type", this->type()}, {"p", p_}}; }
  std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Dropout>(*this); }
  std::unique_ptr<Layer<double>> to_double() const override;
  double p() const { return p_; }

 private:
  Dropout() = default;
  double p_ = 0.5;
  bool active_ = false;  // the last forward was in training mode with p > 0
  RowMatrix<T> mask_;    // 0 or 1/(1 − p)
};

}  // namespace actlab::nn
