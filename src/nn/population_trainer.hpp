// Derivative-free training of any actlab network with ADAMm or population Adam (optim/population_adam.hpp):
// the network's parameters, flattened in param_blocks() order, are the optimiser's coordinates and the loss
// on the examples (evaluation mode) is the objective.
//
//   auto model = build_model("mlp:8x1", {{1}}, 1, acts).value();
//   PopulationFitOptions o;  o.adamm.max_evaluations = 5000;  o.half_width = 5;   // box [−5, 5]^P
//   auto r = fit_population(model, examples, LossKind::kMse, o, Rng(1)).value();
//   // the model now holds the best parameters; r.loss is their loss
//
// Each evaluation writes one candidate into the model and runs evaluate(): a full pass over the examples.
#pragma once

#include <optional>

#include "core/rng.hpp"
#include "nn/model.hpp"
#include "nn/trainer.hpp"
#include "optim/box.hpp"
#include "optim/population_adam.hpp"

namespace actlab::nn {

struct PopulationFitOptions {
  optim::PopulationAdamOptions adamm{};  // ADAMm's defaults; PopulationAdamDefaults::options() for Adam
  double half_width = 5.0;               // every parameter in [−half_width, half_width] (Dik's [−5, 5])
  std::optional<optim::Box> box;         // or an explicit box (e.g. from weight_bounds.hpp)
};

struct PopulationFit {
  double loss = 0;
  std::int64_t evaluations = 0;
};

Result<PopulationFit> fit_population(Model<float>& model, const Examples& data, LossKind loss,
                                     const PopulationFitOptions& options, Rng rng);

}  // namespace actlab::nn
