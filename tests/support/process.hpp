// Test support: run the real actlab executable and capture what it prints.
//
//   auto r = run_actlab({"act", "show", "relu", "--json"});
//   EXPECT_EQ(r.exit_code, 0);  auto j = Json::parse(r.out);
#pragma once

#include <string>
#include <vector>

namespace actlab::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs build/actlab with the arguments (no shell: each argument is passed as is).
ProcessResult run_actlab(const std::vector<std::string>& args);

}  // namespace actlab::testing
