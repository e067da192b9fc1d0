// Figure → gnuplot data + script → picture. See figure.hpp for the contract.
#include "report/figure.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

extern char** environ;  // POSIX: the process environment, passed on to gnuplot minus DISPLAY

namespace actlab::report {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStyles[] = {"lines", "points", "linespoints"};
constexpr std::string_view kDefaultPath = "/usr/local/bin:/usr/bin:/bin";  // when PATH is unset
constexpr int kMaxPixels = 16384;              // per side; pngcairo allocates width × height × 4 bytes
constexpr std::size_t kMaxStderrChars = 2000;  // of gnuplot's stderr kept in an error message

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

bool is_known_style(const std::string& style) {
  return std::find(std::begin(kStyles), std::end(kStyles), style) != std::end(kStyles);
}

// Shortest text that reads back as the same double; non-finite values as NaN (a gap in gnuplot).
std::string format_number(double v) {
  if (!std::isfinite(v)) return "NaN";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

// Series i is gnuplot's `index i`: blocks separated by two blank lines. An empty series is one
// undefined point, so that the following blocks keep their index.
std::string gnuplot_data(const Figure& fig) {
  std::string out;
  for (std::size_t i = 0; i < fig.series.size(); ++i) {
    const Series& s = fig.series[i];
    if (i > 0) out += "\n\n";
    const std::size_t n = std::min(s.x.size(), s.y.size());
    if (n == 0) out += "NaN NaN\n";
    for (std::size_t j = 0; j < n; ++j) {
      out += format_number(s.x[j]);
      out += ' ';
      out += format_number(s.y[j]);
      out += '\n';
    }
  }
  if (fig.image) {  // block `index series.size()`: x y r g b, one scan line per row
    const Image& im = *fig.image;
    if (!fig.series.empty()) out += "\n\n";
    const double dx = (im.x1 - im.x0) / im.nx, dy = (im.y1 - im.y0) / im.ny;
    for (int j = 0; j < im.ny; ++j) {
      if (j > 0) out += '\n';
      const std::string y = format_number(im.y0 + (j + 0.5) * dy);
      for (int i = 0; i < im.nx; ++i) {
        const std::uint32_t c = im.rgb[static_cast<std::size_t>(j) * static_cast<std::size_t>(im.nx) +
                                       static_cast<std::size_t>(i)];
        out += format_number(im.x0 + (i + 0.5) * dx);
        out += ' ';
        out += y;
        out += ' ' + std::to_string(c >> 16 & 0xff) + ' ' + std::to_string(c >> 8 & 0xff) + ' ' +
               std::to_string(c & 0xff) + '\n';
      }
    }
  }
  return out;
}

std::string series_name(const Figure& fig, std::size_t i) {
  return "series " + std::to_string(i) + " ('" + fig.series[i].label + "')";
}

Status check_range(const char* axis, const std::optional<std::pair<double, double>>& range, bool log) {
  if (!range) return Status::ok();
  const auto [lo, hi] = *range;
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi)) {
    return Status::invalid(std::string(axis) + "range [" + format_number(lo) + ", " + format_number(hi) +
                           "] needs finite lo < hi");
  }
  if (log && lo <= 0) {
    return Status::invalid(std::string(axis) + "range starts at " + format_number(lo) + " but the " + axis +
                           " axis is logarithmic");
  }
  return Status::ok();
}

Status validate_image(const Image& im) {
  if (im.nx <= 0 || im.ny <= 0 || im.nx > kMaxPixels || im.ny > kMaxPixels) {
    return Status::invalid("image size " + std::to_string(im.nx) + "x" + std::to_string(im.ny) +
                           " is outside 1.." + std::to_string(kMaxPixels));
  }
  if (im.rgb.size() != static_cast<std::size_t>(im.nx) * static_cast<std::size_t>(im.ny)) {
    return Status::invalid("image has " + std::to_string(im.rgb.size()) + " pixels, " +
                           std::to_string(im.nx) + "x" + std::to_string(im.ny) + " needs " +
                           std::to_string(im.nx * im.ny));
  }
  if (!(std::isfinite(im.x0) && std::isfinite(im.x1) && im.x0 < im.x1 && std::isfinite(im.y0) &&
        std::isfinite(im.y1) && im.y0 < im.y1)) {
    return Status::invalid("image extent [" + format_number(im.x0) + ", " + format_number(im.x1) + "] x [" +
                           format_number(im.y0) + ", " + format_number(im.y1) + "] needs finite lo < hi");
  }
  return Status::ok();
}

Status validate(const Figure& fig) {
  if (fig.series.empty() && !fig.image) return Status::invalid("figure has no series");
  if (fig.image) {
    if (Status st = validate_image(*fig.image); !st) return st;
  }
  if (fig.width <= 0 || fig.height <= 0 || fig.width > kMaxPixels || fig.height > kMaxPixels) {
    return Status::invalid("figure size " + std::to_string(fig.width) + "x" + std::to_string(fig.height) +
                           " is outside 1.." + std::to_string(kMaxPixels));
  }
  bool any_finite = false;
  for (std::size_t i = 0; i < fig.series.size(); ++i) {
    const Series& s = fig.series[i];
    if (s.x.size() != s.y.size()) {
      return Status::invalid(series_name(fig, i) + ": x has " + std::to_string(s.x.size()) +
                             " values, y has " + std::to_string(s.y.size()));
    }
    if (!is_known_style(s.style)) {
      return Status::invalid(series_name(fig, i) + ": unknown style '" + s.style +
                             "' (use lines, points or linespoints)");
    }
    for (std::size_t j = 0; j < s.x.size() && !any_finite; ++j) {
      any_finite = std::isfinite(s.x[j]) && std::isfinite(s.y[j]);
    }
  }
  if (Status st = check_range("x", fig.xrange, fig.logx); !st) return st;
  if (Status st = check_range("y", fig.yrange, fig.logy); !st) return st;
  if (!any_finite && !fig.image) {
    return Status::numerical("figure has no point with finite x and y: nothing to draw");
  }
  return Status::ok();
}

std::optional<std::string> find_gnuplot() {
  const char* env = std::getenv("PATH");
  const std::string_view dirs = env != nullptr && *env != '\0' ? std::string_view(env) : kDefaultPath;
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string_view::npos) end = dirs.size();
    // POSIX: an empty PATH entry is the current directory.
    const std::string_view dir = end > start ? dirs.substr(start, end - start) : std::string_view(".");
    const std::string candidate = std::string(dir) + "/gnuplot";
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

Status write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return Status::io_error("cannot write " + path.string());
  return Status::ok();
}

std::string read_tail(const fs::path& path, std::size_t max_chars) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.size() > max_chars) text = "..." + text.substr(text.size() - max_chars);
  return text;
}

// A directory under the system temp directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() = default;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }

  Status create() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "actlab-figure-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Status::io_error("cannot create a temporary directory in " + base.string() + ": " +
                              std::strerror(errno));
    }
    path_ = pattern;
    return Status::ok();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Runs `gnuplot script` with stdin and stdout on /dev/null, stderr into stderr_path, and the
// environment without DISPLAY (so no X11 terminal is tried). Fails unless gnuplot exits with 0.
Status run_gnuplot(const std::string& gnuplot, const fs::path& script, const fs::path& stderr_path) {
  std::vector<std::string> env_strings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, "DISPLAY=", 8) != 0) env_strings.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string arg0 = "gnuplot";
  std::string arg1 = script.string();
  char* argv[] = {arg0.data(), arg1.data(), nullptr};

  posix_spawn_file_actions_t actions;
  if (int err = ::posix_spawn_file_actions_init(&actions); err != 0) {
    return Status::io_error(std::string("cannot run gnuplot: ") + std::strerror(err));
  }
  const std::string err_path = stderr_path.string();
  int err = ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (err == 0) {
    err = ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  }
  if (err == 0) {
    err = ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                             O_WRONLY | O_CREAT | O_TRUNC, 0600);
  }
  pid_t pid = -1;
  if (err == 0) err = ::posix_spawn(&pid, gnuplot.c_str(), &actions, nullptr, argv, envp.data());
  ::posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return Status::io_error("cannot run " + gnuplot + ": " + std::strerror(err));

  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) {
      return Status::io_error(std::string("waiting for gnuplot: ") + std::strerror(errno));
    }
  }
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return Status::ok();
  const std::string how = WIFEXITED(wstatus) ? "exit status " + std::to_string(WEXITSTATUS(wstatus))
                                             : "signal " + std::to_string(WTERMSIG(wstatus));
  const std::string stderr_text = read_tail(stderr_path, kMaxStderrChars);
  return Status::io_error("gnuplot failed (" + how + "): " + stderr_text);
}

}  // namespace

std::string gnuplot_quote(std::string_view text) {
  std::string out;
  bool open = false;  // inside a single-quoted piece
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n' || c == '\t') {
      if (open) out += '\'';
      open = false;
      if (!out.empty()) out += '.';
      out += c == '\n' ? "\"\\n\"" : "\"\\t\"";
      continue;
    }
    if (c == '\'' && !open) {
      // gnuplot 5.4 reads an opening quote and a following quote as a doubled quote (so '''x' is an
      // error): a quote that would open a single-quoted piece is a double-quoted piece of its own.
      if (!out.empty()) out += '.';
      out += "\"'\"";
      continue;
    }
    if (!open) {
      if (!out.empty()) out += '.';
      out += '\'';
      open = true;
    }
    if (c == '\'') {
      out += "''";
    } else if (c < 0x20 || c == 0x7f) {
      out += ' ';
    } else {
      out += ch;
    }
  }
  if (open) out += '\'';
  return out.empty() ? "''" : out;
}

std::string gnuplot_script(const Figure& fig, const std::string& out_path, const std::string& data_path) {
  std::ostringstream s;
  const bool png = lower_extension(out_path) == ".png";
  s << "# actlab figure (src/report/figure.hpp); series i is `index i` of the data file\n";
  s << "set encoding utf8\n";
  s << "set terminal " << (png ? "pngcairo" : "svg") << " size " << fig.width << "," << fig.height
    << " noenhanced background rgb 'white'\n";
  s << "set output " << gnuplot_quote(out_path) << "\n";
  if (!fig.title.empty()) s << "set title " << gnuplot_quote(fig.title) << "\n";
  if (!fig.xlabel.empty()) s << "set xlabel " << gnuplot_quote(fig.xlabel) << "\n";
  if (!fig.ylabel.empty()) s << "set ylabel " << gnuplot_quote(fig.ylabel) << "\n";
  if (fig.xrange) {
    s << "set xrange [" << format_number(fig.xrange->first) << ":" << format_number(fig.xrange->second)
      << "]\n";
  }
  if (fig.yrange) {
    s << "set yrange [" << format_number(fig.yrange->first) << ":" << format_number(fig.yrange->second)
      << "]\n";
  }
  if (fig.logx) s << "set logscale x\n";
  if (fig.logy) s << "set logscale y\n";
  s << "set grid\n";
  if (fig.series.empty() && !fig.image) {
    s << "# no series: nothing to plot\n";
  } else {
    s << "plot ";
    if (fig.image) {
      s << gnuplot_quote(data_path) << " index " << fig.series.size()
        << " using 1:2:3:4:5 with rgbimage notitle";
    }
    for (std::size_t i = 0; i < fig.series.size(); ++i) {
      const Series& series = fig.series[i];
      if (i > 0 || fig.image) s << ", \\\n     ";
      s << gnuplot_quote(data_path) << " index " << i << " using 1:2 with "
        << (is_known_style(series.style) ? series.style : std::string("lines"));
      if (series.label.empty()) {
        s << " notitle";
      } else {
        s << " title " << gnuplot_quote(series.label);
      }
    }
    s << "\n";
  }
  s << "unset output\n";
  return s.str();
}

bool gnuplot_available() { return find_gnuplot().has_value(); }

Status render(const Figure& fig, const std::string& out_path) {
  const std::string ext = lower_extension(out_path);
  if (ext != ".svg" && ext != ".png") {
    return Status::invalid("unsupported figure extension '" + fs::path(out_path).extension().string() +
                           "' in " + out_path + ": use .svg or .png");
  }
  if (Status st = validate(fig); !st) return st;
  const std::optional<std::string> gnuplot = find_gnuplot();
  if (!gnuplot) return Status::not_found("gnuplot not found: install Debian package gnuplot-nox");

  TempDir tmp;
  if (Status st = tmp.create(); !st) return st;
  // gnuplot draws into the temporary directory; the picture is moved into place only when it is
  // complete, so a failed run leaves no partial (or stale-looking) file at out_path.
  const fs::path data = tmp.path() / "figure.dat";
  const fs::path script = tmp.path() / "figure.gp";
  const fs::path picture = tmp.path() / ("figure" + ext);
  const fs::path stderr_path = tmp.path() / "gnuplot.stderr";
  if (Status st = write_file(data, gnuplot_data(fig)); !st) return st;
  const std::string script_text = gnuplot_script(fig, picture.string(), data.string());
  if (Status st = write_file(script, script_text); !st) return st;
  if (Status st = run_gnuplot(*gnuplot, script, stderr_path); !st) return st;

  std::error_code ec;
  const auto size = fs::file_size(picture, ec);
  if (ec || size == 0) {
    return Status::io_error("gnuplot wrote no picture: " + read_tail(stderr_path, kMaxStderrChars));
  }
  fs::rename(picture, out_path, ec);
  if (ec) {  // e.g. another file system than the temporary directory's: copy instead
    ec.clear();
    fs::copy_file(picture, out_path, fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::io_error("cannot write " + out_path + ": " + ec.message());
  }
  return Status::ok();
}

}  // namespace actlab::report
