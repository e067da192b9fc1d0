// Losses, forward and backward side by side; both return the batch mean and write ∂L/∂out.
//   cross_entropy  L = −(1/B) Σ_b log softmax(out_b)[label_b]        d = (softmax(out) − onehot)/B
//                  (torch.nn.CrossEntropyLoss on whatever the model outputs: logits, or — as the à-la-carte
//                  networks do — the output of a final softmax, the "double softmax" of docs/search.md)
//   mse            L = (1/(B·k)) Σ (out − target)²                    d = 2(out − target)/(B·k)
// accuracy = fraction of rows whose argmax (first maximum) is the label.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/matrix.hpp"
#include "core/status.hpp"

namespace actlab::nn {

enum class LossKind { kCrossEntropy, kMse };

Result<LossKind> parse_loss(std::string_view name);  // "cross_entropy" | "ce" | "mse"
std::string loss_name(LossKind kind);

// dout may be null (evaluation only). Labels must be in [0, out.cols()).
template <class T>
double cross_entropy(const RowMatrix<T>& out, std::span<const int> labels, RowMatrix<T>* dout);
template <class T>
double mse(const RowMatrix<T>& out, const RowMatrix<T>& target, RowMatrix<T>* dout);

// Number of rows whose first arg-max equals the label.
template <class T>
std::size_t correct_count(const RowMatrix<T>& out, std::span<const int> labels);

}  // namespace actlab::nn
