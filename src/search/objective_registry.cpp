// Objectives by name (see objective_registry.hpp).
#include "search/objective_registry.hpp"

#include "search/synthetic.hpp"

namespace actlab::search {
namespace {

class SyntheticSetup : public ObjectiveSetup {
 public:
  explicit SyntheticSetup(SyntheticProblem p) : p_(p) {}
  Space space() const override { return p_.space(); }
  Json to_json() const override { return p_.to_json(); }
  Direction default_direction() const override { return Direction::kMinimize; }
  Objective objective(std::uint64_t) const override {
    const SyntheticProblem p = p_;
    return [p](TrialContext& t) { return TrialOutcome::complete(p.evaluate(t.params())); };
  }

 private:
  SyntheticProblem p_;
};

}  // namespace

std::string objective_name(const Json& setup) {
  if (!setup.is_object()) return "";
  for (const char* key : {kObjectiveKey, "kind"}) {
    auto it = setup.find(key);
    if (it != setup.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

void ObjectiveRegistry::add(const std::string& name, ObjectiveFactory from_json) {
  factories_[name] = std::move(from_json);
}

std::vector<std::string> ObjectiveRegistry::names() const {
  std::vector<std::string> v;
  for (const auto& [name, f] : factories_) v.push_back(name);
  return v;
}

std::string ObjectiveRegistry::names_text() const {
  const auto v = names();
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += i + 1 == v.size() ? " or " : ", ";
    out += v[i];
  }
  return out;
}

Result<std::unique_ptr<ObjectiveSetup>> ObjectiveRegistry::from_json(const Json& setup) const {
  const std::string name = objective_name(setup);
  auto it = factories_.find(name);
  if (it == factories_.end())
    return Status::invalid_field("objective", "expected " + names_text() + ", got '" + name + "'");
  Json j = setup;
  if (!j.contains(kObjectiveKey)) {  // an older setup: the name moves to the current key
    j.erase("kind");
    j[kObjectiveKey] = name;
  }
  return it->second(j);
}

void add_synthetic_objective(ObjectiveRegistry& registry) {
  registry.add("synthetic", [](const Json& j) -> Result<std::unique_ptr<ObjectiveSetup>> {
    auto p = SyntheticProblem::from_json(j);
    if (!p) return p.status();
    return std::unique_ptr<ObjectiveSetup>(std::make_unique<SyntheticSetup>(*p));
  });
}

}  // namespace actlab::search
