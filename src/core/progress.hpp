// A one-line progress bar for long loops, redrawn in place with '\r' on a terminal.
//
//   ProgressBar bar("trials", 100);                 // draws on stderr, only if stderr is a terminal
//   pool.parallel_for(100, [&](std::size_t i, int) { run_trial(i); bar.advance(); });
//   bar.set_note("best 0.031");
//   bar.finish();                                   // final line and '\n'; the destructor also does it
//
// shows
//
//   trials [########............] 42/100 42% 1.2s eta 1.7s best 0.031
//
// Redraws at most about 10 times a second (and always on finish). A disabled bar writes nothing at all,
// so library code can keep a bar unconditionally and let the caller decide. advance(), set() and
// set_note() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace actlab {

// The text of one bar line (no '\r', no padding). total <= 0 means unknown: no bar, percentage or eta.
//   format_progress_line("fit", 42, 100, 1.2, "") == "fit [########............] 42/100 42% 1.2s eta 1.7s"
std::string format_progress_line(std::string_view label, std::int64_t done, std::int64_t total,
                                 double elapsed_s, std::string_view note);

// Durations as shown in the bar: "0.4s", "12.0s", "3m07s", "2h05m".
std::string format_duration(double seconds);

class ProgressBar {
 public:
  // enabled: default isatty(fileno(stream)); a null stream is always disabled.
  ProgressBar(std::string label, std::int64_t total, std::FILE* stream = stderr,
              std::optional<bool> enabled = std::nullopt);
  ~ProgressBar();  // calls finish()
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void advance(std::int64_t n = 1);  // done += n
  void set(std::int64_t done);       // done = done
  void set_note(std::string note);   // text after the numbers, shown from the next redraw
  void finish();                     // draws the final line and a newline; later calls do nothing
  // Where the bar cannot draw because its stream is not a terminal (a pipe, a log file): one plain line
  // "label 40/100 1.2s note" each time `every` more steps are done and at finish, flushed at once, so a log
  // fills as the run goes and a killed run leaves what it did. Off until called; nothing on a terminal.
  //   ProgressBar bar("epochs", 10);  bar.log_lines();   // stderr piped: "epochs 1/10 0.0s loss 1.35"
  void log_lines(std::int64_t every = 1);

  std::int64_t done() const { return done_.load(std::memory_order_relaxed); }
  bool enabled() const { return enabled_; }

 private:
  void maybe_draw();
  void maybe_log();
  void draw_locked();  // mutex_ held
  std::int64_t elapsed_ns() const;

  static constexpr std::int64_t kRedrawIntervalNs = 100'000'000;

  const std::string label_;
  const std::int64_t total_;
  std::FILE* const stream_;
  const bool enabled_;
  const std::chrono::steady_clock::time_point start_;
  std::atomic<std::int64_t> done_{0};
  std::atomic<std::int64_t> next_draw_ns_{0};  // no redraw before this time (ns since start_)
  std::mutex mutex_;                           // guards drawing and the fields below
  std::string note_;
  std::size_t last_width_ = 0;  // length of the last line drawn, to blank out leftovers
  bool drawn_ = false;
  bool finished_ = false;
  std::int64_t log_every_ = 0;  // 0: no plain lines
  std::int64_t logged_ = 0;     // steps done at the last plain line
};

}  // namespace actlab
