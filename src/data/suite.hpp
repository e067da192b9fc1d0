// Suites: one name for a list of data sets, so a protocol can run over all of them (docs/data.md, "Suites").
//
//   auto names = data::expand_sources({"suite:tabular", "digits"});   // 23 tables, then digits
//   data::DataPlan p{.source = "suite:tabular", .test = 0.3, .seed = 1};
//   auto plans = data::expand(p);                                     // one plan per set, all else the same
//
// Suites:
//   suite:tabular        every built-in table with classes (scikit-learn's iris, wine, breast-cancer and the
//                        20 R classification sets; not the image sets digits and fashion-mnist)
//   suite:tabular-small  the same, at most 1000 rows each (quick runs)
// A suite lists its sets in the order of `actlab data list`.
#pragma once

#include <string>
#include <vector>

#include "core/status.hpp"
#include "data/prepare.hpp"

namespace actlab::data {

inline constexpr const char* kSuitePrefix = "suite:";

// True when `spec` starts with "suite:".
bool is_suite(const std::string& spec);

// The suite names, without the prefix: {"tabular", "tabular-small"}.
std::vector<std::string> suite_names();

// The data set names of one suite. Errors: not_found for an unknown suite (the message lists the suites).
Result<std::vector<std::string>> suite_members(const std::string& spec);

// Each spec in order; a suite becomes its members. A name that appears twice is kept once (the first time).
Result<std::vector<std::string>> expand_sources(const std::vector<std::string>& specs);

// A plan whose source is a suite → one plan per member, every other field the same; any other plan → itself.
// Errors name the field "source".
Result<std::vector<DataPlan>> expand(const DataPlan& plan);

}  // namespace actlab::data
