// Named network shapes, built with zero weights (initialise them with init.hpp, or build and initialise in
// one step with lab/model.hpp):
//
//   mlp:WxD          D dense layers of width W: in → W → … → W → outputs
//                    (the à-la-carte networks are mlp:64x5 and mlp:64x10)
//   mlp:N0-N1-…-Nk   dense layers N0 → N1 → … → Nk; N0 is the input size, Nk the output count
//   cnn:lapid        conv(C→32, 3) af₁ maxpool(2) conv(32→64, 3) af₂ maxpool(2) flatten dropout(0.5)
//                    dense(→1000) af₃ dense(→outputs)
//   fcn:lapid        dense(→32) af₁, 5 × [dense(32→32) af₂], dense(32→32) af₃, dense(32→outputs)
//
// The Lapid nets are the CNN and FCN of Lapid & Sipper, GECCO '22 Companion, arXiv 2206.12089
// (docs/evolution.md, "The paper and its code").
//
// Activations: an MLP with L dense layers has L−1 hidden slots and an optional output slot. One activation
// fills every hidden slot; L−1 fill the hidden slots in order; L also set the output activation (the
// à-la-carte networks end in one, e.g. softmax). The Lapid nets have three slots (one activation fills all).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "activations/activation.hpp"
#include "nn/model.hpp"

namespace actlab::nn {

Result<Model<float>> build_model(std::string_view spec, const Shape& input, int outputs,
                                 std::span<const activations::Activation> acts);

}  // namespace actlab::nn
