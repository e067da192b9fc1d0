#include "activations/printer.hpp"

#include <charconv>
#include <cmath>

namespace actlab::activations {
namespace {

// Precedence: 1 comparison, 2 + -, 3 * /, 4 unary minus, 5 ^, 6 atoms (numbers, names, calls).
int precedence(const Expr& e) {
  switch (e.op()) {
    case Op::kConst: return (e.value() < 0 || std::signbit(e.value())) ? 4 : 6;
    case Op::kAdd:
    case Op::kSub: return 2;
    case Op::kMul:
    case Op::kDiv: return 3;
    case Op::kNeg: return 4;
    case Op::kPow: return 5;
    default: return is_comparison(e.op()) ? 1 : 6;
  }
}

const char* infix(Op op) {
  switch (op) {
    case Op::kAdd: return " + ";
    case Op::kSub: return " - ";
    case Op::kMul: return "*";
    case Op::kDiv: return "/";
    case Op::kPow: return "^";
    case Op::kGt: return " > ";
    case Op::kGe: return " >= ";
    case Op::kLt: return " < ";
    case Op::kLe: return " <= ";
    case Op::kEq: return " == ";
    case Op::kNe: return " != ";
    default: return "?";
  }
}

void emit(const Expr& e, int min_prec, std::string& out);

void emit_child(const Expr& e, int min_prec, std::string& out) {
  const bool paren = precedence(e) < min_prec;
  if (paren) out += '(';
  emit(e, paren ? 0 : min_prec, out);
  if (paren) out += ')';
}

void emit(const Expr& e, int /*min_prec*/, std::string& out) {
  switch (e.op()) {
    case Op::kConst: out += format_number(e.value()); return;
    case Op::kVar: out += e.name(); return;
    case Op::kNeg: {
      out += '-';
      const Expr& a = e.arg(0);
      // "-2" would read back as the constant -2, so a negated literal keeps its parentheses: "-(2)".
      if (a.is_const()) {
        out += '(';
        out += format_number(a.value());
        out += ')';
      } else {
        emit_child(a, 5, out);
      }
      return;
    }
    case Op::kPolygamma:
      if (e.order() == 0) {
        out += "digamma(";
      } else {
        out += "polygamma(" + std::to_string(e.order()) + ", ";
      }
      emit(e.arg(0), 0, out);
      out += ')';
      return;
    default: break;
  }
  const OpInfo& info = op_info(e.op());
  if (!info.name.empty()) {  // function call
    out += info.name;
    out += '(';
    for (std::size_t i = 0; i < e.args().size(); ++i) {
      if (i) out += ", ";
      emit(e.arg(i), 0, out);
    }
    out += ')';
    return;
  }
  const int p = precedence(e);
  if (e.op() == Op::kPow) {  // right-associative
    emit_child(e.arg(0), p + 1, out);
    out += infix(e.op());
    emit_child(e.arg(1), p, out);
  } else if (is_comparison(e.op())) {  // non-associative
    emit_child(e.arg(0), p + 1, out);
    out += infix(e.op());
    emit_child(e.arg(1), p + 1, out);
  } else {  // left-associative
    emit_child(e.arg(0), p, out);
    out += infix(e.op());
    emit_child(e.arg(1), p + 1, out);
  }
}

}  // namespace

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

std::string print(const Expr& e) {
  std::string out;
  emit(e, 0, out);
  return out;
}

}  // namespace actlab::activations
