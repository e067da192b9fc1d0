#include "cli/command.hpp"

#include <cstdio>

namespace actlab::cli {

int finish(const Status& s) {
  if (s.is_ok()) return kExitOk;
  std::fprintf(stderr, "actlab: error: %s\n", s.message().c_str());
  return s.is_bad_input() ? kExitBadInput : kExitFailure;
}

}  // namespace actlab::cli
