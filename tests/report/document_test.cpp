// report::Document: Markdown and self-contained HTML from sections of paragraphs, tables and figures.
#include "report/document.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace actlab::report {
namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

Table accuracy_table() {
  Table t;
  t.title = "Median test accuracy";
  t.columns = {{"arm"},
               {"seeds", ColumnType::kInt},
               {"median", ColumnType::kNumber},
               {"p", ColumnType::kNumber, "%.3g", /*detail=*/true}};
  t.add_row({"relu", 10, 0.9556, Cell()});
  t.add_row({"swish <critical>", 10, Cell(0.9622).marked("!"), 0.012});
  t.add_row({"x & y", 10, std::nan(""), Cell()});
  t.notes = {"! p < 0.05 against relu"};
  return t;
}

TEST(Document, MarkdownHasTitleSectionsTablesAndFigures) {
  Document d{.title = "Which activation?"};
  d.add_section("Screen").paragraph("Theory first.").table(accuracy_table());
  d.add_section("Figures").figure("Accuracy per seed", "<svg/>", "accuracy.svg").figure("Unsaved", "<svg/>");
  const std::string md = d.markdown();
  EXPECT_EQ(md.rfind("# Which activation?\n", 0), 0u) << md;
  EXPECT_NE(md.find("\n## Screen\n\nTheory first.\n"), std::string::npos) << md;
  EXPECT_NE(md.find(accuracy_table().markdown()), std::string::npos) << md;
  EXPECT_NE(md.find("![Accuracy per seed](accuracy.svg)"), std::string::npos) << md;
  EXPECT_NE(md.find("*Unsaved*"), std::string::npos) << md;
}

TEST(Document, HtmlEscapesTextAndKeepsTablesReadable) {
  Document d{.title = "a <b> & \"c\""};
  d.add_section("<script>alert(1)</script>").paragraph("x < y && y > z").table(accuracy_table());
  const std::string h = d.html();
  EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(h, "<script>"), 0u);
  EXPECT_NE(h.find("<h1>a &lt;b&gt; &amp; &quot;c&quot;</h1>"), std::string::npos) << h;
  EXPECT_NE(h.find("<p>x &lt; y &amp;&amp; y &gt; z</p>"), std::string::npos);
  EXPECT_EQ(count(h, "<table>"), 1u);
  EXPECT_EQ(count(h, "</table>"), 1u);
  EXPECT_EQ(count(h, "<tr>"), 4u);  // header and three rows
  EXPECT_NE(h.find("<caption>Median test accuracy</caption>"), std::string::npos);
  EXPECT_NE(h.find("<td class=\"num\">0.9622!</td>"), std::string::npos) << h;  // the mark stays
  EXPECT_NE(h.find("<td>swish &lt;critical&gt;</td>"), std::string::npos);
  EXPECT_NE(h.find("<td class=\"num\">-</td>"), std::string::npos);  // NaN is "-", never printed
  EXPECT_EQ(h.find("0.012"), std::string::npos);                     // detail columns stay out
  EXPECT_NE(h.find("! p &lt; 0.05 against relu"), std::string::npos);
  EXPECT_EQ(count(h, "<section>"), count(h, "</section>"));
}

TEST(Document, FiguresAreInlinedAsSvg) {
  if (!gnuplot_available()) GTEST_SKIP() << "gnuplot not on PATH (Debian package gnuplot-nox)";
  Figure fig{.title = "tanh", .xlabel = "x", .ylabel = "y"};
  Series s{.label = "tanh(x)"};
  for (double x = -2; x <= 2; x += 0.5) {
    s.x.push_back(x);
    s.y.push_back(std::tanh(x));
  }
  fig.series = {s};
  auto svg = render_svg(fig);
  ASSERT_TRUE(svg) << svg.status().message();
  ASSERT_NE(svg->find("<svg"), std::string::npos);
  Document d{.title = "t"};
  d.add_section("Plot").figure("tanh on [-2, 2]", *svg, "tanh.svg");
  const std::string h = d.html();
  EXPECT_EQ(count(h, "<svg"), 1u);
  EXPECT_EQ(h.find("<?xml"), std::string::npos);  // one document: the SVG's prolog is dropped
  EXPECT_NE(h.find("<figcaption>tanh on [-2, 2]</figcaption>"), std::string::npos);
}

}  // namespace
}  // namespace actlab::report
