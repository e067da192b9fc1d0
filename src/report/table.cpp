// Tables as text, Markdown, CSV and JSON (see table.hpp).
#include "report/table.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>

#include "report/format.hpp"

namespace actlab::report {
namespace {

constexpr const char* kCsvFormat = "%.6g";

// Characters, not bytes: UTF-8 continuation bytes (10xxxxxx) do not start a character.
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool numeric(const Column& c) { return c.type != ColumnType::kText; }

std::string shown(const Cell& cell, const Column& col) { return cell.str(col.format.c_str()) + cell.mark(); }

const Cell& cell_at(const std::vector<Cell>& row, std::size_t i) {
  static const Cell kEmpty;
  return i < row.size() ? row[i] : kEmpty;
}

std::string markdown_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void rstrip(std::string& s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
}

}  // namespace

std::string Cell::str(const char* format) const {
  if (const auto* s = std::get_if<std::string>(&value_)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&value_)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value_)) return fmt(*d, format);
  return "-";
}

Json Cell::to_json() const {
  if (const auto* s = std::get_if<std::string>(&value_)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&value_)) return *i;
  if (const auto* d = std::get_if<double>(&value_)) return json_number(*d);
  return nullptr;
}

void Table::add_row(std::vector<Cell> cells) {
  assert(cells.size() <= columns.size() && "more cells than columns");
  cells.resize(columns.size());
  rows.push_back(std::move(cells));
}

std::string Table::text() const {
  std::vector<std::size_t> shown_cols, widths;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].detail) continue;
    shown_cols.push_back(c);
    std::size_t w = width(columns[c].name);
    for (const auto& row : rows) w = std::max(w, width(shown(cell_at(row, c), columns[c])));
    widths.push_back(w);
  }
  auto line = [&](auto&& text_of) {
    std::string out;
    for (std::size_t k = 0; k < shown_cols.size(); ++k) {
      const std::string s = text_of(shown_cols[k]);
      const std::string pad(widths[k] - std::min(widths[k], width(s)), ' ');
      if (k > 0) out += "  ";
      out += numeric(columns[shown_cols[k]]) ? pad + s : s + pad;
    }
    rstrip(out);
    return out + "\n";
  };
  std::string out = title.empty() ? "" : title + "\n";
  out += line([&](std::size_t c) { return columns[c].name; });
  for (const auto& row : rows) out += line([&](std::size_t c) { return shown(cell_at(row, c), columns[c]); });
  for (const auto& n : notes) out += n + "\n";
  return out;
}

std::string Table::markdown() const {
  std::string head = "|", rule = "|";
  for (const Column& c : columns) {
    if (c.detail) continue;
    head.append(" ").append(markdown_escape(c.name)).append(" |");
    rule += numeric(c) ? "---:|" : "---|";
  }
  std::string out = title.empty() ? "" : "**" + markdown_escape(title) + "**\n\n";
  out += head + "\n" + rule + "\n";
  for (const auto& row : rows) {
    out += "|";
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (!columns[c].detail)
        out.append(" ").append(markdown_escape(shown(cell_at(row, c), columns[c]))).append(" |");
    out += "\n";
  }
  for (const auto& n : notes) out += "\n" + n + "\n";
  return out;
}

std::string Table::csv() const {
  std::string out;
  for (std::size_t c = 0; c < columns.size(); ++c)
    out.append(c ? "," : "").append(csv_field(columns[c].name));
  out += "\n";
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < columns.size(); ++c)
      out.append(c ? "," : "").append(csv_field(cell_at(row, c).str(kCsvFormat)));
    out += "\n";
  }
  return out;
}

Json Table::to_json() const {
  Json cols = Json::array(), body = Json::array();
  for (const Column& c : columns) {
    Json col = {{"name", c.name}, {"type", column_type_name(c.type)}};
    if (c.detail) col["detail"] = true;
    cols.push_back(std::move(col));
  }
  for (const auto& row : rows) {
    Json r = Json::object();
    for (std::size_t c = 0; c < columns.size(); ++c) r[columns[c].name] = cell_at(row, c).to_json();
    body.push_back(std::move(r));
  }
  Json j = Json::object();
  if (!title.empty()) j["title"] = title;
  j["columns"] = std::move(cols);
  j["rows"] = std::move(body);
  if (!notes.empty()) j["notes"] = notes;
  return j;
}

const char* column_type_name(ColumnType t) {
  switch (t) {
    case ColumnType::kText: return "text";
    case ColumnType::kInt: return "int";
    case ColumnType::kNumber: return "number";
  }
  return "?";
}

}  // namespace actlab::report
