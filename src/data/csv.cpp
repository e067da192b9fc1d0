#include "data/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <map>
#include <vector>

#include "data/io.hpp"

namespace actlab::data {
namespace {

struct Field {
  std::string_view text;  // without the quotes; escapes resolved
  int line = 0, col = 0;  // 1-based position of the field's first byte
};

struct Row {
  std::vector<Field> fields;
  int line = 0;
  int end_col = 0;  // the column just past the row's last byte
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A finite number: the whole trimmed field, as strtod would read it (a leading '+' allowed).
std::optional<double> to_number(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string quote(std::string_view s) {
  constexpr std::size_t kMax = 40;
  std::string q(1, '\'');
  q.append(s.substr(0, kMax)).append(s.size() > kMax ? "...'" : "'");
  return q;
}

// "x<j>", the name of an unnamed column. (Built by append: g++ 12 warns falsely on "x" + std::string&&.)
std::string column_name(std::size_t j) {
  std::string s(1, 'x');
  return s.append(std::to_string(j));
}

// Splits the text into records, one call per record.
class Tokenizer {
 public:
  Tokenizer(std::string_view text, const std::string& file, char delim)
      : text_(text), file_(file), delim_(delim) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3, line_start_ = 3;
  }

  // The next non-blank record into `row`; false at the end of the text.
  Result<bool> next(Row& row) {
    for (;;) {
      if (pos_ >= text_.size()) return false;
      row.fields.clear();
      row.line = line_;
      auto ended = read_record(row);
      if (!ended) return ended.status();
      const bool blank = row.fields.size() == 1 && trim(row.fields[0].text).empty() && !quoted_;
      if (!blank) return true;
    }
  }

 private:
  std::string where(int line, int col) const {
    return file_ + ":" + std::to_string(line) + ":" + std::to_string(col);
  }
  int col() const { return static_cast<int>(pos_ - line_start_) + 1; }
  void newline() {
    ++line_;
    line_start_ = pos_;
  }

  Result<bool> read_record(Row& row) {
    quoted_ = false;
    for (;;) {
      Field f{{}, line_, col()};
      std::size_t p = pos_;
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
      if (p < text_.size() && text_[p] == '"') {
        quoted_ = true;
        pos_ = p + 1;
        auto s = read_quoted(f);
        if (!s) return s.status();
        f.text = *s;
      } else {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != delim_ && text_[pos_] != '\n') ++pos_;
        std::size_t end = pos_;
        // CRLF: the '\r' belongs to the line end, not to the last field.
        if (end > start && text_[end - 1] == '\r' && (pos_ == text_.size() || text_[pos_] == '\n')) --end;
        f.text = text_.substr(start, end - start);
      }
      row.fields.push_back(f);
      if (pos_ < text_.size() && text_[pos_] == delim_) {
        ++pos_;
        continue;
      }
      row.end_col = col();
      if (pos_ < text_.size()) {  // '\n'
        ++pos_;
        newline();
      }
      return true;
    }
  }

  // After an opening quote: up to the closing quote, then to the delimiter or line end.
  Result<std::string_view> read_quoted(const Field& f) {
    const std::size_t start = pos_;
    bool escaped = false;
    for (;;) {
      if (pos_ >= text_.size()) {
        return Status::invalid(where(f.line, f.col) + ": unterminated quoted field");
      }
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          escaped = true;
          pos_ += 2;
          continue;
        }
        break;
      }
      ++pos_;
      if (c == '\n') newline();
    }
    std::string_view body = text_.substr(start, pos_ - start);
    ++pos_;  // the closing quote
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r')) ++pos_;
    if (pos_ < text_.size() && text_[pos_] != delim_ && text_[pos_] != '\n') {
      return Status::invalid(where(line_, col()) + ": unexpected " + quote(text_.substr(pos_, 1)) +
                             " after a closing quote");
    }
    if (!escaped) return body;
    std::string& s = unescaped_.emplace_back();
    for (std::size_t i = 0; i < body.size(); ++i) {
      s.push_back(body[i]);
      if (body[i] == '"') ++i;  // "" → "
    }
    return std::string_view(s);
  }

  std::string_view text_;
  const std::string& file_;
  char delim_;
  std::size_t pos_ = 0, line_start_ = 0;
  int line_ = 1;
  bool quoted_ = false;
  std::deque<std::string> unescaped_;  // stable storage for quoted fields that held ""
};

bool any_non_number(const Row& r) {
  return std::any_of(r.fields.begin(), r.fields.end(), [](const Field& f) { return !to_number(f.text); });
}

// A header row: some field is not a number while the field below it is.
bool looks_like_header(const Row& r0, const Row* r1) {
  if (!r1) return any_non_number(r0);
  const std::size_t n = std::min(r0.fields.size(), r1->fields.size());
  for (std::size_t j = 0; j < n; ++j) {
    if (!to_number(r0.fields[j].text) && to_number(r1->fields[j].text)) return true;
  }
  return false;
}

bool is_count(std::string_view s) {
  auto v = to_number(s);
  // Bounded, so that the size_t conversion below is defined (1e300 in a header is not a count).
  return v && *v >= 0 && *v <= 1e15 && *v == std::floor(*v);
}

// scikit-learn's "n_samples,n_features,class names..." first line, followed by rows of n_features + 1 fields.
bool looks_like_sklearn(const Row& r0, const Row* r1) {
  if (!r1 || r0.fields.size() < 3 || !is_count(r0.fields[0].text) || !is_count(r0.fields[1].text)) {
    return false;
  }
  for (std::size_t j = 2; j < r0.fields.size(); ++j) {
    if (to_number(r0.fields[j].text)) return false;
  }
  return r1->fields.size() == static_cast<std::size_t>(*to_number(r0.fields[1].text)) + 1;
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

struct TargetCell {
  std::string text;
  int line, col;
};

Result<int> resolve_target(const std::string& file, const std::string& target,
                           const std::vector<std::string>& names, bool header) {
  const int ncols = static_cast<int>(names.size());
  if (target.empty()) return ncols - 1;
  if (header) {
    auto it = std::find(names.begin(), names.end(), target);
    if (it != names.end()) return static_cast<int>(it - names.begin());
  }
  int idx = 0;
  auto [end, ec] = std::from_chars(target.data(), target.data() + target.size(), idx);
  if (ec == std::errc() && end == target.data() + target.size()) {
    if (idx < 0) idx += ncols;
    if (idx >= 0 && idx < ncols) return idx;
    return Status::invalid(file + ": target column " + target + " is out of range (the file has " +
                           std::to_string(ncols) + " columns, 0.." + std::to_string(ncols - 1) + ")");
  }
  std::string cols;
  for (std::size_t j = 0; j < names.size() && j < 12; ++j) cols += (j ? ", " : "") + names[j];
  if (names.size() > 12) cols += ", ...";
  return Status::invalid(file + ":1: no target column named '" + target + "'" +
                         (header ? " (columns: " + cols + ")" : " (the file has no header; give an index)"));
}

}  // namespace

Result<Dataset> parse_csv(std::string_view text, const std::string& file, const CsvOptions& o) {
  Tokenizer tok(text, file, o.delimiter);
  Row r0, r1;
  auto got = tok.next(r0);
  if (!got) return got.status();
  if (!*got) return Status::invalid(file + ": empty file (no rows)");
  got = tok.next(r1);
  if (!got) return got.status();
  const bool has_r1 = *got;

  const bool sklearn = !o.header && looks_like_sklearn(r0, has_r1 ? &r1 : nullptr);
  const bool header = !sklearn && o.header.value_or(looks_like_header(r0, has_r1 ? &r1 : nullptr));
  const Row& shape_row = sklearn ? r1 : r0;
  const int ncols = static_cast<int>(shape_row.fields.size());
  if (ncols < 2) {
    return Status::invalid(file + ":" + std::to_string(shape_row.line) +
                           ": a data set needs at least 2 columns (features and a target), found 1");
  }
  std::vector<std::string> names(static_cast<std::size_t>(ncols));
  for (int j = 0; j < ncols; ++j) {
    auto t = header ? trim(r0.fields[static_cast<std::size_t>(j)].text) : std::string_view();
    names[static_cast<std::size_t>(j)] =
        t.empty() ? column_name(static_cast<std::size_t>(j)) : std::string(t);
  }
  auto tcol = resolve_target(file, o.target, names, header);
  if (!tcol) return tcol.status();
  const int d = ncols - 1;

  Dataset ds;
  ds.name = file;
  ds.source = file;
  ds.input_shape = {d};
  for (int j = 0; j < ncols; ++j) {
    if (j == *tcol) continue;
    ds.feature_names.push_back(header ? names[static_cast<std::size_t>(j)]
                                      : column_name(ds.feature_names.size()));
  }
  std::vector<float> values;
  std::vector<TargetCell> targets;

  auto take = [&](const Row& r) -> Status {
    if (static_cast<int>(r.fields.size()) != ncols) {
      const bool extra = static_cast<int>(r.fields.size()) > ncols;
      const int col = extra ? r.fields[static_cast<std::size_t>(ncols)].col : r.end_col;
      return Status::invalid(file + ":" + std::to_string(r.line) + ":" + std::to_string(col) + ": expected " +
                             std::to_string(ncols) + " fields, found " + std::to_string(r.fields.size()));
    }
    for (int j = 0; j < ncols; ++j) {
      const Field& f = r.fields[static_cast<std::size_t>(j)];
      if (j == *tcol) {
        targets.push_back({std::string(trim(f.text)), f.line, f.col});
        continue;
      }
      auto v = to_number(f.text);
      if (!v) {
        const std::string what =
            trim(f.text).empty() ? "empty value" : quote(trim(f.text)) + " is not a number";
        return Status::invalid(file + ":" + std::to_string(f.line) + ":" + std::to_string(f.col) +
                               ": field " + std::to_string(j + 1) + " (" +
                               names[static_cast<std::size_t>(j)] + "): " + what);
      }
      if (std::fabs(*v) > std::numeric_limits<float>::max()) {
        return Status::invalid(file + ":" + std::to_string(f.line) + ":" + std::to_string(f.col) +
                               ": field " + std::to_string(j + 1) + " (" +
                               names[static_cast<std::size_t>(j)] + "): " + quote(trim(f.text)) +
                               " is out of float range");
      }
      values.push_back(static_cast<float>(*v));
    }
    return Status::ok();
  };

  if (!header && !sklearn) {
    if (auto s = take(r0); !s) return s;
  }
  if (has_r1) {
    if (auto s = take(r1); !s) return s;
    Row r;
    for (;;) {
      got = tok.next(r);
      if (!got) return got.status();
      if (!*got) break;
      if (auto s = take(r); !s) return s;
    }
  }
  const std::size_t n = targets.size();
  if (n == 0) return Status::invalid(file + ": no data rows after the header");
  if (sklearn && static_cast<double>(n) != *to_number(r0.fields[0].text)) {
    return Status::invalid(file + ":1: the first line says " + std::string(trim(r0.fields[0].text)) +
                           " samples, the file has " + std::to_string(n));
  }
  ds.x = Eigen::Map<const MatrixF>(values.data(), static_cast<Eigen::Index>(n), d);

  // Targets: numbers or strings, classes or regression.
  std::vector<double> numbers(n);
  const TargetCell* first_text = nullptr;
  bool integers = true;
  for (std::size_t i = 0; i < n; ++i) {
    auto v = to_number(targets[i].text);
    if (targets[i].text.empty()) {
      return Status::invalid(file + ":" + std::to_string(targets[i].line) + ":" +
                             std::to_string(targets[i].col) + ": missing target value");
    }
    if (!v) {
      if (!first_text) first_text = &targets[i];
      continue;
    }
    numbers[i] = *v;
    integers = integers && *v == std::floor(*v);
  }
  if (o.task == Task::kRegression && first_text) {
    return Status::invalid(file + ":" + std::to_string(first_text->line) + ":" +
                           std::to_string(first_text->col) + ": target " + quote(first_text->text) +
                           " is not a number (regression needs numbers)");
  }
  std::map<double, int> distinct_numbers;
  if (!first_text) {
    for (double v : numbers) distinct_numbers.emplace(v, 0);
  }
  const std::size_t auto_limit = std::min<std::size_t>(
      static_cast<std::size_t>(std::max(o.max_auto_classes, 2)), std::max<std::size_t>(2, n / 2));
  const bool classify = o.task ? *o.task == Task::kClassification
                               : first_text || (integers && distinct_numbers.size() <= auto_limit);
  if (!classify) {
    ds.task = Task::kRegression;
    ds.y.resize(static_cast<Eigen::Index>(n), 1);
    for (std::size_t i = 0; i < n; ++i)
      ds.y(static_cast<Eigen::Index>(i), 0) = static_cast<float>(numbers[i]);
    return ds;
  }
  ds.task = Task::kClassification;
  ds.labels.resize(n);
  if (first_text) {
    std::map<std::string, int> index;
    for (const auto& t : targets) index.emplace(t.text, 0);
    int k = 0;
    for (auto& [name, i] : index) i = k++, ds.class_names.push_back(name);
    for (std::size_t i = 0; i < n; ++i) ds.labels[i] = index[targets[i].text];
    return ds;
  }
  const auto k_header = sklearn ? static_cast<int>(r0.fields.size()) - 2 : 0;
  bool sklearn_labels = sklearn && *tcol == ncols - 1;
  for (const auto& [v, i] : distinct_numbers)
    sklearn_labels = sklearn_labels && v >= 0 && v < k_header && v == std::floor(v);
  if (sklearn_labels) {
    // The integers are indices into the first line's class names (some classes may be absent).
    for (int c = 0; c < k_header; ++c)
      ds.class_names.emplace_back(trim(r0.fields[static_cast<std::size_t>(c + 2)].text));
    for (std::size_t i = 0; i < n; ++i) ds.labels[i] = static_cast<int>(numbers[i]);
    return ds;
  }
  int k = 0;
  for (auto& [v, i] : distinct_numbers) i = k++, ds.class_names.push_back(number_text(v));
  for (std::size_t i = 0; i < n; ++i) ds.labels[i] = distinct_numbers[numbers[i]];
  return ds;
}

Result<Dataset> read_csv(const std::string& path, const CsvOptions& options) {
  auto text = read_file(path);
  if (!text) return text.status();
  return parse_csv(*text, path, options);
}

}  // namespace actlab::data
