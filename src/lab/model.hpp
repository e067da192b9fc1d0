// Building a model and initialising it: the one recipe every training entry uses.
//
//   auto acts = lab::parse_acts("relu,tanh");                  // catalog names or formulas, one per slot
//   auto b = lab::build_model({.spec = "mlp:64x3", .acts = "relu", .init = "critical", .seed = 1},
//                             nn::Shape{{4}}, /*outputs=*/3);
//   b->model;  b->init.to_json();                              // the model and the initialisation it got
//   nn::train(b->model, lab::examples(d.train), ...);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "activations/activation.hpp"
#include "core/status.hpp"
#include "data/dataset.hpp"
#include "lab/init.hpp"
#include "nn/model.hpp"
#include "nn/trainer.hpp"

namespace actlab::lab {

// "relu,tanh,repu(x, p=3)" → items split at commas outside parentheses.
std::vector<std::string> split_top_level(const std::string& s);

// Activations by catalog name or formula, one per comma-separated item; the error names the field "act" and
// the item.
Result<std::vector<activations::Activation>> parse_acts(const std::string& text);

struct ModelPlan {
  std::string spec = "mlp:64x10";  // nn::build_model's architecture (mlp:WxD, mlp:N0-..-Nk, cnn:lapid, ...)
                                   // or a model file FILE.json (then acts and init are not used)
  std::string acts = "relu";       // one for every hidden layer, or a comma list per layer
  std::string init = "he";         // lab::recommend_init's scheme
  std::uint64_t seed = 0;          // the weights' seed
  // A factor on the first layer's weights instead of the scheme's (critical: the one that puts K^(1) on the
  // kernel the layers hold; other schemes: 1).
  std::optional<double> input_scale = {};
};

struct BuiltModel {
  nn::Model<float> model;
  InitRecommendation init;  // empty scheme for a model file
};

// Builds the architecture for `input` → `outputs` and initialises it, or loads the file and checks that it
// fits. Errors name the field: "model" (the spec: architecture, shape mismatch; a file's own errors are
// located in it), "act", "init", "input_scale".
Result<BuiltModel> build_model(const ModelPlan& plan, const nn::Shape& input, int outputs);
// The same with activations already made (searches and evolution reuse them across many models).
Result<BuiltModel> build_model(const std::string& spec, const std::vector<activations::Activation>& acts,
                               const std::string& init, std::uint64_t seed, const nn::Shape& input,
                               int outputs, const InitOptions& options = {});

// A data set as training examples (labels or targets, by its task). The view borrows from d.
nn::Examples examples(const data::Dataset& d);

}  // namespace actlab::lab

namespace actlab::lab {

// A random MLP for the explanation tools (`actlab model random`): widths N0-N1-...-Nk, the activation(s) in
// every hidden slot (the output stays linear), initialised by `init`, or with uniform integer weights and
// biases in [lo, hi] when `integer_weights` is set.
struct RandomModelPlan {
  std::string arch{};  // "2-12-1"
  std::string acts = "relu";
  std::string init = "he";
  std::optional<std::pair<double, double>> integer_weights{};
  std::uint64_t seed = 0;
};
// Errors name the field: "arch", "act", "init", "integer_weights".
Result<nn::Model<float>> random_model(const RandomModelPlan& plan);

}  // namespace actlab::lab
