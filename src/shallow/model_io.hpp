// Loads the network to explain: an actlab model file (.json, its "standardize" block folded into the first
// layer, so the net reads raw inputs as `actlab predict` does) or an ONNX graph (.onnx, shallow/onnx.hpp).
//
//   auto net = load_deep_net("m.json");    // or "m.onnx"
//   if (!net) return net.status();
//   // "m.json: layers[1] (activation): activation 'tanh' is not piecewise linear; ..."
#pragma once

#include <string>

#include "nn/model.hpp"
#include "shallow/deep_net.hpp"

namespace actlab::shallow {

Result<DeepReluNet> load_deep_net(const std::string& path);

// The same for a model in memory: its input scaling, when it has one, folded into the first layer.
Result<DeepReluNet> deep_net_of(const nn::Model<float>& model);

}  // namespace actlab::shallow
