// Line plots: a Figure is plain data; gnuplot draws it (Debian package gnuplot-nox).
//
//   #include "report/figure.hpp"
//   using namespace actlab::report;
//   Figure fig{.title = "tanh and its derivative", .xlabel = "x", .ylabel = "y"};
//   Series f{.label = "tanh(x)"}, df{.label = "1 - tanh(x)^2", .style = "linespoints"};
//   for (double x = -4; x <= 4; x += 0.1) {
//     f.x.push_back(x);  f.y.push_back(std::tanh(x));
//     df.x.push_back(x); df.y.push_back(1 - std::tanh(x) * std::tanh(x));
//   }
//   fig.series = {f, df};
//   Status st = render(fig, "tanh.svg");  // or "tanh.png"; kNotFound when gnuplot is missing
//
// A figure may also hold an image: a raster of RGB pixels drawn under the series with gnuplot's `with
// rgbimage` (pngcairo rasterises it; the svg terminal embeds it as one PNG, so a 300 × 300 raster costs a
// few kB where as many points would cost megabytes):
//   Image im{.nx = 300, .ny = 300, .x0 = -3, .x1 = 3, .y0 = -3, .y1 = 3};
//   im.rgb.assign(300 * 300, 0xffffff);  im.rgb[j * 300 + i] = 0x1f77b4;   // row j (from the bottom), column
//   i fig.image = im;
//
// render() writes the data (one block per series, blocks separated by two blank lines, so that
// series i is `index i`) and the script from gnuplot_script() into a temporary directory, runs
// gnuplot there without a display, and copies the picture to out_path. Non-finite values are
// written as NaN, which gnuplot leaves out: a line has a gap there. Text (title, axis labels,
// series labels) is shown literally: the terminals use `noenhanced`, and strings are quoted by
// gnuplot_quote(), so quotes, backslashes, backquotes, `_`, `^` and `@` have no special meaning;
// write symbols as Unicode ("σ_w²", "f′(x)"), which the utf8 encoding draws.
//
// House style (every figure, so that pictures fit a paper): Sans 13 text (11 in PNG, which pngcairo draws
// larger), lines 2 px wide, a light grid, and the key below the plot, where it never covers data. Autoscale
// is overridden where it would warn or mislead: an axis whose values are all equal gets v ± max(1, |v|)/2,
// and a log y axis with an error bar reaching 0 spans the positive values (the bar runs out at the bottom).
//
// Styles of a Series:
//   "lines"        solid line through the points (a NaN point breaks it)
//   "dashed"       dashed line
//   "points"       filled markers
//   "open_points"  open circles (e.g. points that are not what the solid line is: unstable ones)
//   "linespoints"  line and markers
//   "yerrorbars"   markers with vertical bars y ± yerr (e.g. Monte Carlo means ± one standard error);
//                  yerr needs one value per point, and the block of this series has 3 columns x y yerr
//   "region"       filled polygons without border, drawn before (under) every other series; the points
//                  are the vertices, and a NaN point ends one polygon and starts the next
// A series with no finite point is left out of the plot command (gnuplot would warn that it has no
// valid points), so it has no key entry; its data block stays, so the indices of the others hold.
//
// Panels: a figure with `panels` is drawn as one picture of 1 + panels.size() plots side by side, left to
// right (gnuplot multiplot), of width × height in all; each panel has its own title, labels, series,
// ranges and log scales. The series of panel k follow those of the panels before it in the data file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace actlab::report {

// One curve: points (x[i], y[i]) drawn in `style` (the list above).
struct Series {
  std::string label{};  // key entry; empty: no key entry
  std::vector<double> x{}, y{};
  std::string style = "lines";
  std::vector<double> yerr{};  // "yerrorbars" only: the half-length of each bar (x.size() values)
  std::string color{};         // "#rrggbb"; empty: gnuplot's next colour
};

// nx × ny pixels covering [x0, x1] × [y0, y1]; pixel (i, j) is centred at (x0 + (i + ½)·(x1 − x0)/nx,
// y0 + (j + ½)·(y1 − y0)/ny) and has colour rgb[j·nx + i] = 0xRRGGBB.
struct Image {
  int nx = 0, ny = 0;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  std::vector<std::uint32_t> rgb{};
};

struct Figure {
  std::string title{}, xlabel{}, ylabel{};
  std::vector<Series> series{};
  std::optional<Image> image{};  // drawn first, under the series (the data file's block after them)
  std::optional<std::pair<double, double>> xrange{}, yrange{};  // [lo, hi]; unset: autoscale
  bool logx = false, logy = false;
  int width = 800, height = 500;  // pixels, of the whole picture
  std::vector<Figure> panels{};   // more plots beside this one (above); a panel has no panels of its own
};

// `text` as a gnuplot string expression that evaluates to `text`. Pieces go in single quotes,
// where gnuplot does no backslash or backquote (shell command) substitution; a quote is doubled
// ('it''s'), except one that would open a piece, which is a "'" piece of its own (gnuplot 5.4 rejects
// '''x'). A newline or tab is joined in as a double-quoted escape: 'a'."\n".'b'. Other
// control characters become spaces.
std::string gnuplot_quote(std::string_view text);

// The data file render() writes for `fig`: one block per series (the figure's, then each panel's), blocks
// separated by two blank lines; a line per point "x y" ("x y yerr" for yerrorbars), non-finite values as
// NaN; in a region block a NaN point is one blank line (the end of a polygon). Pure: no I/O.
std::string gnuplot_data(const Figure& fig);

// The gnuplot script that draws `fig` into out_path from the data file data_path (written as
// render() does). The terminal follows out_path's extension: `pngcairo` for .png, `svg` for
// anything else (render() rejects other extensions before calling this). Pure: no I/O.
std::string gnuplot_script(const Figure& fig, const std::string& out_path, const std::string& data_path);

// Draws `fig` into out_path (.svg or .png, case-insensitive; the file is overwritten).
// kInvalidArgument: other extension, x/y (or yerr) sizes differ, unknown style or colour, bad range or
// size, a panel with panels, an image whose pixel count or extent is wrong; kNumerical: no image and no
// point with finite x and y (in some panel); kNotFound: gnuplot is not installed; kIoError: temporary
// files, the gnuplot run (its stderr is in the message) or the copy failed. When gnuplot_stderr is given it
// receives what gnuplot wrote to stderr on success (warnings; empty for a clean figure: the tests hold every
// actlab figure to that).
Status render(const Figure& fig, const std::string& out_path, std::string* gnuplot_stderr = nullptr);

// True when a gnuplot executable is on PATH.
bool gnuplot_available();

}  // namespace actlab::report
