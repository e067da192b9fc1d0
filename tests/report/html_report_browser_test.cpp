// A report::Document as a browser sees it (issue 22): two sections, a table and a gnuplot SVG figure are
// written to build/report-check/report.html and opened by scripts/check_report.sh in headless Chromium, which
// screenshots the page and dumps the parsed DOM. Skipped only where chromium is not installed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "report/document.hpp"
#include "report/figure.hpp"
#include "report/table.hpp"

namespace actlab::report {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool chromium_installed() {
  return std::system("command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1") ==
         0;
}

TEST(HtmlReportInChromium, SectionsTableAndSvgFigureRender) {
  if (!chromium_installed()) {
    GTEST_SKIP() << "chromium not installed (Debian package chromium; scripts/install-deps.sh installs it)";
  }
  ASSERT_TRUE(gnuplot_available()) << "gnuplot is needed for the figure (scripts/install-deps.sh)";
  Table t;
  t.title = "Median test accuracy";
  t.columns = {{"arm"}, {"seeds", ColumnType::kInt}, {"median", ColumnType::kNumber}};
  t.add_row({"relu", 10, 0.9556});
  t.add_row({"swish", 10, 0.9622});
  Figure fig{.title = "accuracy per seed", .xlabel = "seed", .ylabel = "test accuracy"};
  Series s{.label = "swish_marker_series", .style = "yerrorbars"};
  for (int i = 1; i <= 10; ++i) {
    s.x.push_back(i);
    s.y.push_back(0.95 + 0.002 * (i % 4));
    s.yerr.push_back(0.004);
  }
  fig.series = {s};
  auto svg = render_svg(fig);
  ASSERT_TRUE(svg.has_value()) << svg.status().message();

  Document doc{.title = "Browser check"};
  doc.add_section("First section: the numbers").paragraph("Medians over seeds.").table(t);
  doc.add_section("Second section: the picture").figure("Accuracy per seed", *svg);
  const fs::path dir = fs::path(ACTLAB_BINARY).parent_path() / "report-check";
  fs::create_directories(dir);
  const fs::path html = dir / "report.html";
  { std::ofstream(html, std::ios::binary) << doc.html(); }

  const std::string cmd = std::string("'") + ACTLAB_SOURCE_DIR + "/scripts/check_report.sh' '" +
                          html.string() + "' '" + dir.string() + "'";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << cmd;
  ASSERT_EQ(WEXITSTATUS(status), 0) << cmd << " (see " << (dir / "chromium.log") << ")";

  // The screenshot: a PNG of 1280 x 4000 pixels, larger than a blank page's (~23 kB at that size).
  const std::string png = read_file(dir / "report.png");
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned char>(png[at]) << 24) | (static_cast<unsigned char>(png[at + 1]) << 16) |
           (static_cast<unsigned char>(png[at + 2]) << 8) | static_cast<unsigned char>(png[at + 3]);
  };
  EXPECT_EQ(be32(16), 1280u);  // IHDR width
  EXPECT_EQ(be32(20), 4000u);  // IHDR height
  EXPECT_GT(png.size(), 30000u);

  // The DOM Chromium parsed: every heading, the table and the inline SVG with its series.
  const std::string dom = read_file(dir / "report.dom.html");
  for (const char* text :
       {"Browser check", "First section: the numbers", "Second section: the picture", "<table>",
        "Median test accuracy", "0.9622", "<svg", "swish_marker_series", "Accuracy per seed"}) {
    EXPECT_NE(dom.find(text), std::string::npos) << text;
  }
}

// The script's own guard: a page that refers to the network fails with a clear message.
TEST(HtmlReportInChromium, ExternalReferenceFails) {
  if (!chromium_installed()) GTEST_SKIP() << "chromium not installed";
  const fs::path dir = fs::path(ACTLAB_BINARY).parent_path() / "report-check" / "external";
  fs::create_directories(dir);
  const fs::path html = dir / "bad.html";
  {
    std::ofstream(html)
        << "<!DOCTYPE html><html><body><h1>x</h1><img src=\"http://example.com/a.png\"></body></html>";
  }
  const std::string cmd = std::string("'") + ACTLAB_SOURCE_DIR + "/scripts/check_report.sh' '" +
                          html.string() + "' '" + dir.string() + "' 2>'" + (dir / "stderr.txt").string() +
                          "'";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string err = read_file(dir / "stderr.txt");
  EXPECT_NE(err.find("check_report: FAIL"), std::string::npos) << err;
  EXPECT_NE(err.find("http://example.com/a.png"), std::string::npos) << err;
}

}  // namespace
}  // namespace actlab::report
