// Tests for report/figure.hpp: gnuplot script text (always) and rendering (needs gnuplot; the
// render tests skip with the reason where it is not installed).
#include "report/figure.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>

#include "support/scoped_env.hpp"

namespace actlab::report {
namespace {

namespace fs = std::filesystem;

Figure two_series_figure() {
  Figure fig;
  fig.title = "two curves";
  fig.xlabel = "x";
  fig.ylabel = "y";
  Series square{.label = "square_curve"};
  Series cube{.label = "cube_curve", .style = "linespoints"};
  for (int i = -10; i <= 10; ++i) {
    const double x = i / 5.0;
    square.x.push_back(x);
    square.y.push_back(x * x);
    cube.x.push_back(x);
    cube.y.push_back(x * x * x);
  }
  fig.series = {square, cube};
  return fig;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using testing::ScopedEnv;

// A fresh directory per test, removed afterwards.
class FigureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        fs::temp_directory_path() / ("actlab_figure_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
};

#define REQUIRE_GNUPLOT()                                                             \
  do {                                                                                \
    if (!gnuplot_available()) {                                                       \
      GTEST_SKIP() << "gnuplot not on PATH: install Debian package gnuplot-nox (the " \
                      "project's install script does; CI runs these tests)";          \
    }                                                                                 \
  } while (false)

// ---------------------------------------------------------------------------------------------
// Quoting and script text: no gnuplot needed.

TEST(GnuplotQuote, SingleQuotesWithDoubledQuote) {
  EXPECT_EQ(gnuplot_quote("plain"), "'plain'");
  EXPECT_EQ(gnuplot_quote(""), "''");
  EXPECT_EQ(gnuplot_quote("it's"), "'it''s'");
  EXPECT_EQ(gnuplot_quote("a\\b"), "'a\\b'");  // backslash is literal in '...'
  EXPECT_EQ(gnuplot_quote("say \"hi\""), "'say \"hi\"'");
  EXPECT_EQ(gnuplot_quote("`rm -rf x`"), "'`rm -rf x`'");  // no command substitution in '...'
  EXPECT_EQ(gnuplot_quote("ψ_n^2 @x #1; y"), "'ψ_n^2 @x #1; y'");
}

// Issue 18: gnuplot 5.4 reads the opening quote and a following quote as a doubled quote, so '''x'
// (a text starting with a quote) is a syntax error there; such a quote goes in a double-quoted piece.
TEST(GnuplotQuote, LeadingQuoteIsADoubleQuotedPiece) {
  EXPECT_EQ(gnuplot_quote("'quoted' title"), "\"'\".'quoted'' title'");
  EXPECT_EQ(gnuplot_quote("'"), "\"'\"");
  EXPECT_EQ(gnuplot_quote("''"), "\"'\".\"'\"");
  EXPECT_EQ(gnuplot_quote("a\n'b'"), "'a'.\"\\n\".\"'\".'b'''");
}

TEST(GnuplotQuote, NewlineAndTabAreJoinedEscapes) {
  EXPECT_EQ(gnuplot_quote("a\nb"), "'a'.\"\\n\".'b'");
  EXPECT_EQ(gnuplot_quote("\ta"), "\"\\t\".'a'");
  EXPECT_EQ(gnuplot_quote("a\n"), "'a'.\"\\n\"");
  EXPECT_EQ(gnuplot_quote("a\rb"), "'a b'");  // other control characters become spaces
}

TEST(GnuplotScript, TerminalFollowsExtension) {
  const Figure fig = two_series_figure();
  const std::string svg = gnuplot_script(fig, "out.svg", "data.dat");
  EXPECT_TRUE(contains(svg, "set terminal svg size 800,500")) << svg;
  EXPECT_TRUE(contains(svg, "set output 'out.svg'")) << svg;
  const std::string png = gnuplot_script(fig, "dir/OUT.PNG", "data.dat");
  EXPECT_TRUE(contains(png, "set terminal pngcairo size 800,500")) << png;
  EXPECT_TRUE(contains(png, "set output 'dir/OUT.PNG'")) << png;
}

TEST(GnuplotScript, SeriesAreIndexedBlocksWithStyles) {
  Figure fig = two_series_figure();
  fig.series.push_back(Series{.label = "", .x = {1}, .y = {2}, .style = "points"});
  const std::string s = gnuplot_script(fig, "out.svg", "/tmp/d.dat");
  EXPECT_TRUE(contains(s, "'/tmp/d.dat' index 0 using 1:2 with lines lw 2 title 'square_curve'")) << s;
  EXPECT_TRUE(
      contains(s, "'/tmp/d.dat' index 1 using 1:2 with linespoints lw 2 pt 7 ps 0.6 title 'cube_curve'"))
      << s;
  EXPECT_TRUE(contains(s, "'/tmp/d.dat' index 2 using 1:2 with points pt 7 ps 0.7 notitle")) << s;
  EXPECT_TRUE(contains(s, "set key below")) << s;  // the key never covers the data
  EXPECT_TRUE(contains(s, "noenhanced")) << s;     // '_' and '^' in labels stay literal
}

Image checkerboard(int nx, int ny) {
  Image im{.nx = nx, .ny = ny, .x0 = -1, .x1 = 1, .y0 = 0, .y1 = 2};
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) im.rgb.push_back((i + j) % 2 == 0 ? 0xff0000u : 0x0000ffu);
  return im;
}

TEST(GnuplotScript, ImageIsTheBlockAfterTheSeriesDrawnFirst) {
  Figure fig = two_series_figure();
  fig.image = checkerboard(3, 2);
  const std::string s = gnuplot_script(fig, "out.svg", "d.dat");
  EXPECT_TRUE(
      contains(s, "plot 'd.dat' index 2 using 1:2:3:4:5 with rgbimage notitle, \\\n     'd.dat' index 0"))
      << s;
  Figure only{.title = "regions"};
  only.image = checkerboard(3, 2);
  const std::string o = gnuplot_script(only, "out.svg", "d.dat");
  EXPECT_TRUE(contains(o, "plot 'd.dat' index 0 using 1:2:3:4:5 with rgbimage notitle\n")) << o;
}

TEST(GnuplotScript, LabelsAreEscaped) {
  Figure fig = two_series_figure();
  fig.title = "it's \"quoted\"";
  fig.xlabel = "back\\slash";
  fig.ylabel = "two\nlines";
  fig.series[0].label = "a'b\\c";
  const std::string s = gnuplot_script(fig, "out.svg", "d.dat");
  EXPECT_TRUE(contains(s, "set title 'it''s \"quoted\"'\n")) << s;
  EXPECT_TRUE(contains(s, "set xlabel 'back\\slash'\n")) << s;
  EXPECT_TRUE(contains(s, "set ylabel 'two'.\"\\n\".'lines'\n")) << s;
  EXPECT_TRUE(contains(s, "title 'a''b\\c'")) << s;
}

TEST(GnuplotScript, RangesAndLogScales) {
  Figure fig = two_series_figure();
  fig.xrange = std::pair{0.5, 2.0};
  fig.yrange = std::pair{-1.0, 1e3};
  fig.logx = true;
  fig.width = 640;
  fig.height = 480;
  const std::string s = gnuplot_script(fig, "out.svg", "d.dat");
  EXPECT_TRUE(contains(s, "set xrange [0.5:2]\n")) << s;
  EXPECT_TRUE(contains(s, "set yrange [-1:1000]\n")) << s;
  EXPECT_TRUE(contains(s, "set logscale x\n")) << s;
  EXPECT_FALSE(contains(s, "set logscale y")) << s;
  EXPECT_TRUE(contains(s, "size 640,480")) << s;
}

// Issue 22: the styles beyond lines and points, the error-bar data and panels.
Figure styled_figure() {
  Figure fig{.title = "styles", .xlabel = "x", .ylabel = "y"};
  fig.series.push_back(Series{.label = "theory", .x = {1, 2, 3}, .y = {1, 2, 3}});
  fig.series.push_back(Series{.label = "Monte Carlo ± SE",
                              .x = {1, 2, 3},
                              .y = {1.1, 1.9, 3.2},
                              .style = "yerrorbars",
                              .yerr = {0.1, 0.2, 0.3}});
  fig.series.push_back(
      Series{.label = "unstable", .x = {1.5}, .y = {2}, .style = "open_points", .color = "#d62728"});
  fig.series.push_back(Series{.label = "dashed", .x = {1, 3}, .y = {3, 1}, .style = "dashed"});
  // Two squares, the NaN point between them ends the first polygon.
  fig.series.push_back(Series{.label = "shaded",
                              .x = {1, 2, 2, 1, NAN, NAN, 2.5, 3, 3, 2.5, NAN},
                              .y = {1, 1, 2, 2, NAN, NAN, 2.5, 2.5, 3, 3, NAN},
                              .style = "region",
                              .color = "#c8c8c8"});
  return fig;
}

TEST(GnuplotData, ErrorBarSeriesHasThreeColumns) {
  const std::string d = gnuplot_data(styled_figure());
  EXPECT_EQ(d.substr(0, d.find("\n\n\n")), "1 1\n2 2\n3 3") << d;
  EXPECT_TRUE(contains(d, "\n\n\n1 1.1 0.1\n2 1.9 0.2\n3 3.2 0.3\n\n\n")) << d;
}

TEST(GnuplotData, RegionPolygonsAreSplitByOneBlankLine) {
  const std::string d = gnuplot_data(styled_figure());
  // Two polygons separated by exactly one blank line (two would end the block), no trailing blank line.
  EXPECT_TRUE(contains(d, "\n\n\n1 1\n2 1\n2 2\n1 2\n\n2.5 2.5\n3 2.5\n3 3\n2.5 3\n")) << d;
  EXPECT_EQ(d.back(), '\n');
  EXPECT_NE(d.substr(d.size() - 2), "\n\n");
}

TEST(GnuplotScript, StylesAndColours) {
  const std::string s = gnuplot_script(styled_figure(), "out.svg", "d.dat");
  EXPECT_TRUE(
      contains(s, "'d.dat' index 1 using 1:2:3 with yerrorbars pt 7 ps 0.6 lw 1.5 title 'Monte Carlo ± SE'"))
      << s;
  EXPECT_TRUE(contains(
      s, "'d.dat' index 2 using 1:2 with points pt 6 ps 1.1 lw 1.5 lc rgb '#d62728' title 'unstable'"))
      << s;
  EXPECT_TRUE(contains(s, "'d.dat' index 3 using 1:2 with lines lw 2 dt 2 title 'dashed'")) << s;
  // The region is drawn first, under the rest.
  EXPECT_TRUE(contains(s,
                       "plot 'd.dat' index 4 using 1:2 with filledcurves closed fs solid 1.0 noborder fc rgb "
                       "'#c8c8c8' title 'shaded', \\\n     'd.dat' index 0 "))
      << s;
}

TEST(GnuplotScript, SeriesWithoutFinitePointsAreLeftOutButKeepTheirIndex) {
  Figure fig = two_series_figure();
  fig.series.insert(fig.series.begin() + 1, Series{.label = "all NaN", .x = {1, 2}, .y = {NAN, NAN}});
  fig.series.insert(fig.series.begin() + 1, Series{.label = "empty"});
  const std::string s = gnuplot_script(fig, "out.svg", "d.dat");
  EXPECT_FALSE(contains(s, "all NaN")) << s;
  EXPECT_FALSE(contains(s, "index 1 ")) << s;
  EXPECT_FALSE(contains(s, "index 2 ")) << s;
  EXPECT_TRUE(contains(s, "index 3 using 1:2 with linespoints")) << s;  // cube_curve keeps index 3
  const std::string d = gnuplot_data(fig);
  EXPECT_TRUE(contains(d, "\n\n\nNaN NaN\n\n\n1 NaN\n2 NaN\n\n\n")) << d;
}

TEST(GnuplotScript, PanelsAreAMultiplotSideBySide) {
  Figure fig = two_series_figure();
  fig.width = 1200;
  fig.panels.push_back(Figure{.title = "right",
                              .xlabel = "x",
                              .ylabel = "f′(x)",
                              .series = {two_series_figure().series[1]},
                              .logy = true});
  const std::string s = gnuplot_script(fig, "out.svg", "d.dat");
  EXPECT_TRUE(contains(s, "size 1200,500")) << s;
  EXPECT_TRUE(contains(s, "set multiplot layout 1,2\n")) << s;
  EXPECT_TRUE(contains(s, "unset multiplot\n")) << s;
  // The panel's series follow the first panel's two in the data file; its settings are its own.
  EXPECT_TRUE(contains(
      s, "unset title\nunset xlabel\nunset ylabel\nunset logscale\nset autoscale\nset title 'right'\n"))
      << s;
  EXPECT_TRUE(contains(s, "set logscale y\nplot 'd.dat' index 2 using 1:2 with linespoints")) << s;
  EXPECT_EQ(s.find("set logscale y"), s.rfind("set logscale y")) << s;  // the first panel stays linear
}

TEST(GnuplotScript, AutoscaleFixes) {
  // A constant curve (f′ of the identity) would make gnuplot warn "empty y range".
  Figure flat{.series = {Series{.label = "one", .x = {-1, 0, 1}, .y = {1, 1, 1}}}};
  EXPECT_TRUE(contains(gnuplot_script(flat, "o.svg", "d"), "set yrange [0.5:1.5]\n"));
  // On a log axis an error bar that reaches 0 must not stretch the axis down towards 0.
  Figure bars{
      .series = {Series{.label = "mc", .x = {1, 2}, .y = {10, 1000}, .style = "yerrorbars", .yerr = {20, 1}}},
      .logy = true};
  EXPECT_TRUE(contains(gnuplot_script(bars, "o.svg", "d"), "set yrange [5:2002]\n"));
  Figure ok = two_series_figure();
  EXPECT_FALSE(contains(gnuplot_script(ok, "o.svg", "d"), "range"));
}

// ---------------------------------------------------------------------------------------------
// Input checks in render(): answered before gnuplot is looked for.

TEST_F(FigureTest, BadExtensionIsInvalidArgument) {
  const Status st = render(two_series_figure(), (dir_ / "plot.jpg").string());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(st.message(), ".jpg")) << st.message();
  EXPECT_EQ(render(two_series_figure(), (dir_ / "plot").string()).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir_ / "plot.jpg"));
}

TEST_F(FigureTest, BadFiguresAreRejected) {
  const std::string out = (dir_ / "plot.svg").string();
  Figure sizes = two_series_figure();
  sizes.series[1].y.pop_back();
  EXPECT_EQ(render(sizes, out).code(), StatusCode::kInvalidArgument);
  Figure style = two_series_figure();
  style.series[0].style = "lines; system 'echo'";
  EXPECT_EQ(render(style, out).code(), StatusCode::kInvalidArgument);
  Figure range = two_series_figure();
  range.xrange = std::pair{1.0, 1.0};
  EXPECT_EQ(render(range, out).code(), StatusCode::kInvalidArgument);
  Figure log_range = two_series_figure();
  log_range.logy = true;
  log_range.yrange = std::pair{0.0, 1.0};
  EXPECT_EQ(render(log_range, out).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(render(Figure{}, out).code(), StatusCode::kInvalidArgument);
  Figure all_nan;
  all_nan.series.push_back(Series{.label = "nan", .x = {0, 1}, .y = {NAN, NAN}});
  EXPECT_EQ(render(all_nan, out).code(), StatusCode::kNumerical);
  Figure bars = two_series_figure();
  bars.series[0].style = "yerrorbars";  // no yerr
  EXPECT_EQ(render(bars, out).code(), StatusCode::kInvalidArgument);
  Figure stray = two_series_figure();
  stray.series[0].yerr.assign(stray.series[0].x.size(), 0.1);  // yerr on a line
  EXPECT_EQ(render(stray, out).code(), StatusCode::kInvalidArgument);
  Figure colour = two_series_figure();
  colour.series[0].color = "red'; system 'echo";
  EXPECT_EQ(render(colour, out).code(), StatusCode::kInvalidArgument);
  Figure nested = two_series_figure();
  nested.panels.push_back(two_series_figure());
  nested.panels[0].panels.push_back(two_series_figure());
  EXPECT_EQ(render(nested, out).code(), StatusCode::kInvalidArgument);
  Figure empty_panel = two_series_figure();
  empty_panel.panels.push_back(Figure{});
  EXPECT_EQ(render(empty_panel, out).code(), StatusCode::kInvalidArgument);
  Figure pixels;
  pixels.image = checkerboard(3, 2);
  pixels.image->rgb.pop_back();
  const Status st = render(pixels, out);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(st.message(), "image has 5 pixels, 3x2 needs 6")) << st.message();
  Figure empty_image;
  empty_image.image = Image{};
  EXPECT_EQ(render(empty_image, out).code(), StatusCode::kInvalidArgument);
  Figure extent;
  extent.image = checkerboard(3, 2);
  extent.image->x1 = extent.image->x0;
  EXPECT_EQ(render(extent, out).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(FigureTest, MissingGnuplotIsNotFound) {
  const ScopedEnv path("PATH", dir_.string());  // an empty directory: no gnuplot on PATH
  EXPECT_FALSE(gnuplot_available());
  const Status st = render(two_series_figure(), (dir_ / "plot.svg").string());
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message(), "gnuplot not found: install Debian package gnuplot-nox");
}

// ---------------------------------------------------------------------------------------------
// Rendering with gnuplot.

TEST_F(FigureTest, RendersSvg) {
  REQUIRE_GNUPLOT();
  const fs::path out = dir_ / "two.svg";
  const Status st = render(two_series_figure(), out.string());
  ASSERT_TRUE(st.is_ok()) << st.message();
  const std::string svg = read_file(out);
  EXPECT_TRUE(svg.rfind("<?xml", 0) == 0 || svg.rfind("<svg", 0) == 0) << svg.substr(0, 100);
  EXPECT_TRUE(contains(svg, "square_curve"));
  EXPECT_TRUE(contains(svg, "cube_curve"));
  EXPECT_TRUE(contains(svg, "two curves"));
}

// Every style, colours and a second panel draw, and gnuplot has nothing to say about them.
TEST_F(FigureTest, StylesAndPanelsRenderWithoutWarnings) {
  REQUIRE_GNUPLOT();
  Figure fig = styled_figure();
  fig.width = 1200;
  Figure right = two_series_figure();
  right.series.push_back(Series{.label = "flat", .x = {0, 1}, .y = {1, 1}, .style = "dashed"});
  right.series.push_back(Series{.label = "nothing", .x = {0}, .y = {NAN}});
  fig.panels.push_back(right);
  for (const char* name : {"styles.svg", "styles.png"}) {
    std::string warnings = "not set";
    const Status st = render(fig, (dir_ / name).string(), &warnings);
    ASSERT_TRUE(st.is_ok()) << st.message();
    EXPECT_EQ(warnings, "") << name;
  }
  const std::string svg = read_file(dir_ / "styles.svg");
  for (const char* label : {"Monte Carlo ± SE", "unstable", "shaded", "square_curve", "flat"})
    EXPECT_TRUE(contains(svg, label)) << label;
  EXPECT_TRUE(contains(svg, "rgb(200, 200, 200)")) << "the region's fill";
  // A constant series alone on its axis: no "empty y range" warning.
  std::string warnings = "not set";
  Figure flat{.series = {Series{.label = "one", .x = {-1, 1}, .y = {1, 1}}}};
  ASSERT_TRUE(render(flat, (dir_ / "flat.svg").string(), &warnings).is_ok());
  EXPECT_EQ(warnings, "");
}

TEST_F(FigureTest, RendersPng) {
  REQUIRE_GNUPLOT();
  const fs::path out = dir_ / "two.png";
  const Status st = render(two_series_figure(), out.string());
  ASSERT_TRUE(st.is_ok()) << st.message();
  const std::string png = read_file(out);
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

// 90000 pixels: one PNG inside the SVG (drawn as 90000 points it was megabytes), axes still labelled.
TEST_F(FigureTest, RendersAnImageAsOneEmbeddedPng) {
  REQUIRE_GNUPLOT();
  Figure fig{.title = "checkerboard", .xlabel = "x1", .ylabel = "x2"};
  fig.image = checkerboard(300, 300);
  fig.series.push_back(Series{.label = "diagonal", .x = {-1, 1}, .y = {0, 2}});
  const fs::path svg_path = dir_ / "image.svg";
  const Status st = render(fig, svg_path.string());
  ASSERT_TRUE(st.is_ok()) << st.message();
  const std::string svg = read_file(svg_path);
  EXPECT_TRUE(contains(svg, "data:image/png;base64,"));
  EXPECT_LT(svg.size(), 100'000u);
  EXPECT_TRUE(contains(svg, "<text>x1</text>"));
  EXPECT_TRUE(contains(svg, "<text>x2</text>"));
  EXPECT_TRUE(contains(svg, "diagonal"));
  const fs::path png_path = dir_ / "image.png";
  ASSERT_TRUE(render(fig, png_path.string()).is_ok());
  EXPECT_EQ(read_file(png_path).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST_F(FigureTest, NonFiniteValuesLeaveGaps) {
  REQUIRE_GNUPLOT();
  Figure fig = two_series_figure();
  fig.series[0].y[3] = std::numeric_limits<double>::quiet_NaN();
  fig.series[0].y[7] = std::numeric_limits<double>::infinity();
  fig.series[1].x[5] = -std::numeric_limits<double>::infinity();
  fig.series.push_back(Series{.label = "empty"});  // no points: keeps later indices right
  fig.series.push_back(Series{.label = "last", .x = {0, 1}, .y = {0, 1}, .style = "points"});
  const fs::path out = dir_ / "gaps.svg";
  const Status st = render(fig, out.string());
  ASSERT_TRUE(st.is_ok()) << st.message();
  const std::string svg = read_file(out);
  EXPECT_TRUE(contains(svg, "square_curve"));
  EXPECT_TRUE(contains(svg, "last"));
}

// Issue 18: a title and a label that start with a quote render (gnuplot 5.4 rejected '''quoted'' title').
TEST_F(FigureTest, TitleStartingWithAQuoteRenders) {
  REQUIRE_GNUPLOT();
  Figure fig = two_series_figure();
  fig.title = "'quoted' title";
  fig.series[0].label = "'a' label";
  fig.xlabel = "'";
  const fs::path out = dir_ / "quoted.svg";
  const Status st = render(fig, out.string());
  ASSERT_TRUE(st.is_ok()) << st.message();
  const std::string svg = read_file(out);
  EXPECT_TRUE(contains(svg, "'quoted' title")) << svg;
  EXPECT_TRUE(contains(svg, "'a' label")) << svg;
}

TEST_F(FigureTest, TrickyLabelsRenderLiterally) {
  REQUIRE_GNUPLOT();
  Figure fig = two_series_figure();
  const std::string label = "it's a \"label\" with \\ and `echo hi` #1; @x ψ_n^2";
  fig.series[0].label = label;
  fig.title = "title\nsecond line";
  const fs::path out = dir_ / "tricky.svg";
  const Status st = render(fig, out.string());
  ASSERT_TRUE(st.is_ok()) << st.message();
  const std::string svg = read_file(out);
  EXPECT_TRUE(contains(svg, label)) << svg;
  EXPECT_TRUE(contains(svg, "second line"));
}

TEST_F(FigureTest, OverwritesAndLeavesNoTemporaryFiles) {
  REQUIRE_GNUPLOT();
  const fs::path tmp = dir_ / "tmp";
  fs::create_directories(tmp);
  const ScopedEnv tmpdir("TMPDIR", tmp.string());
  const fs::path out = dir_ / "again.svg";
  { std::ofstream(out) << "stale"; }
  ASSERT_TRUE(render(two_series_figure(), out.string()).is_ok());
  EXPECT_TRUE(contains(read_file(out), "square_curve"));
  EXPECT_TRUE(fs::is_empty(tmp));
}

TEST_F(FigureTest, GnuplotErrorsCarryItsStderr) {
  REQUIRE_GNUPLOT();
  Figure fig;
  fig.logy = true;  // every y ≤ 0: gnuplot finds no point to draw on a log axis
  fig.series.push_back(Series{.label = "negative", .x = {1, 2}, .y = {-1, -2}});
  const fs::path out = dir_ / "fails.svg";
  const Status st = render(fig, out.string());
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_TRUE(contains(st.message(), "gnuplot failed")) << st.message();
  // gnuplot's stderr names the script and the failing line.
  EXPECT_TRUE(contains(st.message(), "figure.gp")) << st.message();
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(FigureTest, UnwritableDestinationIsIoError) {
  REQUIRE_GNUPLOT();
  const Status st = render(two_series_figure(), (dir_ / "no" / "such" / "dir.svg").string());
  EXPECT_EQ(st.code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace actlab::report
