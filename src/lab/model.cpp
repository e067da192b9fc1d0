// Building and initialising models (see model.hpp).
#include "lab/model.hpp"

#include <charconv>
#include <cmath>

#include "core/rng.hpp"
#include "lab/train.hpp"
#include "nn/architecture.hpp"

namespace actlab::lab {

using activations::Activation;

std::vector<std::string> split_top_level(const std::string& s) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (char ch : s) {
    if (ch == '(') ++depth;
    if (ch == ')') --depth;
    if (ch == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

Result<std::vector<Activation>> parse_acts(const std::string& text) {
  std::vector<Activation> acts;
  for (const std::string& item : split_top_level(text)) {
    auto a = Activation::make(item);
    if (!a) return Status::invalid_field("act", "'" + item + "': " + a.status().message());
    acts.push_back(std::move(*a));
  }
  return acts;
}

Result<BuiltModel> build_model(const std::string& spec, const std::vector<Activation>& acts,
                               const std::string& init, std::uint64_t seed, const nn::Shape& input,
                               int outputs, const InitOptions& options) {
  auto m = nn::build_model(spec, input, outputs, acts);
  if (!m) return Status::invalid_field("model", m.status().message());
  auto r = recommend_init(init, *m, options);
  if (!r) return r.status();
  if (Status s = nn::initialize(*m, r->specs, seed); !s.is_ok()) return s;
  if (r->input_scale != 1.0) scale_first_layer(*m, r->input_scale);
  return BuiltModel{std::move(*m), std::move(*r)};
}

Result<BuiltModel> build_model(const ModelPlan& plan, const nn::Shape& input, int outputs) {
  if (plan.spec.ends_with(".json") || plan.spec.ends_with(".onnx")) {
    auto m = load_model_file(plan.spec);
    if (!m) return m.status();
    if (m->input_shape().size() != input.size() || m->output_shape().size() != outputs) {
      return Status::invalid_field("model", plan.spec + ": takes " + m->input_shape().str() + " → " +
                                                m->output_shape().str() + " but the data has " +
                                                std::to_string(input.size()) + " features and " +
                                                std::to_string(outputs) + " outputs");
    }
    if (plan.input_scale)
      return Status::invalid_field("input_scale", "applies to a new model, not a model file");
    return BuiltModel{std::move(*m), {}};
  }
  auto acts = parse_acts(plan.acts);
  if (!acts) return acts.status();
  return build_model(plan.spec, *acts, plan.init, plan.seed, input, outputs,
                     {.input_var = 1.0, .input_scale = plan.input_scale});
}

nn::Examples examples(const data::Dataset& d) {
  nn::Examples e{&d.x, {}, nullptr};
  if (d.task == data::Task::kClassification)
    e.labels = d.labels;
  else
    e.targets = &d.y;
  return e;
}

}  // namespace actlab::lab

namespace actlab::lab {

Result<nn::Model<float>> random_model(const RandomModelPlan& p) {
  const auto bad_arch = [&] {
    return Status::invalid_field("arch", "expected widths N0-N1-...-Nk such as 2-12-1, got '" + p.arch + "'");
  };
  if (p.arch.find('x') != std::string::npos || p.arch.find(':') != std::string::npos) return bad_arch();
  auto acts = parse_acts(p.acts);
  if (!acts) return acts.status();
  const auto dash = p.arch.find('-');
  if (dash == std::string::npos) return bad_arch();
  const auto whole = [](const std::string& s) -> int {
    int v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && ptr == s.data() + s.size() ? v : 0;
  };
  const int first = whole(p.arch.substr(0, dash)), last = whole(p.arch.substr(p.arch.rfind('-') + 1));
  if (first < 1 || last < 1) return bad_arch();
  auto b = build_model("mlp:" + p.arch, *acts, p.init, p.seed, nn::Shape{{first}}, last);
  if (!b)
    return b.status().field() == "model" ? Status::invalid_field("arch", b.status().message().substr(7))
                                         : b.status();
  if (p.integer_weights) {
    const double lo = std::ceil(p.integer_weights->first), hi = std::floor(p.integer_weights->second);
    if (!(hi >= lo)) return Status::invalid_field("integer_weights", "no integer in the interval");
    Rng rng = Rng::derive(p.seed, "integer-weights");
    for (nn::Param<float>* w : b->model.params()) {
      for (Eigen::Index i = 0; i < w->value.size(); ++i)
        w->value.data()[i] = static_cast<float>(lo + std::floor(rng.uniform() * (hi - lo + 1)));
    }
  }
  return std::move(b->model);
}

}  // namespace actlab::lab
