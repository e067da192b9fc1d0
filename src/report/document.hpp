// A report: sections of paragraphs, tables and figures, written as Markdown or as one self-contained HTML
// file (inline CSS, tables as <table>, figures as inline SVG; nothing to fetch, so the file can be mailed or
// archived as it is).
//
//   report::Document doc{.title = "Which activation for iris?"};
//   report::Section& s = doc.add_section("Confirmation over 10 seeds");
//   s.paragraph("Test accuracy, median over seeds; ! marks p < 0.05 against ReLU (Holm).");
//   s.table(t);                                           // a report::Table
//   auto svg = report::render_svg(fig);                   // gnuplot → SVG text (kNotFound without gnuplot)
//   if (svg) s.figure("Accuracy per seed", *svg, "accuracy.svg");
//   write_text("report.html", doc.html());  write_text("report.md", doc.markdown());
//
// Markdown: "# title", "## heading" per section, paragraphs as they are, tables through Table::markdown(),
// figures as ![caption](path) (the caption alone in italics when there is no path). HTML: the same order;
// every text is escaped (&, <, >, "), a table keeps its title, its marks and its notes and leaves out its
// detail columns (as in Markdown), numbers are right-aligned, and a figure's SVG is inlined after its XML
// prolog and doctype are removed.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "core/status.hpp"
#include "report/figure.hpp"
#include "report/table.hpp"

namespace actlab::report {

struct FigureBlock {
  std::string caption{};
  std::string svg{};   // the picture, inlined in HTML
  std::string path{};  // where the picture lies beside the Markdown file ("" = not written)
};

struct Section {
  std::string heading{};
  std::vector<std::variant<std::string, Table, FigureBlock>> blocks{};

  Section& paragraph(std::string text);
  Section& table(Table t);
  Section& figure(std::string caption, std::string svg, std::string path = "");
};

struct Document {
  std::string title{};
  std::vector<Section> sections{};

  Section& add_section(std::string heading);
  std::string markdown() const;
  std::string html() const;
};

// Text with &, <, > and " escaped for HTML.
std::string html_escape(const std::string& text);

// The figure drawn by gnuplot as SVG text (render() to a temporary file, read back).
Result<std::string> render_svg(const Figure& figure);

}  // namespace actlab::report
