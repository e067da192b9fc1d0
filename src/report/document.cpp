// Reports as Markdown and self-contained HTML (see document.hpp).
#include "report/document.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace actlab::report {
namespace {

// Variant visitor from lambdas.
template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

// The <svg ...>...</svg> element of an SVG file: prolog, doctype and comments before it dropped.
std::string svg_element(const std::string& svg) {
  const auto at = svg.find("<svg");
  return at == std::string::npos ? html_escape(svg) : svg.substr(at);
}

std::string html_table(const Table& t) {
  std::ostringstream o;
  o << "<table>\n";
  if (!t.title.empty()) o << "<caption>" << html_escape(t.title) << "</caption>\n";
  o << "<thead><tr>";
  for (const Column& c : t.columns)
    if (!c.detail)
      o << (c.type == ColumnType::kText ? "<th>" : "<th class=\"num\">") << html_escape(c.name) << "</th>";
  o << "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    o << "<tr>";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const Column& c = t.columns[i];
      if (c.detail) continue;
      const Cell& cell = row[i];
      o << (c.type == ColumnType::kText ? "<td>" : "<td class=\"num\">")
        << html_escape(cell.str(c.format.c_str()) + (cell.empty() ? "" : cell.mark())) << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</tbody>\n</table>\n";
  for (const std::string& n : t.notes) o << "<p class=\"note\">" << html_escape(n) << "</p>\n";
  return o.str();
}

constexpr const char* kStyle =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.4;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}caption{font-weight:bold;text-align:left;padding:.3em 0}"
    "th,td{border-bottom:1px solid #ccc;padding:.25em .7em;text-align:left}"
    ".num{text-align:right;font-variant-numeric:tabular-nums}.note{font-size:90%;color:#555}"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{font-style:italic}";

}  // namespace

Section& Section::paragraph(std::string text) {
  blocks.emplace_back(std::move(text));
  return *this;
}

Section& Section::table(Table t) {
  blocks.emplace_back(std::move(t));
  return *this;
}

Section& Section::figure(std::string caption, std::string svg, std::string path) {
  blocks.emplace_back(FigureBlock{std::move(caption), std::move(svg), std::move(path)});
  return *this;
}

Section& Document::add_section(std::string heading) {
  sections.push_back({std::move(heading), {}});
  return sections.back();
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Document::markdown() const {
  std::ostringstream o;
  if (!title.empty()) o << "# " << title << "\n";
  for (const Section& s : sections) {
    o << "\n## " << s.heading << "\n";
    for (const auto& b : s.blocks) {
      o << "\n";
      std::visit(
          Overload{[&](const std::string& p) { o << p << "\n"; }, [&](const Table& t) { o << t.markdown(); },
                   [&](const FigureBlock& f) {
                     if (f.path.empty())
                       o << "*" << f.caption << "*\n";
                     else
                       o << "![" << f.caption << "](" << f.path << ")\n";
                   }},
          b);
    }
  }
  return o.str();
}

std::string Document::html() const {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << html_escape(title)
    << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  if (!title.empty()) o << "<h1>" << html_escape(title) << "</h1>\n";
  for (const Section& s : sections) {
    o << "<section>\n<h2>" << html_escape(s.heading) << "</h2>\n";
    for (const auto& b : s.blocks) {
      std::visit(Overload{[&](const std::string& p) { o << "<p>" << html_escape(p) << "</p>\n"; },
                          [&](const Table& t) { o << html_table(t); },
                          [&](const FigureBlock& f) {
                            o << "<figure>\n"
                              << svg_element(f.svg) << "\n<figcaption>" << html_escape(f.caption)
                              << "</figcaption>\n</figure>\n";
                          }},
                 b);
    }
    o << "</section>\n";
  }
  o << "</body>\n</html>\n";
  return o.str();
}

Result<std::string> render_svg(const Figure& figure) {
  std::string dir = (std::filesystem::temp_directory_path() / "actlab_svg_XXXXXX").string();
  if (!::mkdtemp(dir.data())) return Status::io_error("cannot make a temporary directory for a figure");
  const std::string path = dir + "/figure.svg";
  Status st = render(figure, path);
  std::string svg;
  if (st.is_ok()) {
    std::ifstream in(path);
    std::ostringstream buf;
    buf << in.rdbuf();
    svg = buf.str();
    if (!in && svg.empty()) st = Status::io_error("cannot read the rendered figure " + path);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (!st.is_ok()) return st;
  return svg;
}

}  // namespace actlab::report
