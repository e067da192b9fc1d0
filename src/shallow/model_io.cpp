#include "shallow/model_io.hpp"

#include "nn/model.hpp"
#include "shallow/onnx.hpp"

namespace actlab::shallow {

Result<DeepReluNet> deep_net_of(const nn::Model<float>& model) {
  auto net = DeepReluNet::from_model(model);
  if (!net) return net.status();
  if (const auto& z = model.input_scaling()) {
    // The training engine applies the float standardizer: fold the same float values.
    const Eigen::VectorXd mean = z->mean.transpose().cast<double>(),
                          scale = z->scale.transpose().cast<double>();
    if (Status s = net->fold_standardization(mean, scale); !s.is_ok()) return s;
  }
  return net;
}

Result<DeepReluNet> load_deep_net(const std::string& path) {
  if (path.size() >= 5 && path.substr(path.size() - 5) == ".onnx") return load_onnx(path);
  auto m = nn::load_model(path);
  if (!m) return m.status();
  auto net = deep_net_of(*m);
  if (!net) return net.status().with_context(path);
  return net;
}

}  // namespace actlab::shallow
