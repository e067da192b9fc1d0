// Row-wise activations: softmax, softmin, log_softmax, gumbel_softmax over one row of features (PyTorch
// dim=1).
//
//   std::vector<float> x = {1, 2, 3}, y(3), dy = {0, 1, 0}, dx(3, 0.f);
//   row_forward<float>(RowOp::kSoftmax, x, y);
//   row_backward<float>(RowOp::kSoftmax, y, dy, dx);      // dx += Jᵀ·dy
//
// Forward and backward side by side; backward needs only the forward output y (llm.c's convention: gradients
// are added with += into the d-buffer). With m = max_j x_j (subtracted so exp never overflows):
//   softmax      y_i = e^{x_i - m} / Σ_j e^{x_j - m}            dx_i += y_i (dy_i − Σ_j dy_j y_j)
//   softmin      y = softmax(−x)                                dx_i += −y_i (dy_i − Σ_j dy_j y_j)
//   log_softmax  y_i = x_i − m − log Σ_j e^{x_j − m}            dx_i += dy_i − e^{y_i} Σ_j dy_j
//   gumbel       y = softmax((x + g)/τ), g_i = −log(−log U_i)   dx_i += y_i (dy_i − Σ_j dy_j y_j)/τ
// Gumbel-softmax (Jang et al., arXiv 1611.01144) draws fresh noise on every call, in training and evaluation
// alike, as torch.nn.functional.gumbel_softmax(hard=False) does.
#pragma once

#include <span>

#include "activations/catalog.hpp"
#include "core/rng.hpp"

namespace actlab::activations {

// rng is needed for kGumbelSoftmax only; tau is its temperature.
template <class T>
void row_forward(RowOp op, std::span<const T> x, std::span<T> y, double tau = 1.0, Rng* rng = nullptr);
template <class T>
void row_backward(RowOp op, std::span<const T> y, std::span<const T> dy, std::span<T> dx, double tau = 1.0);
// Diagonals of the first and second derivative, ∂y_i/∂x_i and ∂²y_i/∂x_i², from the forward output y.
template <class T>
void row_diagonal(RowOp op, std::span<const T> y, std::span<T> d1, std::span<T> d2, double tau = 1.0);

}  // namespace actlab::activations
