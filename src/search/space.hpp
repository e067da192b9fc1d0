// Search spaces: named parameters, each categorical, float (linear or log) or int (linear or log, with a
// step).
//
//   Space space;
//   space.add_categorical("act0", {"relu", "tanh", "gelu"});
//   space.add_float("lr", 1e-4, 1e-1, /*log=*/true);
//   space.add_int("width", 16, 256, /*log=*/false, /*step=*/16);
//   Params p = {2, 0.01, 64};                       // internal values, one per parameter, in space order
//   Json j = space.to_external(p);                  // {"act0":"gelu","lr":0.01,"width":64}
//   Params q = *space.from_external(j);             // back again
//   Json s = space.to_json();  Space t = *Space::from_json(s);   // stored with the study
//
// Internal representation (as in Optuna's storage; docs/search.md, "Sources"): a categorical is
// the index of its choice as a double; floats and ints are their own value. Samplers work on internal values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"

namespace actlab::search {

enum class ParamKind { kCategorical, kFloat, kInt };

struct Distribution {
  ParamKind kind = ParamKind::kFloat;
  std::vector<std::string> choices;  // categorical only
  double low = 0, high = 1;          // float/int: inclusive bounds
  bool log = false;                  // float/int: sample log-uniformly (needs low > 0)
  double step = 0;                   // float: 0 = continuous; int: >= 1

  std::size_t n_choices() const { return choices.size(); }
  bool operator==(const Distribution&) const = default;
};

struct Param {
  std::string name;
  Distribution dist;
  bool operator==(const Param&) const = default;
};

// Internal values, one per parameter of the space, in order.
using Params = std::vector<double>;

class Space {
 public:
  Status add_categorical(const std::string& name, std::vector<std::string> choices);
  Status add_float(const std::string& name, double low, double high, bool log = false, double step = 0);
  Status add_int(const std::string& name, std::int64_t low, std::int64_t high, bool log = false,
                 std::int64_t step = 1);

  std::size_t size() const { return params_.size(); }
  const Param& operator[](std::size_t i) const { return params_[i]; }
  const std::vector<Param>& params() const { return params_; }
  bool operator==(const Space&) const = default;

  // {"params":[{"name":"act0","type":"categorical","choices":[...]}, {"name":"lr","type":"float",
  //  "low":1e-4,"high":0.1,"log":true,"step":0}, ...]}
  Json to_json() const;
  static Result<Space> from_json(const Json& j);

  // Internal values → {"name": external value}; choices by name, ints as integers.
  Json to_external(const Params& p) const;
  // Inverse; every parameter must be present and inside its distribution.
  Result<Params> from_external(const Json& j) const;
  // True when v is a legal internal value of parameter i (a choice index, inside the bounds, on the step).
  bool contains(std::size_t i, double v) const;

 private:
  Status add(Param p);
  std::vector<Param> params_;
};

}  // namespace actlab::search
