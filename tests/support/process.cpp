#include "support/process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace actlab::testing {
namespace {

std::string slurp(int fd) {
  std::string s;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
  return s;
}

// Every actlab the tests start reads no user catalog of the developer's (~/.config/actlab/catalog.json or
// ACTLAB_CATALOG): the tests that want one set these variables themselves, around their own runs.
const bool kHermeticEnvironment = [] {
  ::setenv("XDG_CONFIG_HOME", "/nonexistent/actlab-tests-config", 1);
  ::unsetenv("ACTLAB_CATALOG");
  return true;
}();

// Starts build/actlab with the arguments, stdout and stderr going to the two files; its pid, or -1.
pid_t spawn(const std::vector<std::string>& args, int out_fd, int err_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  std::vector<std::string> argv_s = {ACTLAB_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  const bool ok = posix_spawn(&pid, ACTLAB_BINARY, &actions, nullptr, argv.data(), environ) == 0;
  posix_spawn_file_actions_destroy(&actions);
  return ok ? pid : -1;
}

}  // namespace

ProcessResult run_actlab(const std::vector<std::string>& args) {
  ProcessResult r;
  char out_path[] = "/tmp/actlab_test_outXXXXXX";
  char err_path[] = "/tmp/actlab_test_errXXXXXX";
  const int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
  if (out_fd < 0 || err_fd < 0) return r;
  if (const pid_t pid = spawn(args, out_fd, err_fd); pid > 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  lseek(out_fd, 0, SEEK_SET);
  lseek(err_fd, 0, SEEK_SET);
  r.out = slurp(out_fd);
  r.err = slurp(err_fd);
  close(out_fd);
  close(err_fd);
  unlink(out_path);
  unlink(err_path);
  return r;
}

Json output_json(const ProcessResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j;
}

void expect_bad_input(const std::vector<std::string>& args, const std::string& fragment) {
  const ProcessResult r = run_actlab(args);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  // One error line, the last; before it only the progress lines a run writes when stderr is a file
  // ("compare 3/36 0.4s seed 2 relu", docs/cli.md).
  const std::size_t last = r.err.rfind('\n', r.err.size() >= 2 ? r.err.size() - 2 : 0);
  const std::size_t at = last == std::string::npos ? 0 : last + 1;
  EXPECT_EQ(r.err.find("actlab: error: "), at) << r.err;
  EXPECT_TRUE(!r.err.empty() && r.err.back() == '\n') << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

Background start_actlab(const std::vector<std::string>& args) {
  Background b;
  char out_path[] = "/tmp/actlab_test_outXXXXXX";
  char err_path[] = "/tmp/actlab_test_errXXXXXX";
  const int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
  if (out_fd < 0 || err_fd < 0) return b;
  b.out_path = out_path;
  b.err_path = err_path;
  if (const pid_t pid = spawn(args, out_fd, err_fd); pid > 0) b.pid = pid;
  close(out_fd);
  close(err_fd);
  return b;
}

bool Background::exited() const {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const auto paren = stat.rfind(')');
  return stat.empty() || (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z');
}

ProcessResult Background::wait(double timeout_s) {
  ProcessResult r;
  if (pid <= 0) {
    ADD_FAILURE() << "the process never started";
    return r;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  int status = 0;
  pid_t got = 0;
  while ((got = waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (got == 0) {
    kill(pid, SIGCONT);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    ADD_FAILURE() << "actlab (pid " << pid << ") still running after " << timeout_s << " s: killed";
  } else {
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  auto slurp_file = [](const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  };
  r.out = slurp_file(out_path);
  r.err = slurp_file(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  pid = -1;
  return r;
}

}  // namespace actlab::testing
