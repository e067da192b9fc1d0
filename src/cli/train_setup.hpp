// What the commands that train networks share (train, eval, study optimize --space alacarte, alacarte):
// loading data from the --data flags, parsing activation lists and --init, and viewing a data set as
// examples.
//
//   auto ds = load_data({.data = "iris"}, /*seed=*/0);
//   auto acts = parse_acts("relu,relu,softmax");                  // one per slot, commas outside parentheses
//   auto m = nn::build_model("mlp:64x3", nn::Shape{{4}}, 3, *acts);
//   Json explain;
//   auto specs = init_specs("critical", *m, explain);              // or he, torch, gaussian:..., ...
//   nn::initialize(*m, *specs, 1);
//   nn::train(*m, examples(*ds), nullptr, options);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "core/json.hpp"
#include "core/status.hpp"
#include "data/dataset.hpp"
#include "nn/init.hpp"
#include "nn/model.hpp"
#include "nn/trainer.hpp"

namespace actlab::cli {

// printf-formatted number, "-" for NaN.
std::string fmt(double v, const char* f = "%.4f");

// "relu,tanh,repu(x, p=3)" → items split at commas outside parentheses.
std::vector<std::string> split_top_level(const std::string& s);

// Activations by catalog name or formula; the error names --act and the item.
Result<std::vector<activations::Activation>> parse_acts(const std::string& text);

// --init: torch | he | glorot | lecun | orthogonal | gaussian:... (one spec for every layer), or
// critical[:sigma_b=B] ((σ_w, σ_b) per weighted layer from the theory part). `explain` receives what was
// chosen.
Result<std::vector<nn::InitSpec>> init_specs(const std::string& text, nn::Model<float>& m, Json& explain);

struct DataFlags {
  std::string data, target;
  std::size_t rows = 0;
  std::int64_t data_seed = -1;  // generators: < 0 means the command's seed
};

Result<data::Dataset> load_data(const DataFlags& f, std::uint64_t seed);

// A data set as training examples (labels or targets, by its task). The view borrows from d.
nn::Examples examples(const data::Dataset& d);

}  // namespace actlab::cli
