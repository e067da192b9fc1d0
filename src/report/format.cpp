#include "report/format.hpp"

#include <cmath>
#include <cstdio>

namespace actlab::report {

std::string fmt(double v, const char* format) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace actlab::report
