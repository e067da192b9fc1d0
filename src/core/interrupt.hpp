// Ctrl-C and `kill` (SIGINT, SIGTERM) as a flag that long runs poll, so that they stop cleanly: release what
// they hold, leave a resumable state, and let the CLI say how to resume.
//
//   InterruptGuard guard;                        // catches SIGINT and SIGTERM until destroyed
//   while (work_left() && InterruptGuard::signal() == 0) step();
//   if (int sig = InterruptGuard::signal()) return 128 + sig;   // the shell's convention: 130, 143
//
// A second signal while the first one is being handled ends the process at once (exit 128 + N), so a
// user can always get out. The previous handlers come back when the guard is destroyed.
#pragma once

#include <signal.h>

namespace actlab {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // The first signal caught since the guard was made (SIGINT or SIGTERM), 0 when none.
  static int signal();
  // "SIGINT", "SIGTERM" or "signal N".
  static const char* name(int sig);

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

}  // namespace actlab
