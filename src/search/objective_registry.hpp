// Objectives by name. A study stores its objective as a setup JSON object (StudyRecord::objective); every
// process that creates or joins the study turns that JSON back into the objective through a registry, so no
// caller chooses objectives by if/else. search/ knows only the generic part and the synthetic objective; the
// lab layer registers the ones that train networks (lab::objective_registry(): alacarte, synthetic).
//
//   search::ObjectiveRegistry reg;
//   search::add_synthetic_objective(reg);
//   auto setup = reg.from_json({{"name", "synthetic"}, {"categorical", 3}});  // unique_ptr<ObjectiveSetup>
//   if (!setup) return setup.status();                  // unknown name or bad settings, naming the field
//   if (Status st = (*setup)->prepare(); !st) return st;  // load what trials need (data, fingerprints)
//   StudyRecord r{.name = "s", .direction = (*setup)->default_direction(), .sampler = "tpe",
//                 .space = (*setup)->space().to_json(), .objective = (*setup)->to_json()};
//   Objective f = (*setup)->objective(r.seed);         // borrows from *setup: keep it alive
//
// The name sits under the key "name" ({"name": "synthetic", "categorical": 3, ...}); setups stored with the
// older key "kind" ({"kind": "evolve", ...}) resolve too (objective_name), so existing databases still open.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "search/space.hpp"
#include "search/study.hpp"

namespace actlab::search {

// One objective with its settings: the search space, the stored JSON and the trial function.
class ObjectiveSetup {
 public:
  virtual ~ObjectiveSetup() = default;

  virtual Space space() const = 0;
  // The settings as stored with the study: {"name": ..., ...}; from_json of it gives this setup back.
  virtual Json to_json() const = 0;
  virtual Direction default_direction() const = 0;
  // Refuses a direction that makes no sense for the value (an accuracy is maximised); errors name the field
  // "direction".
  virtual Status check_direction(Direction) const { return Status::ok(); }
  // Loads and checks what the trials need (data sets, fingerprints). Called before a study is created (bad
  // settings leave nothing behind) and in every process before it runs trials; objective() needs it.
  virtual Status prepare() { return Status::ok(); }
  // What prepare() found, for reports ({"name": "iris", "rows": ..., "fingerprint": ...}); null when nothing.
  virtual Json details() const { return nullptr; }
  // The trial function of a study with this seed. It borrows from this object, which must outlive it.
  virtual Objective objective(std::uint64_t study_seed) const = 0;
};

// Makes a setup from its JSON (which the registry has given the key "name"). Errors name the field.
using ObjectiveFactory = std::function<Result<std::unique_ptr<ObjectiveSetup>>(const Json& setup)>;

class ObjectiveRegistry {
 public:
  // Registers `name`, replacing an earlier factory of that name.
  void add(const std::string& name, ObjectiveFactory from_json);
  bool contains(const std::string& name) const { return factories_.count(name) > 0; }
  std::vector<std::string> names() const;  // sorted
  // "alacarte or synthetic": the names for messages.
  std::string names_text() const;
  // The factory of objective_name(setup). Unknown or missing name: invalid_field("objective", "expected
  // alacarte or synthetic, got 'x'").
  Result<std::unique_ptr<ObjectiveSetup>> from_json(const Json& setup) const;

 private:
  std::map<std::string, ObjectiveFactory> factories_;
};

// The key that holds an objective's name in its setup JSON.
inline constexpr const char* kObjectiveKey = "name";
// The objective's name in a setup: "name", else the older key "kind"; "" when neither is a string.
std::string objective_name(const Json& setup);

// Registers the synthetic objective (search/synthetic.hpp) as "synthetic": minimised by default.
void add_synthetic_objective(ObjectiveRegistry& registry);

}  // namespace actlab::search
