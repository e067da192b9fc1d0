// Suites of data sets (see suite.hpp).
#include "data/suite.hpp"

#include <algorithm>

#include "data/builtin.hpp"

namespace actlab::data {

bool is_suite(const std::string& spec) { return spec.rfind(kSuitePrefix, 0) == 0; }

std::vector<std::string> suite_names() { return {"tabular", "tabular-small"}; }

Result<std::vector<std::string>> suite_members(const std::string& spec) {
  const std::string name = is_suite(spec) ? spec.substr(std::string(kSuitePrefix).size()) : spec;
  const auto names = suite_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + std::string(kSuitePrefix) + n;
    return Status::not_found("unknown suite '" + spec + "' (suites: " + known + ")");
  }
  std::vector<std::string> out;
  for (const BuiltinInfo& b : builtins()) {
    if (b.kind != "table" || b.task != Task::kClassification) continue;
    if (name == "tabular-small" && b.rows > 1000) continue;
    out.push_back(b.name);
  }
  return out;
}

Result<std::vector<std::string>> expand_sources(const std::vector<std::string>& specs) {
  std::vector<std::string> out;
  const auto add = [&out](const std::string& s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  for (const auto& spec : specs) {
    if (!is_suite(spec)) {
      add(spec);
      continue;
    }
    auto members = suite_members(spec);
    if (!members) return members.status();
    for (const auto& m : *members) add(m);
  }
  return out;
}

Result<std::vector<DataPlan>> expand(const DataPlan& plan) {
  if (!is_suite(plan.source)) return std::vector<DataPlan>{plan};
  auto members = suite_members(plan.source);
  if (!members) return Status::invalid_field("source", members.status().message());
  std::vector<DataPlan> out;
  for (const auto& m : *members) {
    DataPlan p = plan;
    p.source = m;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace actlab::data
