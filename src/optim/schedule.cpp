#include "optim/schedule.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <numbers>

namespace actlab::optim {

double LrSchedule::lr(double lr0, const ScheduleClock& at) const {
  switch (kind) {
    case Kind::kConstant: return lr0;
    case Kind::kCosine: {
      const double t = static_cast<double>(at.step) / static_cast<double>(std::max(at.total_steps, 1L));
      return eta_min + (lr0 - eta_min) * (1.0 + std::cos(std::numbers::pi * t)) / 2.0;
    }
    case Kind::kStep: return lr0 * std::pow(gamma, (at.epoch - 1) / every);
    case Kind::kExponential: return lr0 * std::pow(gamma, at.epoch - 1);
  }
  return lr0;
}

namespace {

// The shortest text that reads back as the same double.
std::string number(double v) {
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("nan");
}

}  // namespace

std::string LrSchedule::str() const {
  switch (kind) {
    case Kind::kConstant: return "constant";
    case Kind::kCosine: return "cosine:min=" + number(eta_min);
    case Kind::kStep: return "step:every=" + std::to_string(every) + ",gamma=" + number(gamma);
    case Kind::kExponential: return "exp:gamma=" + number(gamma);
  }
  return "constant";
}

Result<LrSchedule> parse_lr_schedule(std::string_view spec) {
  const std::string whole(spec);
  auto error = [&](const std::string& why) {
    return Status::invalid("learning-rate schedule '" + whole + "': " + why +
                           " (expected constant, cosine[:min=M], step:every=E[,gamma=G] or exp:gamma=G)");
  };
  const std::size_t colon = spec.find(':');
  const std::string_view name = spec.substr(0, colon);
  LrSchedule s;
  bool has_every = false, has_gamma = false;
  if (name == "constant") {
    s.kind = LrSchedule::Kind::kConstant;
  } else if (name == "cosine") {
    s.kind = LrSchedule::Kind::kCosine;
  } else if (name == "step") {
    s.kind = LrSchedule::Kind::kStep;
  } else if (name == "exp") {
    s.kind = LrSchedule::Kind::kExponential;
  } else {
    return error("unknown schedule '" + std::string(name) + "'");
  }
  std::string_view rest = colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
  if (colon != std::string_view::npos && rest.empty()) return error("nothing after ':'");
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return error("expected key=value, got '" + std::string(item) + "'");
    const std::string key(item.substr(0, eq));
    const std::string_view text = item.substr(eq + 1);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
      return error(key + ": not a number: '" + std::string(text) + "'");
    }
    if (key == "min" && s.kind == LrSchedule::Kind::kCosine) {
      if (v < 0) return error("min must be >= 0");
      s.eta_min = v;
    } else if (key == "every" && s.kind == LrSchedule::Kind::kStep) {
      if (v < 1 || v > 1e9 || v != std::floor(v)) {
        return error("every must be a whole number of epochs from 1 to 1e9");
      }
      s.every = static_cast<int>(v);
      has_every = true;
    } else if (key == "gamma" &&
               (s.kind == LrSchedule::Kind::kStep || s.kind == LrSchedule::Kind::kExponential)) {
      if (v <= 0) return error("gamma must be > 0");
      s.gamma = v;
      has_gamma = true;
    } else {
      return error("'" + key + "' is not an option of " + std::string(name));
    }
  }
  if (s.kind == LrSchedule::Kind::kStep && !has_every) return error("step needs every=E");
  if (s.kind == LrSchedule::Kind::kExponential && !has_gamma) return error("exp needs gamma=G");
  return s;
}

}  // namespace actlab::optim
