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

// An actlab started in the background (fault tests: kill, stop, interrupt it), its output in files.
//
//   Background w = start_actlab({"study", "optimize", ...});
//   kill(w.pid, SIGSTOP); ...
//   ProcessResult r = w.wait(20);                   // at most 20 s, then SIGKILL and a test failure
struct Background {
  int pid = -1;
  std::string out_path, err_path;
  // Waits at most timeout_s for the exit (killing it after that: exit_code -1 and a test failure); the
  // exit code is 128 + N for a process ended by signal N. Also reads and deletes its output files.
  ProcessResult wait(double timeout_s);
  // True once it has exited (reaped or not); never blocks.
  bool exited() const;
};
Background start_actlab(const std::vector<std::string>& args);

// Bad input: exit code 2, `fragment` in exactly one line on stderr, nothing on stdout.
void expect_bad_input(const std::vector<std::string>& args, const std::string& fragment);

}  // namespace actlab::testing
