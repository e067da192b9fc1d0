#include "support/golden.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace actlab::testing {

std::string source_path(const std::string& relative) {
  return std::string(ACTLAB_SOURCE_DIR) + "/" + relative;
}

Json read_golden(const std::string& name) {
  const std::string path = source_path("tests/golden/" + name);
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "golden file %s is missing (regenerate it with the command in tools/)\n",
                 path.c_str());
    std::abort();
  }
  std::stringstream ss;
  ss << in.rdbuf();
  Json j = Json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    std::fprintf(stderr, "golden file %s is not valid JSON\n", path.c_str());
    std::abort();
  }
  return j;
}

bool close(double a, double b, double rtol, double atol) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= atol + rtol * std::fabs(b);
}

}  // namespace actlab::testing
