// Derivative-free training of an nn::Model: ADAMm fits a 1-1-1 tanh network (built by build_model) to one
// example, the model keeps the best parameters, and the box size is checked against the parameter count.
#include "nn/population_trainer.hpp"

#include <gtest/gtest.h>

#include "nn/architecture.hpp"

namespace actlab::nn {
namespace {

using activations::Activation;

TEST(PopulationTrainer, FitsTheOneOneOneNetwork) {
  std::vector<Activation> acts = {Activation::make("tanh").value(), Activation::make("tanh").value()};
  auto model = build_model("mlp:1-1-1", {{1}}, 1, acts).value();
  MatrixF x(1, 1), t(1, 1);
  x(0, 0) = 0.5f;
  t(0, 0) = 0.3f;
  Examples data{&x, {}, &t};
  PopulationFitOptions o;
  o.adamm.max_evaluations = 4000;
  auto r = fit_population(model, data, LossKind::kMse, o, Rng(5));
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->evaluations, 4000);
  EXPECT_LT(r->loss, 1e-4);
  EXPECT_NEAR(evaluate(model, data, LossKind::kMse).loss, r->loss, 1e-9);  // the model holds the best point
  o.box = optim::Box::uniform(3, -1, 1);
  EXPECT_FALSE(fit_population(model, data, LossKind::kMse, o, Rng(5)));
}

}  // namespace
}  // namespace actlab::nn
