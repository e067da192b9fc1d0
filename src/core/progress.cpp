#include "core/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace actlab {
namespace {

constexpr int kBarWidth = 20;

bool default_enabled(std::FILE* stream) {
  if (stream == nullptr) return false;
  const int fd = fileno(stream);
  return fd >= 0 && isatty(fd) != 0;
}

}  // namespace

std::string format_duration(double seconds) {
  if (!(seconds >= 0.0)) seconds = 0.0;  // NaN or negative
  seconds = std::min(seconds, 1e9);
  char buf[32];
  if (seconds < 59.95) {
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  } else if (const long long s = std::llround(seconds); s < 3600) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, s / 60 % 60);
  }
  return buf;
}

std::string format_progress_line(std::string_view label, std::int64_t done, std::int64_t total,
                                 double elapsed_s, std::string_view note) {
  std::string line(label);
  char numbers[96];
  if (total > 0) {
    const double fraction = std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0);
    const int filled = static_cast<int>(fraction * kBarWidth);
    line.append(" [");
    line.append(static_cast<std::size_t>(filled), '#');
    line.append(static_cast<std::size_t>(kBarWidth - filled), '.');
    std::snprintf(numbers, sizeof numbers, "] %lld/%lld %d%% ", static_cast<long long>(done),
                  static_cast<long long>(total), static_cast<int>(std::floor(fraction * 100.0)));
    line.append(numbers);
    line.append(format_duration(elapsed_s));
    if (done < total) {
      line.append(" eta ");
      line.append(done > 0 ? format_duration(elapsed_s * static_cast<double>(total - done) /
                                             static_cast<double>(done))
                           : std::string("?"));
    }
  } else {
    std::snprintf(numbers, sizeof numbers, " %lld ", static_cast<long long>(done));
    line.append(numbers);
    line.append(format_duration(elapsed_s));
  }
  if (!note.empty()) {
    line += ' ';
    line += note;
  }
  return line;
}

ProgressBar::ProgressBar(std::string label, std::int64_t total, std::FILE* stream,
                         std::optional<bool> enabled)
    : label_(std::move(label)),
      total_(total),
      stream_(stream),
      enabled_(stream != nullptr && enabled.value_or(default_enabled(stream))),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

std::int64_t ProgressBar::elapsed_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_)
      .count();
}

void ProgressBar::advance(std::int64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  maybe_draw();
  maybe_log();
}

void ProgressBar::set(std::int64_t done) {
  done_.store(done, std::memory_order_relaxed);
  maybe_draw();
  maybe_log();
}

void ProgressBar::log_lines(std::int64_t every) {
  if (enabled_ || stream_ == nullptr || default_enabled(stream_)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  log_every_ = std::max<std::int64_t>(every, 1);
}

// One plain line when `log_every_` more steps are done than at the last plain line.
void ProgressBar::maybe_log() {
  if (enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  const std::int64_t d = done();
  if (log_every_ == 0 || finished_ || d < logged_ + log_every_) return;
  logged_ = d;
  char numbers[64];
  if (total_ > 0)
    std::snprintf(numbers, sizeof numbers, " %lld/%lld ", static_cast<long long>(d),
                  static_cast<long long>(total_));
  else
    std::snprintf(numbers, sizeof numbers, " %lld ", static_cast<long long>(d));
  std::string line = label_ + numbers + format_duration(static_cast<double>(elapsed_ns()) * 1e-9);
  if (!note_.empty()) line += " " + note_;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fflush(stream_);
}

void ProgressBar::set_note(std::string note) {
  if (!enabled_ && log_every_ == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  note_ = std::move(note);
}

void ProgressBar::finish() {
  if (!enabled_) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_) return;
      if (log_every_ > 0) log_every_ = 1;  // the last steps of a partial batch get their line too
    }
    maybe_log();
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  draw_locked();
  if (drawn_) std::fputc('\n', stream_);
  std::fflush(stream_);
}

// Cheap when it is not time to draw: one clock read and one atomic load. A thread that finds another one
// drawing skips its own redraw instead of waiting.
void ProgressBar::maybe_draw() {
  if (!enabled_) return;
  const std::int64_t now = elapsed_ns();
  if (now < next_draw_ns_.load(std::memory_order_relaxed)) return;
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_ || now < next_draw_ns_.load(std::memory_order_relaxed)) return;
  next_draw_ns_.store(now + kRedrawIntervalNs, std::memory_order_relaxed);
  draw_locked();
}

void ProgressBar::draw_locked() {
  const double elapsed_s = static_cast<double>(elapsed_ns()) * 1e-9;
  std::string line = format_progress_line(label_, done(), total_, elapsed_s, note_);
  const std::size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');  // blank out the rest of a longer line
  last_width_ = width;
  std::fputc('\r', stream_);
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fflush(stream_);
  drawn_ = true;
}

}  // namespace actlab
