#include "activations/parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>

#include "activations/limits.hpp"
#include "activations/special_functions.hpp"

namespace actlab::activations {
namespace {

enum class Tok {
  kNumber,
  kName,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kCaret,
  kLParen,
  kRParen,
  kComma,
  kAssign,
  kCmp,
  kEnd
};

struct Token {
  Tok kind;
  std::string text;
  double number = 0.0;
  Op cmp = Op::kGt;
  int col = 1;  // 1-based column of the first character
};

std::string describe(const Token& t) {
  if (t.kind == Tok::kEnd) return "the end of the formula";
  return "'" + t.text + "'";
}

// The unary built-ins are the ops whose OpInfo has a function name (abs, exp, sigmoid, ...), so the formula
// language and the expression tree cannot disagree on them. polygamma takes an order and is parsed apart.
template <class F>
void for_each_unary_builtin(F f) {
  for (int i = 0; i <= static_cast<int>(Op::kWhere); ++i) {
    const Op op = static_cast<Op>(i);
    const OpInfo& info = op_info(op);
    if (info.arity == 1 && !info.name.empty() && op != Op::kPolygamma) f(info.name, op);
  }
}

std::optional<Op> unary_builtin(std::string_view name) {
  std::optional<Op> found;
  for_each_unary_builtin([&](std::string_view n, Op op) {
    if (n == name) found = op;
  });
  return found;
}

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& opt) : text_(text), opt_(opt) {}

  Result<Expr> run() {
    if (Status s = lex(); !s) return s;
    auto e = parse_cmp();
    if (!e) return e;
    if (peek().kind != Tok::kEnd) {
      return error(peek(), "unexpected " + describe(peek()) + " after a complete expression");
    }
    if (Status s = meter_.check(*e); !s) return error_at(1, s.message());
    return e;
  }

 private:
  // ---- lexer ----
  Status lex() {
    std::size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      const int col = static_cast<int>(i) + 1;
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c)) ||
          (c == '.' && i + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        std::size_t j = i;
        while (j < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[j])) || text_[j] == '.'))
          ++j;
        if (j < text_.size() && (text_[j] == 'e' || text_[j] == 'E')) {
          std::size_t k = j + 1;
          if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) ++k;
          if (k < text_.size() && std::isdigit(static_cast<unsigned char>(text_[k]))) {
            j = k;
            while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
          }
        }
        Token t{Tok::kNumber, std::string(text_.substr(i, j - i)), 0.0, Op::kGt, col};
        auto [ptr, ec] = std::from_chars(text_.data() + i, text_.data() + j, t.number);
        if (ec != std::errc() || ptr != text_.data() + j) {
          return error_at(col, "malformed number '" + t.text + "'");
        }
        toks_.push_back(std::move(t));
        i = j;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        std::size_t j = i;
        while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_'))
          ++j;
        toks_.push_back({Tok::kName, std::string(text_.substr(i, j - i)), 0.0, Op::kGt, col});
        i = j;
        continue;
      }
      auto two = text_.substr(i, 2);
      auto push = [&](Tok k, std::size_t len, Op cmp = Op::kGt) {
        toks_.push_back({k, std::string(text_.substr(i, len)), 0.0, cmp, col});
        i += len;
      };
      if (two == "**") {
        push(Tok::kCaret, 2);
        continue;
      }
      if (two == ">=") {
        push(Tok::kCmp, 2, Op::kGe);
        continue;
      }
      if (two == "<=") {
        push(Tok::kCmp, 2, Op::kLe);
        continue;
      }
      if (two == "==") {
        push(Tok::kCmp, 2, Op::kEq);
        continue;
      }
      if (two == "!=") {
        push(Tok::kCmp, 2, Op::kNe);
        continue;
      }
      switch (c) {
        case '+': push(Tok::kPlus, 1); continue;
        case '-': push(Tok::kMinus, 1); continue;
        case '*': push(Tok::kStar, 1); continue;
        case '/': push(Tok::kSlash, 1); continue;
        case '^': push(Tok::kCaret, 1); continue;
        case '(': push(Tok::kLParen, 1); continue;
        case ')': push(Tok::kRParen, 1); continue;
        case ',': push(Tok::kComma, 1); continue;
        case '=': push(Tok::kAssign, 1); continue;
        case '>': push(Tok::kCmp, 1, Op::kGt); continue;
        case '<': push(Tok::kCmp, 1, Op::kLt); continue;
        default: break;
      }
      return error_at(col, std::string("unexpected character '") + c + "'");
    }
    toks_.push_back({Tok::kEnd, "", 0.0, Op::kGt, static_cast<int>(text_.size()) + 1});
    return {};
  }

  // ---- helpers ----
  const Token& peek(std::size_t ahead = 0) const { return toks_[std::min(pos_ + ahead, toks_.size() - 1)]; }
  const Token& next() { return toks_[std::min(pos_++, toks_.size() - 1)]; }

  Status error_at(int col, const std::string& msg) const {
    return Status::invalid(std::to_string(opt_.line) + ":" + std::to_string(col + opt_.first_column - 1) +
                           ": " + msg);
  }
  Status error(const Token& t, const std::string& msg) const { return error_at(t.col, msg); }

  // ---- nesting limits (docs/limits.md) ----
  // Counts the grammar's nesting (parentheses, arguments, unary signs, exponents) so that the recursive
  // descent stops at kMaxFormulaDepth instead of overflowing the stack.
  struct Nest {
    explicit Nest(int& n) : n_(n) { ++n_; }
    ~Nest() { --n_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    int& n_;
  };
  bool too_deep() const { return nest_ > static_cast<int>(kMaxFormulaDepth); }
  // The chains of + and * build left-deep trees in a loop: measure them as they grow.
  Status check_tree(const Token& at, const Expr& e) {
    if (Status s = meter_.check(e); !s) return error(at, s.message());
    return {};
  }

  // ---- grammar ----
  Result<Expr> parse_cmp() {
    Nest nest(nest_);
    if (too_deep()) return error(peek(), depth_limit_message());
    auto lhs = parse_sum();
    if (!lhs) return lhs;
    if (peek().kind == Tok::kCmp) {
      const Op op = next().cmp;
      auto rhs = parse_sum();
      if (!rhs) return rhs;
      if (peek().kind == Tok::kCmp) {
        return error(peek(), "comparisons do not chain; use parentheses or where()");
      }
      return Expr::make(op, {*lhs, *rhs});
    }
    return lhs;
  }

  Result<Expr> parse_sum() {
    auto lhs = parse_term();
    if (!lhs) return lhs;
    Expr acc = *lhs;
    while (peek().kind == Tok::kPlus || peek().kind == Tok::kMinus) {
      const Token& at = next();
      const Op op = at.kind == Tok::kPlus ? Op::kAdd : Op::kSub;
      auto rhs = parse_term();
      if (!rhs) return rhs;
      acc = Expr::make(op, {acc, *rhs});
      if (Status s = check_tree(at, acc); !s) return s;
    }
    return acc;
  }

  Result<Expr> parse_term() {
    auto lhs = parse_unary();
    if (!lhs) return lhs;
    Expr acc = *lhs;
    while (peek().kind == Tok::kStar || peek().kind == Tok::kSlash) {
      const Token& at = next();
      const Op op = at.kind == Tok::kStar ? Op::kMul : Op::kDiv;
      auto rhs = parse_unary();
      if (!rhs) return rhs;
      acc = Expr::make(op, {acc, *rhs});
      if (Status s = check_tree(at, acc); !s) return s;
    }
    return acc;
  }

  Result<Expr> parse_unary() {
    if (peek().kind == Tok::kPlus || peek().kind == Tok::kMinus) {
      Nest nest(nest_);
      if (too_deep()) return error(peek(), depth_limit_message());
      return parse_signed();
    }
    return parse_power();
  }

  Result<Expr> parse_signed() {
    if (peek().kind == Tok::kPlus) {
      next();
      return parse_unary();
    }
    if (peek().kind == Tok::kMinus) {
      next();
      // A minus directly before a literal (not raised to a power) is part of the number: "-2" is the constant
      // -2.
      if (peek().kind == Tok::kNumber && peek(1).kind != Tok::kCaret) return Expr::constant(-next().number);
      if (peek().kind == Tok::kName && (peek().text == "inf" || peek().text == "nan") &&
          peek(1).kind != Tok::kCaret && peek(1).kind != Tok::kLParen) {
        const Token& t = next();
        return Expr::constant(t.text == "inf" ? -std::numeric_limits<double>::infinity()
                                              : -std::numeric_limits<double>::quiet_NaN());
      }
      auto a = parse_unary();
      if (!a) return a;
      return Expr::make(Op::kNeg, {*a});
    }
    return parse_power();
  }

  Result<Expr> parse_power() {
    auto base = parse_primary();
    if (!base) return base;
    if (peek().kind == Tok::kCaret) {
      Nest nest(nest_);
      if (too_deep()) return error(peek(), depth_limit_message());
      next();
      auto exponent = parse_unary();
      if (!exponent) return exponent;
      return Expr::make(Op::kPow, {*base, *exponent});
    }
    return base;
  }

  Result<Expr> parse_primary() {
    const Token& t = next();
    switch (t.kind) {
      case Tok::kNumber: return Expr::constant(t.number);
      case Tok::kLParen: {
        auto e = parse_cmp();
        if (!e) return e;
        if (peek().kind != Tok::kRParen) {
          return error(peek(), "expected ')' to close '(' at column " + std::to_string(t.col) + ", found " +
                                   describe(peek()));
        }
        next();
        return e;
      }
      case Tok::kName:
        if (peek().kind == Tok::kLParen) return parse_call(t);
        return parse_name(t);
      default: return error(t, "expected a number, a name or '(' but found " + describe(t));
    }
  }

  Result<Expr> parse_name(const Token& t) {
    if (t.text == "x") return Expr::var("x");
    if (t.text == "pi") return Expr::constant(std::numbers::pi);
    if (t.text == "e") return Expr::constant(std::numbers::e);
    if (t.text == "inf") return Expr::constant(std::numeric_limits<double>::infinity());
    if (t.text == "nan") return Expr::constant(std::numeric_limits<double>::quiet_NaN());
    if (std::find(opt_.parameters.begin(), opt_.parameters.end(), t.text) != opt_.parameters.end()) {
      return Expr::var(t.text);
    }
    std::vector<std::string> candidates = {"x", "pi", "e", "inf", "nan"};
    candidates.insert(candidates.end(), opt_.parameters.begin(), opt_.parameters.end());
    std::string msg = "unknown name '" + t.text + "'";
    const bool is_function = is_function_name(t.text);
    if (is_function) {
      msg += " (" + t.text + " is a function: write " + t.text + "(x))";
    } else {
      msg += suggestion(t.text, candidates);
      if (opt_.parameters.empty()) msg += "; the input variable is x, and parameters need --param NAME=VALUE";
    }
    return error(t, msg);
  }

  bool is_function_name(const std::string& name) const {
    const auto& b = builtin_names();
    if (std::find(b.begin(), b.end(), name) != b.end()) return true;
    if (opt_.functions) {
      auto n = opt_.functions->names();
      return std::find(n.begin(), n.end(), name) != n.end();
    }
    return false;
  }

  static std::string suggestion(const std::string& name, const std::vector<std::string>& candidates) {
    auto near = nearest_names(name, candidates);
    if (near.empty()) return "";
    std::string s = "; did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i) {
      if (i) s += i + 1 == near.size() ? " or " : ", ";
      s += "'" + near[i] + "'";
    }
    return s + "?";
  }

  Result<Expr> parse_call(const Token& name) {
    next();  // '('
    std::vector<Expr> positional;
    NamedArgs named;
    if (peek().kind != Tok::kRParen) {
      while (true) {
        if (peek().kind == Tok::kName && peek(1).kind == Tok::kAssign) {
          std::string key = next().text;
          next();  // '='
          auto v = parse_cmp();
          if (!v) return v;
          named.emplace_back(std::move(key), *v);
        } else {
          if (!named.empty()) return error(peek(), "positional argument after a named one");
          auto v = parse_cmp();
          if (!v) return v;
          positional.push_back(*v);
        }
        if (peek().kind == Tok::kComma) {
          next();
          continue;
        }
        if (peek().kind == Tok::kRParen) break;
        return error(peek(), "expected ')' after argument, found " + describe(peek()));
      }
    }
    next();  // ')'
    // Arguments are parsed by now, so errors from call() are about the call itself: give them its position.
    auto r = call(name.text, std::move(positional), std::move(named));
    if (!r) return error(name, r.status().message());
    // A catalog entry expands into its body with the arguments substituted: measure what it became.
    if (Status s = check_tree(name, *r); !s) return s;
    return r;
  }

  Result<Expr> call(const std::string& name, std::vector<Expr> args, NamedArgs named) {
    auto arity = [&](std::size_t n) -> Status {
      if (!named.empty()) return Status::invalid(name + "() takes no named arguments");
      if (args.size() != n) {
        return Status::invalid(name + "() takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") +
                               ", got " + std::to_string(args.size()));
      }
      return {};
    };
    if (auto op = unary_builtin(name)) {
      if (Status s = arity(1); !s) return s;
      return Expr::make(*op, {args[0]});
    }
    if (name == "max" || name == "min" || name == "pow") {
      if (Status s = arity(2); !s) return s;
      return Expr::make(name == "max" ? Op::kMax : name == "min" ? Op::kMin : Op::kPow, {args[0], args[1]});
    }
    if (name == "where") {
      if (Status s = arity(3); !s) return s;
      return Expr::make(Op::kWhere, {args[0], args[1], args[2]});
    }
    if (name == "digamma") {
      if (Status s = arity(1); !s) return s;
      return Expr::make(Op::kPolygamma, {args[0]}, 0);
    }
    if (name == "polygamma") {
      if (Status s = arity(2); !s) return s;
      const Expr& n = args[0];
      if (!n.is_const() || n.value() < 0 || n.value() > kMaxPolygammaOrder ||
          n.value() != std::trunc(n.value())) {
        return Status::invalid("polygamma(n, x) needs n to be a whole number from 0 to " +
                               std::to_string(kMaxPolygammaOrder));
      }
      return Expr::make(Op::kPolygamma, {args[1]}, static_cast<int>(n.value()));
    }
    // Sugar, expanded into primitives.
    if (name == "frac") {  // a - trunc(a), like torch.frac
      if (Status s = arity(1); !s) return s;
      return Expr::make(Op::kSub, {args[0], Expr::make(Op::kTrunc, {args[0]})});
    }
    if (name == "step") {  // Heaviside: 1 for a > 0, else 0
      if (Status s = arity(1); !s) return s;
      return Expr::make(Op::kWhere, {Expr::make(Op::kGt, {args[0], Expr()}), Expr::constant(1.0), Expr()});
    }
    if (name == "clamp") {  // min(max(a, lo), hi)
      if (Status s = arity(3); !s) return s;
      return Expr::make(Op::kMin, {Expr::make(Op::kMax, {args[0], args[1]}), args[2]});
    }
    if (opt_.functions) {
      if (auto r = opt_.functions->call(name, args, named)) return *r;
    }
    std::vector<std::string> candidates = builtin_names();
    if (opt_.functions) {
      auto more = opt_.functions->names();
      candidates.insert(candidates.end(), more.begin(), more.end());
    }
    return Status::invalid("unknown function '" + name + "'" + suggestion(name, candidates));
  }

  std::string_view text_;
  const ParseOptions& opt_;
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  int nest_ = 0;
  FormulaMeter meter_;
};

// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours ("tnah").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  auto eq = [](char x, char y) { return std::tolower(x) == std::tolower(y); };
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (eq(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

Result<Expr> parse_formula(std::string_view text, const ParseOptions& options) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::invalid(std::to_string(options.line) + ":" + std::to_string(options.first_column) +
                           ": empty formula");
  }
  return Parser(text, options).run();
}

const std::vector<std::string>& builtin_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> n;
    for_each_unary_builtin([&](std::string_view name, Op) { n.emplace_back(name); });
    for (const char* s : {"max", "min", "pow", "where", "digamma", "polygamma", "frac", "step", "clamp"}) {
      n.emplace_back(s);
    }
    return n;
  }();
  return kNames;
}

std::vector<std::string> nearest_names(std::string_view name, const std::vector<std::string>& candidates,
                                       std::size_t max_count) {
  // Names of one or two letters are too short for a typo to be recognisable: no suggestions for them.
  if (name.size() < 3) return {};
  const std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const std::string& c : candidates) {
    std::size_t d = edit_distance(name, c);
    // A candidate that starts with what was typed is a good suggestion too ("acon" → "acon_a").
    if (d > limit && name.size() >= 3 && c.rfind(name, 0) == 0) d = limit;
    if (d <= limit && d > 0) scored.emplace_back(d, c);
  }
  std::sort(scored.begin(), scored.end());
  scored.erase(std::unique(scored.begin(), scored.end()), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, c] : scored) {
    if (out.size() == max_count) break;
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

}  // namespace actlab::activations
