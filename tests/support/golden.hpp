// Test support: reading golden files (tests/golden/, made by tools/) and comparing numbers with tolerances.
//
//   auto g = read_golden("torch_activations.json");        // nlohmann::json, fails the test if unreadable
//   EXPECT_TRUE(close(mine, theirs, 1e-12, 1e-12)) << ...;
#pragma once

#include <string>

#include "core/json.hpp"

namespace actlab::testing {

// Path of a file under the source tree (tests run from the build tree).
std::string source_path(const std::string& relative);
// Parsed JSON of tests/golden/<name>; aborts the test binary with a message when missing or malformed.
Json read_golden(const std::string& name);
// |a - b| <= atol + rtol·|b|, with NaN == NaN and equal infinities counted as close.
bool close(double a, double b, double rtol, double atol);

}  // namespace actlab::testing
