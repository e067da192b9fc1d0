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
#include <limits>
#include <sstream>
#include <system_error>

#include "core/file_io.hpp"

extern char** environ;  // POSIX: the process environment, passed on to gnuplot minus DISPLAY

namespace actlab::report {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStyles[] = {"lines",       "dashed",     "points", "open_points",
                                        "linespoints", "yerrorbars", "region"};
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

// The figure and its panels, in drawing (and data) order.
std::vector<const Figure*> panels_of(const Figure& fig) {
  std::vector<const Figure*> out{&fig};
  for (const Figure& p : fig.panels) out.push_back(&p);
  return out;
}

bool has_finite_point(const Series& s) {
  const std::size_t n = std::min(s.x.size(), s.y.size());
  for (std::size_t j = 0; j < n; ++j)
    if (std::isfinite(s.x[j]) && std::isfinite(s.y[j])) return true;
  return false;
}

// Series i (over all panels, in order) is gnuplot's `index i`: blocks separated by two blank lines. An empty
// series is one undefined point, so that the following blocks keep their index. A "yerrorbars" block has a
// third column; in a "region" block a non-finite point is a blank line, which ends one polygon.
}  // namespace

std::string gnuplot_data(const Figure& fig) {
  std::string out;
  bool first = true;
  for (const Figure* panel : panels_of(fig)) {
    for (const Series& s : panel->series) {
      if (!first) out += "\n\n";
      first = false;
      const bool bars = s.style == "yerrorbars", region = s.style == "region";
      const std::size_t n = std::min(s.x.size(), s.y.size());
      std::size_t written = 0;
      bool pending_break =
          false;  // region: one blank line (never two: that would end the block) before the next
      for (std::size_t j = 0; j < n; ++j) {
        if (region && !(std::isfinite(s.x[j]) && std::isfinite(s.y[j]))) {
          pending_break = written > 0;
          continue;
        }
        if (pending_break) out += '\n';
        pending_break = false;
        out += format_number(s.x[j]);
        out += ' ';
        out += format_number(s.y[j]);
        if (bars) {
          out += ' ';
          out += format_number(j < s.yerr.size() ? s.yerr[j] : std::nan(""));
        }
        out += '\n';
        ++written;
      }
      if (written == 0) out += bars ? "NaN NaN NaN\n" : "NaN NaN\n";
    }
  }
  if (fig.image) {  // the block after every panel's series: x y r g b, one scan line per row
    const Image& im = *fig.image;
    if (!first) out += "\n\n";
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

namespace {

std::string series_name(const Figure& fig, std::size_t i) {
  return "series " + std::to_string(i) + " ('" + fig.series[i].label + "')";
}

bool is_hex_color(const std::string& c) {
  if (c.size() != 7 || c[0] != '#') return false;
  return std::all_of(c.begin() + 1, c.end(),
                     [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); });
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

// One plot's checks (the picture-wide ones are in validate()).
Status validate_panel(const Figure& fig, const std::string& where) {
  if (fig.image) {
    if (Status st = validate_image(*fig.image); !st) return Status::invalid(where + st.message());
  }
  if (fig.series.empty() && !fig.image)
    return Status::invalid(where.empty() ? "figure has no series" : where + "no series");
  bool any_finite = false;
  for (std::size_t i = 0; i < fig.series.size(); ++i) {
    const Series& s = fig.series[i];
    if (s.x.size() != s.y.size()) {
      return Status::invalid(where + series_name(fig, i) + ": x has " + std::to_string(s.x.size()) +
                             " values, y has " + std::to_string(s.y.size()));
    }
    if (!is_known_style(s.style)) {
      return Status::invalid(where + series_name(fig, i) + ": unknown style '" + s.style +
                             "' (use lines, dashed, points, open_points, linespoints, yerrorbars or region)");
    }
    if (s.style == "yerrorbars" ? s.yerr.size() != s.x.size() : !s.yerr.empty()) {
      return Status::invalid(where + series_name(fig, i) + ": yerr has " + std::to_string(s.yerr.size()) +
                             " values; style yerrorbars needs one per point, other styles none");
    }
    if (!s.color.empty() && !is_hex_color(s.color)) {
      return Status::invalid(where + series_name(fig, i) + ": colour '" + s.color + "' is not #rrggbb");
    }
    any_finite = any_finite || has_finite_point(s);
  }
  if (Status st = check_range("x", fig.xrange, fig.logx); !st) return Status::invalid(where + st.message());
  if (Status st = check_range("y", fig.yrange, fig.logy); !st) return Status::invalid(where + st.message());
  if (!any_finite && !fig.image) {
    return Status::numerical((where.empty() ? "figure has " : where) +
                             "no point with finite x and y: nothing to draw");
  }
  return Status::ok();
}

Status validate(const Figure& fig) {
  if (fig.width <= 0 || fig.height <= 0 || fig.width > kMaxPixels || fig.height > kMaxPixels) {
    return Status::invalid("figure size " + std::to_string(fig.width) + "x" + std::to_string(fig.height) +
                           " is outside 1.." + std::to_string(kMaxPixels));
  }
  const std::vector<const Figure*> panels = panels_of(fig);
  for (std::size_t k = 0; k < panels.size(); ++k) {
    const std::string where = panels.size() == 1 ? "" : "panel " + std::to_string(k + 1) + ": ";
    if (k > 0 && !panels[k]->panels.empty())
      return Status::invalid(where + "a panel has no panels of its own");
    if (Status st = validate_panel(*panels[k], where); !st) return st;
  }
  return Status::ok();
}

// "using …" and "with …" of one series: the style's gnuplot spelling in the house style.
std::string plot_clause(const Series& series) {
  const std::string& st = series.style;
  std::string out = st == "yerrorbars" ? "using 1:2:3 " : "using 1:2 ";
  const std::string color = series.color.empty() ? "" : " lc rgb '" + series.color + "'";
  if (st == "dashed") {
    out += "with lines lw 2 dt 2" + color;
  } else if (st == "points") {
    out += "with points pt 7 ps 0.7" + color;
  } else if (st == "open_points") {
    out += "with points pt 6 ps 1.1 lw 1.5" + color;
  } else if (st == "linespoints") {
    out += "with linespoints lw 2 pt 7 ps 0.6" + color;
  } else if (st == "yerrorbars") {
    out += "with yerrorbars pt 7 ps 0.6 lw 1.5" + color;
  } else if (st == "region") {
    out += "with filledcurves closed fs solid 1.0 noborder" +
           (series.color.empty() ? std::string() : " fc rgb '" + series.color + "'");
  } else {
    out += "with lines lw 2" + color;
  }
  out += series.label.empty() ? " notitle" : " title " + gnuplot_quote(series.label);
  return out;
}

// Ranges that autoscale gets wrong. (1) gnuplot warns ("empty y range") when every value on an axis is the
// same (f′ ≡ 1 of the identity): such an axis gets v ± max(1, |v|)/2 (v/2 … 2v on a log axis). (2) On a log
// y axis an error bar reaching 0 or below would stretch the axis towards 0: the axis spans the positive
// values and bar ends (/2 and ×2), and such a bar runs out of the bottom of the plot.
std::optional<std::pair<double, double>> autoscale_fix(const Figure& p, char axis, bool log) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  bool bar_below_zero = false;
  for (const Series& s : p.series) {
    const std::size_t n = std::min(s.x.size(), s.y.size());
    for (std::size_t j = 0; j < n; ++j) {
      if (!(std::isfinite(s.x[j]) && std::isfinite(s.y[j]))) continue;
      const double e =
          axis == 'y' && j < s.yerr.size() && std::isfinite(s.yerr[j]) ? std::abs(s.yerr[j]) : 0.0;
      const double v = axis == 'x' ? s.x[j] : s.y[j];
      if (log && !(v > 0)) continue;
      if (log && !(v - e > 0)) {
        bar_below_zero = true;
        lo = std::min(lo, v);
      } else {
        lo = std::min(lo, v - e);
      }
      hi = std::max(hi, v + e);
    }
  }
  if (bar_below_zero && lo < hi) return std::pair{lo / 2, hi * 2};
  if (!(lo == hi)) return std::nullopt;
  if (log) return std::pair{lo / 2, hi * 2};
  const double half = std::max(1.0, std::abs(lo)) / 2;
  return std::pair{lo - half, hi + half};
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
  const std::vector<const Figure*> panels = panels_of(fig);
  s << "# actlab figure (src/report/figure.hpp); series i is `index i` of the data file\n";
  s << "set encoding utf8\n";
  // pngcairo draws text larger than the svg terminal at the same size: 11 there looks like 13 here.
  s << "set terminal " << (png ? "pngcairo" : "svg") << " size " << fig.width << "," << fig.height
    << " noenhanced font " << (png ? "'Sans,11'" : "'Sans,13'") << " background rgb 'white'\n";
  s << "set output " << gnuplot_quote(out_path) << "\n";
  s << "set key below height 1\n";  // under the x label (with a little room): never over the data
  s << "set grid lc rgb '#d0d0d0'\n";
  if (panels.size() > 1) s << "set multiplot layout 1," << panels.size() << "\n";
  std::size_t index = 0;  // of the first series of this panel in the data file
  for (std::size_t k = 0; k < panels.size(); ++k) {
    const Figure& p = *panels[k];
    if (k > 0) s << "unset title\nunset xlabel\nunset ylabel\nunset logscale\nset autoscale\n";
    if (!p.title.empty()) s << "set title " << gnuplot_quote(p.title) << "\n";
    if (!p.xlabel.empty()) s << "set xlabel " << gnuplot_quote(p.xlabel) << "\n";
    if (!p.ylabel.empty()) s << "set ylabel " << gnuplot_quote(p.ylabel) << "\n";
    for (const char axis : {'x', 'y'}) {
      const bool log = axis == 'x' ? p.logx : p.logy;
      std::optional<std::pair<double, double>> range = axis == 'x' ? p.xrange : p.yrange;
      if (!range) range = autoscale_fix(p, axis, log);
      if (range) {
        s << "set " << axis << "range [" << format_number(range->first) << ":" << format_number(range->second)
          << "]\n";
      }
    }
    if (p.logx) s << "set logscale x\n";
    if (p.logy) s << "set logscale y\n";
    // The image first, then regions, so that lines and points lie on top; series without a finite point
    // stay out.
    std::vector<std::string> parts;
    if (k == 0 && fig.image) {
      std::size_t all = 0;
      for (const Figure* q : panels) all += q->series.size();
      parts.push_back(gnuplot_quote(data_path) + " index " + std::to_string(all) +
                      " using 1:2:3:4:5 with rgbimage notitle");
    }
    for (const bool regions : {true, false}) {
      for (std::size_t i = 0; i < p.series.size(); ++i) {
        const Series& series = p.series[i];
        if ((series.style == "region") != regions || !has_finite_point(series)) continue;
        parts.push_back(gnuplot_quote(data_path) + " index " + std::to_string(index + i) + " " +
                        plot_clause(series));
      }
    }
    index += p.series.size();
    if (parts.empty()) {
      s << "# no series with a finite point: nothing to plot\n";
      continue;
    }
    s << "plot ";
    for (std::size_t i = 0; i < parts.size(); ++i) s << (i > 0 ? ", \\\n     " : "") << parts[i];
    s << "\n";
  }
  if (panels.size() > 1) s << "unset multiplot\n";
  s << "unset output\n";
  return s.str();
}

bool gnuplot_available() { return find_gnuplot().has_value(); }

Status render(const Figure& fig, const std::string& out_path, std::string* gnuplot_stderr) {
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
  // Copied in through a temporary file beside out_path (the temporary directory may be another file
  // system): out_path is either the complete picture or untouched, even on a full disk.
  std::ifstream in(picture, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Status::io_error("cannot read the picture gnuplot wrote");
  if (Status st = write_file_atomic(out_path, bytes); !st)
    return Status::io_error("cannot write " + st.message());
  if (gnuplot_stderr != nullptr) *gnuplot_stderr = read_tail(stderr_path, kMaxStderrChars);
  return Status::ok();
}

}  // namespace actlab::report
