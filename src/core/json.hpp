// JSON output helpers over nlohmann::json, with non-finite numbers spelled out instead of lost.
//
//   Json j;                                         // keys keep insertion order
//   j["loss"] = json_number(std::nan(""));          // "nan"  (a plain NaN would be written as null)
//   j["lo"] = json_bound(-HUGE_VAL);                // null   (unbounded side of a range)
//   j["hi"] = json_bound(1.0);                      // 1.0
//   std::string text = json_dump(j, /*pretty=*/false);  // {"loss":"nan","lo":null,"hi":1.0}
//   double loss = json_to_double(j["loss"]);        // NaN again
//
// JSON has no NaN or infinity; nlohmann writes them as null, which cannot be told apart from "missing".
// json_number() writes them as the strings "nan", "inf", "-inf" and json_to_double() reads them back
// (also the "NaN", "Infinity", "-Infinity" spellings of other tools). Finite doubles are written with the
// shortest text that reads back to the same bits, so values round-trip exactly.
#pragma once

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace actlab {

using Json = nlohmann::ordered_json;

// Finite: the number. NaN: "nan". +inf: "inf". -inf: "-inf".
inline Json json_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

// For range ends, where null means unbounded. Finite: the number. ±inf: null. NaN: "nan" (not unbounded).
inline Json json_bound(double v) {
  if (std::isinf(v)) return nullptr;
  return json_number(v);
}

// Inverse of json_number(): a JSON number, or one of "nan", "NaN", "inf", "Infinity", "-inf", "-Infinity".
// Anything else (null, bool, other strings, objects) is an invalid-argument Status.
inline Result<double> json_read_double(const Json& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s == "nan" || s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf" || s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-inf" || s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return Status::invalid("expected a number, \"nan\", \"inf\" or \"-inf\", got " +
                         j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

// json_read_double() without the error: NaN for anything that is not a number or a non-finite spelling.
inline double json_to_double(const Json& j) {
  auto r = json_read_double(j);
  return r ? *r : std::numeric_limits<double>::quiet_NaN();
}

// Serialize: compact on one line, or pretty with a 2-space indent. Never throws: invalid UTF-8 in strings is
// replaced by U+FFFD.
inline std::string json_dump(const Json& j, bool pretty) {
  return j.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace actlab
