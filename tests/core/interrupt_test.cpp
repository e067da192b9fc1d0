// InterruptGuard: a caught SIGINT / SIGTERM becomes the flag instead of ending the process; the old handler
// comes back with the guard's end; a second signal ends the process with 128 + N (checked in a child).
#include "core/interrupt.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace actlab {
namespace {

TEST(InterruptGuard, CatchesTheFirstSignalAndRestoresTheOldHandler) {
  {
    InterruptGuard guard;
    EXPECT_EQ(InterruptGuard::signal(), 0);
    ASSERT_EQ(raise(SIGTERM), 0);  // would end the test binary without the guard
    EXPECT_EQ(InterruptGuard::signal(), SIGTERM);
    EXPECT_STREQ(InterruptGuard::name(SIGTERM), "SIGTERM");
  }
  struct sigaction now {};
  sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
  InterruptGuard fresh;  // a new guard starts with no signal
  EXPECT_EQ(InterruptGuard::signal(), 0);
}

TEST(InterruptGuard, ASecondSignalExitsAtOnceWith128PlusN) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    InterruptGuard guard;
    raise(SIGINT);
    raise(SIGINT);
    _exit(0);  // not reached
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
}

}  // namespace
}  // namespace actlab
