// Numbers as text for tables and messages.
//
//   report::fmt(0.5);              // "0.5000"
//   report::fmt(1e-7, "%.3g");     // "1e-07"
//   report::fmt(std::nan(""));     // "-": a missing value, never printed as a result
#pragma once

#include <string>

namespace actlab::report {

// printf-formatted number, "-" for NaN.
std::string fmt(double v, const char* format = "%.4f");

}  // namespace actlab::report
