// 2-D convolution, PyTorch's nn.Conv2d (cross-correlation, square kernel, stride, zero padding), by im2col +
// one GEMM per batch:
//   P[B·Ho·Wo, C·k·k]   patches (row (b, oy, ox) holds x[b, c, oy·s + ky − p, ox·s + kx − p], 0 outside)
//   Y[B·Ho·Wo, Co] = P·Wᵀ,  y[b, co, oy, ox] = Y[(b, oy, ox), co] + bias[co]
//   backward: dW[Co, C·k·k] += dYᵀ·P,  db += Σ dY,  dP = dY·W,  dx = col2im(dP) (scatter-add of patches)
// W is stored Co × (C·k·k) as torch's weight[Co, C, k, k] flattened.
#pragma once

#include "nn/layer.hpp"

namespace actlab::nn {

template <class T>
class Conv2d final : public Layer<T> {
 public:
  // in: the input's {C, H, W}. Needs out ≥ 1 after (H + 2p − k)/s + 1.
  static Result<std::unique_ptr<Conv2d>> make(const Shape& in, int out_channels, int kernel, int stride = 1,
                                              int padding = 0);
  LayerKind kind() const override { return LayerKind::kConv2d; }
  void forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode mode, Rng& rng) override;
  void backward(const RowMatrix<T>& x, const RowMatrix<T>& y, const RowMatrix<T>& dy,
                RowMatrix<T>* dx) override;
  std::vector<Param<T>*> params() override { return {&weight_, &bias_}; }
  Json to_json() const override;
  std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Conv2d>(*this); }
  std::unique_ptr<Layer<double>> to_double() const override;

  Param<T>& weight() { return weight_; }  // Co × (C·k·k)
  Param<T>& bias() { return bias_; }      // 1 × Co
  const Param<T>& weight() const { return weight_; }
  const Param<T>& bias() const { return bias_; }
  int fan_in() const { return c_ * k_ * k_; }

 private:
  Conv2d() = default;
  void im2col(const RowMatrix<T>& x);
  int c_ = 0, h_ = 0, w_ = 0, co_ = 0, k_ = 0, s_ = 1, p_ = 0, ho_ = 0, wo_ = 0;
  Param<T> weight_, bias_;
  RowMatrix<T> patches_, yt_, dyt_, dpatches_;  // scratch, reused across batches
};

}  // namespace actlab::nn
