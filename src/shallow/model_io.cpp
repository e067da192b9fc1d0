// GCC 12 reports '__Y may be used uninitialized' inside its own AVX-512 intrinsic headers when Eigen's packet
// math is inlined in this file (GCC bug 105593, fixed in GCC 13): a false positive, silenced for this file
// only.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "shallow/model_io.hpp"

#include <fstream>

#include "core/json.hpp"
#include "nn/model.hpp"
#include "shallow/onnx.hpp"

namespace actlab::shallow {

Result<DeepReluNet> load_deep_net(const std::string& path) {
  if (path.size() >= 5 && path.substr(path.size() - 5) == ".onnx") return load_onnx(path);
  auto m = nn::load_model(path);
  if (!m) return m.status();
  auto net = DeepReluNet::from_model(*m);
  if (!net) return net.status().with_context(path);
  std::ifstream in(path);
  const Json j = Json::parse(in, nullptr, false);
  if (j.is_object() && j.contains("standardize")) {
    const Json& z = j["standardize"];
    const int n = net->input_dim();
    if (!z.contains("mean") || !z.contains("scale") || z["mean"].size() != static_cast<std::size_t>(n) ||
        z["scale"].size() != static_cast<std::size_t>(n)) {
      return Status::invalid(path + ": \"standardize\" must hold mean and scale lists of " +
                             std::to_string(n) + " values");
    }
    Eigen::VectorXd mean(n), scale(n);
    for (int i = 0; i < n; ++i) {
      // The training engine applies the float standardizer; read the same float values.
      mean[i] = static_cast<double>(z["mean"][static_cast<std::size_t>(i)].get<float>());
      scale[i] = static_cast<double>(z["scale"][static_cast<std::size_t>(i)].get<float>());
    }
    if (Status s = net->fold_standardization(mean, scale); !s.is_ok()) return s.with_context(path);
  }
  return net;
}

}  // namespace actlab::shallow
