#include "search/space.hpp"

#include <cmath>
#include <set>

namespace actlab::search {

Status Space::add(Param p) {
  if (p.name.empty()) return Status::invalid("a parameter needs a name");
  for (const Param& q : params_) {
    if (q.name == p.name) return Status::invalid("parameter '" + p.name + "' is defined twice");
  }
  params_.push_back(std::move(p));
  return Status::ok();
}

Status Space::add_categorical(const std::string& name, std::vector<std::string> choices) {
  if (choices.empty()) return Status::invalid("parameter '" + name + "': a categorical needs choices");
  std::set<std::string> seen;
  for (const auto& c : choices) {
    if (!seen.insert(c).second) return Status::invalid("parameter '" + name + "': choice '" + c + "' twice");
  }
  Distribution d;
  d.kind = ParamKind::kCategorical;
  d.choices = std::move(choices);
  return add({name, std::move(d)});
}

Status Space::add_float(const std::string& name, double low, double high, bool log, double step) {
  if (!(std::isfinite(low) && std::isfinite(high) && low <= high)) {
    return Status::invalid("parameter '" + name + "': needs finite low <= high");
  }
  if (log && !(low > 0)) return Status::invalid("parameter '" + name + "': a log scale needs low > 0");
  if (step < 0 || (log && step > 0)) {
    return Status::invalid("parameter '" + name + "': the step must be >= 0 and 0 on a log scale");
  }
  Distribution d;
  d.kind = ParamKind::kFloat;
  d.low = low;
  d.high = high;
  d.log = log;
  d.step = step;
  return add({name, std::move(d)});
}

Status Space::add_int(const std::string& name, std::int64_t low, std::int64_t high, bool log,
                      std::int64_t step) {
  if (low > high) return Status::invalid("parameter '" + name + "': needs low <= high");
  if (log && low < 1) return Status::invalid("parameter '" + name + "': a log scale needs low >= 1");
  if (step < 1 || (log && step != 1)) {
    return Status::invalid("parameter '" + name + "': the step must be >= 1, and 1 on a log scale");
  }
  Distribution d;
  d.kind = ParamKind::kInt;
  d.low = static_cast<double>(low);
  d.high = static_cast<double>(high);
  d.log = log;
  d.step = static_cast<double>(step);
  return add({name, std::move(d)});
}

Json Space::to_json() const {
  Json ps = Json::array();
  for (const Param& p : params_) {
    Json j;
    j["name"] = p.name;
    const Distribution& d = p.dist;
    if (d.kind == ParamKind::kCategorical) {
      j["type"] = "categorical";
      j["choices"] = d.choices;
    } else {
      j["type"] = d.kind == ParamKind::kFloat ? "float" : "int";
      if (d.kind == ParamKind::kInt) {
        j["low"] = static_cast<std::int64_t>(d.low);
        j["high"] = static_cast<std::int64_t>(d.high);
        j["step"] = static_cast<std::int64_t>(d.step);
      } else {
        j["low"] = d.low;
        j["high"] = d.high;
        j["step"] = d.step;
      }
      j["log"] = d.log;
    }
    ps.push_back(std::move(j));
  }
  return Json{{"params", ps}};
}

Result<Space> Space::from_json(const Json& j) {
  Space s;
  if (!j.is_object() || !j.contains("params") || !j["params"].is_array()) {
    return Status::invalid("search space JSON: expected {\"params\": [...]}");
  }
  try {
    for (const Json& p : j["params"]) {
      const std::string name = p.at("name").get<std::string>();
      const std::string type = p.at("type").get<std::string>();
      Status st;
      if (type == "categorical") {
        st = s.add_categorical(name, p.at("choices").get<std::vector<std::string>>());
      } else if (type == "float") {
        st = s.add_float(name, p.at("low").get<double>(), p.at("high").get<double>(), p.value("log", false),
                         p.value("step", 0.0));
      } else if (type == "int") {
        st = s.add_int(name, p.at("low").get<std::int64_t>(), p.at("high").get<std::int64_t>(),
                       p.value("log", false), p.value("step", std::int64_t{1}));
      } else {
        return Status::invalid("search space JSON: parameter '" + name + "' has unknown type '" + type + "'");
      }
      if (!st) return st;
    }
  } catch (const Json::exception& e) {
    return Status::invalid(std::string("search space JSON: ") + e.what());
  }
  return s;
}

bool Space::contains(std::size_t i, double v) const {
  const Distribution& d = params_[i].dist;
  if (!std::isfinite(v)) return false;
  if (d.kind == ParamKind::kCategorical) {
    return v >= 0 && v < static_cast<double>(d.choices.size()) && v == std::floor(v);
  }
  if (v < d.low || v > d.high) return false;
  if (d.kind == ParamKind::kInt) return v == std::floor(v) && std::fmod(v - d.low, d.step) == 0;
  if (d.step > 0) {
    const double k = (v - d.low) / d.step;
    return std::fabs(k - std::round(k)) < 1e-8;
  }
  return true;
}

Json Space::to_external(const Params& p) const {
  Json j = Json::object();
  for (std::size_t i = 0; i < params_.size() && i < p.size(); ++i) {
    const Distribution& d = params_[i].dist;
    if (d.kind == ParamKind::kCategorical) {
      j[params_[i].name] = d.choices.at(static_cast<std::size_t>(p[i]));
    } else if (d.kind == ParamKind::kInt) {
      j[params_[i].name] = static_cast<std::int64_t>(p[i]);
    } else {
      j[params_[i].name] = p[i];
    }
  }
  return j;
}

Result<Params> Space::from_external(const Json& j) const {
  if (!j.is_object()) return Status::invalid("parameters: expected a JSON object");
  Params p(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Param& par = params_[i];
    if (!j.contains(par.name)) return Status::invalid("parameters: '" + par.name + "' is missing");
    const Json& v = j[par.name];
    if (par.dist.kind == ParamKind::kCategorical) {
      if (!v.is_string()) return Status::invalid("parameters: '" + par.name + "' must be a choice name");
      const auto& choices = par.dist.choices;
      auto it = std::find(choices.begin(), choices.end(), v.get<std::string>());
      if (it == choices.end()) {
        return Status::invalid("parameters: '" + v.get<std::string>() + "' is not a choice of '" + par.name +
                               "'");
      }
      p[i] = static_cast<double>(it - choices.begin());
    } else {
      if (!v.is_number()) return Status::invalid("parameters: '" + par.name + "' must be a number");
      p[i] = v.get<double>();
    }
    if (!contains(i, p[i])) return Status::invalid("parameters: '" + par.name + "' is outside its range");
  }
  return p;
}

}  // namespace actlab::search
