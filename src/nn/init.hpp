// Weight initialisation of every dense and conv2d layer (fan_in = in, or C·k·k for a convolution):
//   torch       W, b ~ U(−1/√fan_in, 1/√fan_in)            (nn.Linear / nn.Conv2d defaults)
//   he          W ~ N(0, 2/fan_in), b = 0                    (He et al., arXiv 1502.01852; kaiming_normal_)
//   glorot      W ~ U(±√(6/(fan_in + fan_out))), b = 0       (Glorot & Bengio, AISTATS 2010; xavier_uniform_)
//   lecun       W ~ N(0, 1/fan_in), b = 0                    (LeCun et al., Efficient BackProp, 1998)
//   orthogonal  W = gain·Q from the QR of a Gaussian matrix, sign-fixed by diag(R), b = 0  (Saxe et al.,
//               arXiv 1312.6120; torch.nn.init.orthogonal_)
//   gaussian    W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²)       (the mean-field convention: Poole et al.,
//               arXiv 1606.05340). The "critical" choice is gaussian with (σ_w, σ_b) per layer computed from
//               the theory part by the caller (cli/), so nn does not depend on theory.
// Each layer draws from its own stream Rng::derive(seed, "init", layer index): a layer's weights do not
// depend on the sizes of the layers before it.
//
//   initialize(model, {{InitSpec{InitKind::kHe}}}, 42);             // one spec for every layer
//   initialize(model, per_layer_specs, 42);                          // one spec per weighted layer
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "nn/model.hpp"

namespace actlab::nn {

enum class InitKind { kTorch, kHe, kGlorot, kLecun, kOrthogonal, kGaussian };

struct InitSpec {
  InitKind kind = InitKind::kHe;
  double sigma_w = 1.0;  // gaussian: weight scale (variance σ_w²/fan_in); orthogonal: the gain
  double sigma_b = 0.0;  // gaussian: bias standard deviation
};

// "torch", "he", "glorot", "lecun", "orthogonal[:gain=G]", "gaussian:sigma_w=W,sigma_b=B".
Result<InitSpec> parse_init(std::string_view text);
std::string init_name(const InitSpec& spec);

// specs: one for every weighted layer (dense, conv2d) in order, or a single one for all of them.
Status initialize(Model<float>& model, std::span<const InitSpec> specs, std::uint64_t seed);
// Number of dense and conv2d layers: the length `specs` must have when it is per layer.
std::size_t weighted_layer_count(const Model<float>& model);

}  // namespace actlab::nn
