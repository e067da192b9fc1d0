// Loads the network to explain: an actlab model file (.json, its "standardize" block folded into the first
// layer, so the net reads raw inputs as `actlab predict` does) or an ONNX graph (.onnx, shallow/onnx.hpp).
//
//   auto net = load_deep_net("m.json");    // or "m.onnx"
//   if (!net) return net.status();
//   // net.status().message(): "m.json: layers[1] (activation): activation 'tanh' is not ReLU; ..."
#pragma once

#include <string>

#include "shallow/deep_net.hpp"

namespace actlab::shallow {

Result<DeepReluNet> load_deep_net(const std::string& path);

}  // namespace actlab::shallow
