#include "data/polynomial.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

namespace actlab::data {

struct Polynomial::Node {
  enum class Op { kNumber, kVariable, kAdd, kSub, kMul, kDiv, kNeg, kPow } op = Op::kNumber;
  double value = 0;  // kNumber: the number; kPow: the exponent
  int index = 0;     // kVariable
  std::shared_ptr<const Node> a, b;
  bool has_variable = false;
};

namespace {

using Node = Polynomial::Node;
using NodePtr = std::shared_ptr<const Node>;
using Op = Node::Op;

NodePtr make(Op op, NodePtr a, NodePtr b = nullptr) {
  auto n = std::make_shared<Node>();
  n->op = op;
  n->has_variable = (a && a->has_variable) || (b && b->has_variable);
  n->a = std::move(a);
  n->b = std::move(b);
  return n;
}

double eval(const Node& n, std::span<const double> in) {
  switch (n.op) {
    case Op::kNumber: return n.value;
    case Op::kVariable: return in[static_cast<std::size_t>(n.index)];
    case Op::kAdd: return eval(*n.a, in) + eval(*n.b, in);
    case Op::kSub: return eval(*n.a, in) - eval(*n.b, in);
    case Op::kMul: return eval(*n.a, in) * eval(*n.b, in);
    case Op::kDiv: return eval(*n.a, in) / eval(*n.b, in);
    case Op::kNeg: return -eval(*n.a, in);
    case Op::kPow: {
      const double base = eval(*n.a, in);
      double r = 1;
      for (int k = 0; k < static_cast<int>(n.value); ++k) r *= base;
      return r;
    }
  }
  return 0;
}

class Parser {
 public:
  Parser(std::string_view s, int first_column) : s_(s), first_column_(first_column) {}

  Result<NodePtr> parse() {
    auto e = expr();
    if (!e) return e;
    skip();
    if (pos_ < s_.size()) return error("unexpected " + found());
    return e;
  }
  int max_index() const { return max_index_; }
  bool letters() const { return style_ != Style::kIndexed; }

 private:
  enum class Style { kNone, kLetters, kIndexed };

  Status error(const std::string& m, std::size_t at) const {
    return Status::invalid("1:" + std::to_string(static_cast<int>(at) + first_column_) + ": " + m);
  }
  Status error(const std::string& m) const { return error(m, pos_); }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string found() const {
    if (pos_ >= s_.size()) return "the end";
    std::string q(3, '\'');
    q[1] = s_[pos_];
    return q;
  }

  Result<NodePtr> expr() {
    auto lhs = term();
    if (!lhs) return lhs;
    NodePtr n = *lhs;
    for (;;) {
      const Op op = eat('+') ? Op::kAdd : eat('-') ? Op::kSub : Op::kNumber;
      if (op == Op::kNumber) return n;
      auto rhs = term();
      if (!rhs) return rhs;
      n = make(op, n, *rhs);
    }
  }

  Result<NodePtr> term() {
    auto lhs = unary();
    if (!lhs) return lhs;
    NodePtr n = *lhs;
    for (;;) {
      const Op op = eat('*') ? Op::kMul : eat('/') ? Op::kDiv : Op::kNumber;
      if (op == Op::kNumber) return n;
      skip();
      const std::size_t at = pos_;
      auto rhs = unary();
      if (!rhs) return rhs;
      if (op == Op::kDiv && (*rhs)->has_variable) {
        return error("division by an expression with variables is not a polynomial", at);
      }
      n = make(op, n, *rhs);
    }
  }

  Result<NodePtr> unary() {
    if (eat('-')) {
      auto a = unary();
      if (!a) return a;
      return make(Op::kNeg, *a);
    }
    if (eat('+')) return unary();
    return power();
  }

  Result<NodePtr> power() {
    auto base = primary();
    if (!base) return base;
    if (!eat('^')) return base;
    skip();
    const std::size_t at = pos_;
    std::size_t end = pos_;
    while (end < s_.size() && std::isdigit(static_cast<unsigned char>(s_[end]))) ++end;
    int k = 0;
    auto [p, ec] = std::from_chars(s_.data() + pos_, s_.data() + end, k);
    if (end == pos_ || ec != std::errc() || p != s_.data() + end ||
        (end < s_.size() && (s_[end] == '.' || std::isalpha(static_cast<unsigned char>(s_[end]))))) {
      return error("the exponent must be a non-negative integer", at);
    }
    if (k > 64) return error("exponent " + std::to_string(k) + " is too large (at most 64)", at);
    pos_ = end;
    auto n = make(Op::kPow, *base);
    std::const_pointer_cast<Node>(n)->value = k;
    return n;
  }

  Result<NodePtr> primary() {
    skip();
    if (pos_ >= s_.size()) return error("expected a number, a variable or '(', found the end");
    const char c = s_[pos_];
    if (c == '(') {
      const std::size_t open = pos_++;
      auto e = expr();
      if (!e) return e;
      if (!eat(')'))
        return error("expected ')' to close the '(' at column " +
                     std::to_string(static_cast<int>(open) + first_column_) + ", found " + found());
      return e;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      double v = 0;
      auto [p, ec] = std::from_chars(s_.data() + pos_, s_.data() + s_.size(), v);
      if (ec != std::errc()) return error("malformed number");
      pos_ = static_cast<std::size_t>(p - s_.data());
      auto n = std::make_shared<Node>();
      n->value = v;
      return NodePtr(n);
    }
    if (std::isalpha(static_cast<unsigned char>(c))) return variable();
    return error("expected a number, a variable or '(', found " + found());
  }

  Result<NodePtr> variable() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && std::isalnum(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    const std::string name(s_.substr(start, pos_ - start));
    int index = -1;
    Style style = Style::kLetters;
    static const std::string kLetters = "xyzw";
    if (name.size() == 1 && kLetters.find(name[0]) != std::string::npos) {
      index = static_cast<int>(kLetters.find(name[0]));
    } else if (name.size() == 2 && name[0] == 'x' && std::isdigit(static_cast<unsigned char>(name[1]))) {
      index = name[1] - '0';
      style = Style::kIndexed;
    } else {
      return error("unknown variable '" + name + "' (use x, y, z, w or x0 .. x9)", start);
    }
    if (style_ != Style::kNone && style_ != style) {
      return error("'" + name + "': do not mix x, y, z, w with x0 .. x9", start);
    }
    style_ = style;
    max_index_ = std::max(max_index_, index);
    auto n = std::make_shared<Node>();
    n->op = Op::kVariable;
    n->index = index;
    n->has_variable = true;
    return NodePtr(n);
  }

  std::string_view s_;
  int first_column_;
  std::size_t pos_ = 0;
  int max_index_ = -1;
  Style style_ = Style::kNone;
};

}  // namespace

double Polynomial::evaluate(std::span<const double> inputs) const { return eval(*root_, inputs); }

Result<Polynomial> parse_polynomial(std::string_view text, int first_column) {
  Parser p(text, first_column);
  auto root = p.parse();
  if (!root) return root.status();
  Polynomial poly;
  poly.root_ = *root;
  poly.variables_ = p.max_index() + 1;
  poly.text_ = std::string(text);
  static const char* kLetterNames[] = {"x", "y", "z", "w"};
  for (int i = 0; i < poly.variables_; ++i) {
    std::string name = p.letters() ? kLetterNames[i] : "x";
    if (!p.letters()) name += std::to_string(i);
    poly.names_.push_back(name);
  }
  return poly;
}

}  // namespace actlab::data
