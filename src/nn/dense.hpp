// Fully connected layer, PyTorch's nn.Linear: y = x·Wᵀ + b, W stored out × in.
//   forward   y[B,out]  = x[B,in]·Wᵀ + 1·bᵀ
//   backward  dW[out,in] += dyᵀ·x,   db[out] += Σ_B dy,   dx[B,in] = dy·W
#pragma once

#include "nn/layer.hpp"

namespace actlab::nn {

template <class T>
class Dense final : public Layer<T> {
 public:
  Dense(int in, int out);
  LayerKind kind() const override { return LayerKind::kDense; }
  void forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode mode, Rng& rng) override;
  void backward(const RowMatrix<T>& x, const RowMatrix<T>& y, const RowMatrix<T>& dy,
                RowMatrix<T>* dx) override;
  std::vector<Param<T>*> params() override { return {&weight_, &bias_}; }
  Json to_json() const override;
  std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Dense>(*this); }
  std::unique_ptr<Layer<double>> to_double() const override;

  Param<T>& weight() { return weight_; }  // out × in
  Param<T>& bias() { return bias_; }      // 1 × out
  const Param<T>& weight() const { return weight_; }
  const Param<T>& bias() const { return bias_; }
  int in() const { return static_cast<int>(weight_.value.cols()); }
  int out() const { return static_cast<int>(weight_.value.rows()); }

 private:
  Param<T> weight_, bias_;
};

}  // namespace actlab::nn
