// Test support: run the real actlab executable and capture what it prints.
//
//   auto r = run_actlab({"act", "show", "relu", "--json"});
//   Json j = output_json(r);                        // exit 0 and JSON on stdout, else the test fails
//   expect_bad_input({"act", "show", "sigmod"}, "sigmoid");
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"

namespace actlab::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs build/actlab with the arguments (no shell: each argument is passed as is).
ProcessResult run_actlab(const std::vector<std::string>& args);

// The JSON a run printed on stdout; a test failure when it did not exit 0 or printed no JSON.
Json output_json(const ProcessResult& r);
// output_json(run_actlab(args)).
inline Json run_json(const std::vector<std::string>& args) { return output_json(run_actlab(args)); }

// Bad input: exit code 2, `fragment` in exactly one line on stderr, nothing on stdout.
void expect_bad_input(const std::vector<std::string>& args, const std::string& fragment);

}  // namespace actlab::testing
