// A table of results: named, typed columns and rows of cells, rendered as aligned text, Markdown, CSV or
// JSON.
//
//   report::Table t;
//   t.title = "Median test accuracy";
//   t.columns = {{"dataset"}, {"n", report::ColumnType::kInt}, {"relu", report::ColumnType::kNumber},
//                {"p", report::ColumnType::kNumber, "%.3g", /*detail=*/true}};
//   t.add_row({"iris", 150, report::Cell(0.9556).marked("!"), 0.012});
//   t.add_row({"wine", 178, std::nan(""), report::Cell()});
//   t.notes = {"! p < 0.05"};
//
// t.text():                   t.markdown():                 t.csv():
//   Median test accuracy        **Median test accuracy**      dataset,n,relu,p
//   dataset    n     relu                                     iris,150,0.9556,0.012
//   iris     150  0.9556!       | dataset | n | relu |        wine,178,-,-
//   wine     178        -       |---|---:|---:|
//   ! p < 0.05                  | iris | 150 | 0.9556! |
//                               | wine | 178 | - |
//
//                               ! p < 0.05
// t.to_json():
//   {"title": "Median test accuracy", "columns": [{"name": "dataset", "type": "text"}, ...],
//    "rows": [{"dataset": "iris", "n": 150, "relu": 0.9556, "p": 0.012}, ...], "notes": ["! p < 0.05"]}
//
// Conventions:
// - A number cell is written with its column's printf format in text and Markdown, with "%.6g" in CSV, and
//   as itself in JSON (NaN and ±inf as the strings "nan", "inf", "-inf", like json_number). NaN and an empty
//   cell read "-" in text, Markdown and CSV; in JSON an empty cell is null.
// - A cell's mark (a significance mark such as "!") follows its value in text and Markdown only: CSV and JSON
//   keep the plain value, and carry what the mark stands for in their own (detail) columns.
// - A detail column appears in CSV and JSON only (for example the p-values behind the marks).
// - Text: columns separated by two spaces, text left-aligned, numbers right-aligned, widths counted in
//   UTF-8 characters, no trailing spaces; the title on the first line, the notes after the rows.
//   Markdown: the title as a paragraph in bold, a pipe table (numbers right-aligned: `---:`), each note as
//   its own paragraph. CSV (RFC 4180): a header row of names, fields quoted only when they hold a comma,
//   quote or line break; no title, no notes.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/json.hpp"

namespace actlab::report {

enum class ColumnType { kText, kInt, kNumber };

struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
  std::string format = "%.4f";  // kNumber: printf format in text and Markdown
  bool detail = false;          // CSV and JSON only
};

// One value: empty, text, an integer or a number, with an optional mark for text and Markdown.
class Cell {
 public:
  Cell() = default;
  Cell(std::string text) : value_(std::move(text)) {}    // NOLINT(google-explicit-constructor)
  Cell(const char* text) : value_(std::string(text)) {}  // NOLINT(google-explicit-constructor)
  template <class T>
  requires std::is_integral_v<T> &&(!std::is_same_v<T, bool>)Cell(T v)
      : value_(static_cast<std::int64_t>(v)) {}  // NOLINT(google-explicit-constructor)
  Cell(double v) : value_(v) {}                  // NOLINT(google-explicit-constructor)

  Cell& marked(std::string mark) & {
    mark_ = std::move(mark);
    return *this;
  }
  Cell&& marked(std::string mark) && {
    mark_ = std::move(mark);
    return std::move(*this);
  }

  bool empty() const { return std::holds_alternative<std::monostate>(value_); }
  const std::string& mark() const { return mark_; }
  // The value as text: numbers with `format` (CSV passes "%.6g"), "-" for NaN and for an empty cell.
  std::string str(const char* format) const;
  Json to_json() const;

 private:
  std::variant<std::monostate, std::string, std::int64_t, double> value_;
  std::string mark_;
};

struct Table {
  std::string title;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // one cell per column, in column order
  std::vector<std::string> notes;

  // Appends a row; it must have one cell per column (missing trailing cells are empty).
  void add_row(std::vector<Cell> cells);

  std::string text() const;
  std::string markdown() const;
  std::string csv() const;
  Json to_json() const;
};

const char* column_type_name(ColumnType t);  // "text", "int", "number"

}  // namespace actlab::report
