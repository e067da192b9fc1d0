// What an objective must provide to the derivative-free optimisers (population_adam.hpp), written as C++20
// concepts (ensmallen's doc/function_types.md, without its SFINAE checks).
//
//   auto sphere = [](std::span<const double> x) { double s = 0; for (double v : x) s += v * v; return s; };
//   static_assert(Objective<decltype(sphere)>);
//   auto r = Adamm().optimize(sphere, Box::uniform(3, -1, 1), Rng(7));   // minimises sphere
//
// Objectives are minimised (ensmallen's convention). Dik's algorithms maximise a fitness; the optimisers use
// fitness = −value internally, which is exact in floating point, so nothing of his algorithm changes.
// A non-finite value counts as the worst possible one.
#pragma once

#include <concepts>
#include <cstdint>
#include <span>

namespace actlab::optim {

// value = f(x) for a point x of the optimiser's dimension.
template <class F>
concept Objective = requires(F& f, std::span<const double> x) {
  { f(x) } -> std::convertible_to<double>;
};

// Called after every evaluation with its 1-based index and value; returns false to stop the run.
template <class O>
concept EvaluationObserver = requires(O& o, std::int64_t evaluation, double value) {
  { o(evaluation, value) } -> std::convertible_to<bool>;
};

// The observer that never stops a run.
struct NoObserver {
  bool operator()(std::int64_t, double) const { return true; }
};

}  // namespace actlab::optim
