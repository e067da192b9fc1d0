// The Gaussian integrator of a catalog entry or formula, for theory tests (header-only; the test links
// theory).
//
//   const auto g = actlab::testing::integrator("tanh");
#pragma once

#include <gtest/gtest.h>

#include <utility>

#include "activations/activation.hpp"
#include "theory/gaussian.hpp"

namespace actlab::testing {

inline theory::GaussianIntegrator integrator(const char* spec) {
  auto act = activations::Activation::make(spec);
  EXPECT_TRUE(act.has_value()) << spec << ": " << act.status().message();
  auto g = theory::GaussianIntegrator::make(*act);
  EXPECT_TRUE(g.has_value()) << spec;
  return std::move(g).value();
}

}  // namespace actlab::testing
