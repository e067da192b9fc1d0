#include "activations/kernel.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>
#include <unsupported/Eigen/SpecialFunctions>

#include "activations/special_functions.hpp"
#include "activations/vector_math.hpp"

namespace actlab::activations {
namespace {

struct ExprHash {
  std::size_t operator()(const Expr& e) const { return e.hash(); }
};

class Compiler {
 public:
  explicit Compiler(const std::vector<std::string>& params) : params_(params) {}

  Result<Program> run(const std::vector<Expr>& outputs) {
    prog_.params = params_;
    prog_.input_register = new_value();
    for (const Expr& e : outputs) {
      auto r = emit(e);
      if (!r) return r.status();
      prog_.outputs.push_back(*r);
    }
    allocate_registers();
    return std::move(prog_);
  }

 private:
  // Values are numbered in SSA form while emitting; allocate_registers() maps them onto reused registers.
  int new_value() { return value_count_++; }

  int fill(double v, int param) {
    const int reg = new_value();
    prog_.fills.push_back({reg, v, param});
    return reg;
  }

  Result<int> emit(const Expr& e) {
    if (auto it = done_.find(e); it != done_.end()) return it->second;
    auto r = emit_new(e);
    if (r) done_.emplace(e, *r);
    return r;
  }

  Result<int> emit_new(const Expr& e) {
    switch (e.op()) {
      case Op::kConst: return fill(e.value(), -1);
      case Op::kVar: {
        if (e.name() == "x") return prog_.input_register;
        auto it = std::find(params_.begin(), params_.end(), e.name());
        if (it == params_.end()) return Status::invalid("unbound parameter '" + e.name() + "'");
        return fill(0.0, static_cast<int>(it - params_.begin()));
      }
      default: break;
    }
    Instr in;
    in.op = e.op();
    in.order = e.order();
    const auto& args = e.args();
    // where(a cmp b, c, d) → one fused select.
    if (e.op() == Op::kWhere && is_comparison(args[0].op())) {
      in.kind = Instr::Kind::kWhereCmp;
      in.op = args[0].op();
      // A branch k·y with constant k is folded in as a scale: where(x > 0, x, 0.01*x) is one pass. (y·1 is y
      // bit for bit, so unscaled branches are unaffected.)
      auto branch = [&](const Expr& br, double& scale) {
        if (br.op() == Op::kMul && br.arg(0).is_const() && !br.arg(1).is_const()) {
          scale = br.arg(0).value();
          return emit(br.arg(1));
        }
        return emit(br);
      };
      auto a = emit(args[0].arg(0)), b = emit(args[0].arg(1));
      auto c = branch(args[1], in.scale_c), d = branch(args[2], in.scale_d);
      for (auto* r : {&a, &b, &c, &d}) {
        if (!*r) return r->status();
      }
      in.a = *a, in.b = *b, in.c = *c, in.d = *d;
      return push(in);
    }
    // a^k with a constant exponent: exact binary exponentiation for integers, std::pow otherwise.
    if (e.op() == Op::kPow && args[1].is_const()) {
      const double k = args[1].value();
      auto a = emit(args[0]);
      if (!a) return a;
      in.a = *a;
      if (k == std::trunc(k) && std::fabs(k) <= 1 << 30) {
        in.kind = Instr::Kind::kPowInt;
        in.order = static_cast<int>(k);
      } else {
        in.kind = Instr::Kind::kPowConst;
        in.imm = k;
      }
      return push(in);
    }
    int regs[3] = {0, 0, 0};
    for (std::size_t i = 0; i < args.size(); ++i) {
      auto r = emit(args[i]);
      if (!r) return r;
      regs[i] = *r;
    }
    in.a = regs[0], in.b = regs[1], in.c = regs[2];
    return push(in);
  }

  int push(Instr in) {
    in.dst = new_value();
    prog_.code.push_back(in);
    return in.dst;
  }

  // Linear-scan register reuse: a value's register is freed after its last use, so the working set of a block
  // stays small. Inputs, fills and outputs keep their own registers.
  void allocate_registers() {
    std::vector<int> last_use(value_count_, -1);
    auto uses = [](const Instr& in) -> std::vector<int> {
      switch (in.kind) {
        case Instr::Kind::kWhereCmp: return {in.a, in.b, in.c, in.d};
        case Instr::Kind::kPowInt:
        case Instr::Kind::kPowConst: return {in.a};
        case Instr::Kind::kOp: break;
      }
      const int arity = op_info(in.op).arity;
      std::vector<int> u = {in.a, in.b, in.c};
      u.resize(arity);
      return u;
    };
    const int n = static_cast<int>(prog_.code.size());
    for (int i = 0; i < n; ++i) {
      for (int v : uses(prog_.code[i])) last_use[v] = i;
    }
    std::vector<bool> pinned(value_count_, false);
    pinned[prog_.input_register] = true;
    for (const auto& f : prog_.fills) pinned[f.reg] = true;
    for (int v : prog_.outputs) pinned[v] = true;

    std::vector<int> reg_of(value_count_, -1);
    int next_reg = 0;
    auto assign = [&](int v) { reg_of[v] = next_reg++; };
    assign(prog_.input_register);
    for (const auto& f : prog_.fills) assign(f.reg);
    std::vector<int> free_regs;
    for (int i = 0; i < n; ++i) {
      Instr& in = prog_.code[i];
      // Free operands whose last use is this instruction before choosing dst: dst may reuse an operand's
      // register, which is safe because every instruction reads an element before writing it.
      std::vector<int> u = uses(in);
      std::sort(u.begin(), u.end());
      u.erase(std::unique(u.begin(), u.end()), u.end());
      for (int v : u) {
        if (!pinned[v] && last_use[v] == i) free_regs.push_back(reg_of[v]);
      }
      if (!pinned[in.dst] && !free_regs.empty()) {
        reg_of[in.dst] = free_regs.back();
        free_regs.pop_back();
      } else {
        assign(in.dst);
      }
      in.a = reg_of[in.a], in.b = reg_of[in.b], in.c = reg_of[in.c], in.d = reg_of[in.d];
      in.dst = reg_of[in.dst];
    }
    for (auto& f : prog_.fills) f.reg = reg_of[f.reg];
    for (int& v : prog_.outputs) v = reg_of[v];
    prog_.input_register = reg_of[prog_.input_register];
    prog_.register_count = next_reg;
  }

  const std::vector<std::string>& params_;
  Program prog_;
  int value_count_ = 0;
  std::unordered_map<Expr, int, ExprHash> done_;
};

template <class T>
using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;

template <class T, class Cmp>
auto compare(const Eigen::Map<const Arr<T>>& a, const Eigen::Map<const Arr<T>>& b, Cmp op) {
  return a.binaryExpr(b, [op](T u, T v) { return op(u, v) ? T(1) : T(0); });
}

// d[i] = f(a[i]) as a plain loop the compiler vectorises where it can (std::sqrt, std::trunc).
template <class T, class F>
void map1(T* d, const T* a, std::ptrdiff_t n, F f) {
  for (std::ptrdiff_t i = 0; i < n; ++i) d[i] = f(a[i]);
}

// d = f(a) for an Eigen array function f, in whole packets. Eigen's own loop over a Map peels up to one
// packet less one element at each end to scalar code (to align the destination, which is often the caller's
// unaligned array, and for the remainder); through libm that scalar part cost more than the packets for the
// short blocks of training (7% of the à-la-carte study in expm1f alone). Here every packet is an unaligned
// load and store of a fixed-size map, and the remainder goes through a zero-padded packet.
// Float only: for double the scalar ends are kept, because Eigen 3.4's double exp returns ~5.6e-309 instead
// of 0 (or a subnormal) below −708 and std::exp at the ends is what has kept range estimates exact at 0.
template <class T, class F>
void packet_map(T* d, const T* a, std::ptrdiff_t n, F f) {
  if constexpr (!std::is_same_v<T, float>) {
    Eigen::Map<Arr<T>>(d, n) = f(Eigen::Map<const Arr<T>>(a, n));
    return;
  }
  constexpr int kP = Eigen::internal::packet_traits<T>::size;
  using V = Eigen::Array<T, kP, 1>;
  std::ptrdiff_t i = 0;
  for (; i + kP <= n; i += kP) {
    const Eigen::Map<const V> in(a + i);
    Eigen::Map<V>(d + i) = f(in);
  }
  if (i < n) {
    V tail = V::Zero();
    std::copy(a + i, a + n, tail.data());
    const V out = f(tail);
    std::copy_n(out.data(), n - i, d + i);
  }
}

// log and log10 in packets, with subnormal inputs redone by the scalar function: Eigen's vectorised log
// flushes them to the smallest normal. The subnormal inputs are collected before the packet pass, because d
// may be a's own register (the allocator reuses an operand's register when this instruction is its last use).
template <class T, class P, class F>
void log_packets(T* d, const T* a, std::ptrdiff_t n, P packet_op, F scalar) {
  constexpr T kMinNormal = std::numeric_limits<T>::min();
  std::vector<std::pair<std::ptrdiff_t, T>> subnormal;  // empty, and never allocated, on ordinary inputs
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    if (a[i] > T(0) && a[i] < kMinNormal) subnormal.emplace_back(i, a[i]);
  }
  packet_map(d, a, n, packet_op);
  for (const auto& [i, v] : subnormal) d[i] = scalar(v);
}

// Registers that hold one value for the whole evaluation (constants, parameters): hot instructions read them
// as scalars instead of as broadcast arrays.
template <class T>
struct Scalars {
  const T* value;  // value[r], meaningful where is[r]
  const bool* is;
};

// d = a op b with either side possibly scalar: one plain loop the compiler vectorises.
template <class T, class F>
void binary_loop(T* d, const T* a, const T* b, int ra, int rb, const Scalars<T>& s, std::ptrdiff_t n, F f) {
  if (s.is[rb]) {
    const T vb = s.value[rb];
    for (std::ptrdiff_t i = 0; i < n; ++i) d[i] = f(a[i], vb);
  } else if (s.is[ra]) {
    const T va = s.value[ra];
    for (std::ptrdiff_t i = 0; i < n; ++i) d[i] = f(va, b[i]);
  } else {
    for (std::ptrdiff_t i = 0; i < n; ++i) d[i] = f(a[i], b[i]);
  }
}

// d = cmp(a, b) ? c : e, one loop per combination of scalar operands (b, c, e), so that relu is
// d[i] = a[i] > 0 ? a[i] : 0 exactly as one would write it by hand.
template <bool SB, bool SC, bool SE, class T, class Cmp>
void select_loop(T* d, const T* a, const T* b, const T* c, const T* e, T vb, T vc, T ve, T kc, T ke,
                 std::ptrdiff_t n, Cmp cmp) {
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    d[i] = cmp(a[i], SB ? vb : b[i]) ? (SC ? vc : c[i]) * kc : (SE ? ve : e[i]) * ke;
  }
}

template <class T, class Cmp>
void select_dispatch(const Instr& in, T* const* reg, const Scalars<T>& s, std::ptrdiff_t n, Cmp cmp) {
  T* d = reg[in.dst];
  const T *a = reg[in.a], *b = reg[in.b], *c = reg[in.c], *e = reg[in.d];
  const T vb = s.value[in.b], vc = s.value[in.c], ve = s.value[in.d];
  const T kc = static_cast<T>(in.scale_c), ke = static_cast<T>(in.scale_d);
  switch (4 * s.is[in.b] + 2 * s.is[in.c] + s.is[in.d]) {
    case 0: return select_loop<false, false, false>(d, a, b, c, e, vb, vc, ve, kc, ke, n, cmp);
    case 1: return select_loop<false, false, true>(d, a, b, c, e, vb, vc, ve, kc, ke, n, cmp);
    case 2: return select_loop<false, true, false>(d, a, b, c, e, vb, vc, ve, kc, ke, n, cmp);
    case 3: return select_loop<false, true, true>(d, a, b, c, e, vb, vc, ve, kc, ke, n, cmp);
    case 4: return select_loop<true, false, false>(d, a, b, c, e, vb, vc, ve, kc, ke, n, cmp);
    case 5: return select_loop<true, false, true>(d, a, b, c, e, vb, vc, ve, kc, ke, n, cmp);
    case 6: return select_loop<true, true, false>(d, a, b, c, e, vb, vc, ve, kc, ke, n, cmp);
    default: return select_loop<true, true, true>(d, a, b, c, e, vb, vc, ve, kc, ke, n, cmp);
  }
}

template <class T>
void run_instr(const Instr& in, T* const* reg, const Scalars<T>& sc, std::ptrdiff_t n) {
  using CMap = Eigen::Map<const Arr<T>>;
  Eigen::Map<Arr<T>> d(reg[in.dst], n);
  CMap a(reg[in.a], n);
  if (in.kind == Instr::Kind::kPowInt) {
    const int k = std::abs(in.order);
    switch (k) {
      case 0: d.setOnes(); break;
      case 1: d = a; break;
      case 2: d = a.square(); break;
      case 3: d = a.cube(); break;
      case 4: d = a.square().square(); break;
      default: {
        const T* src = reg[in.a];
        T* dst = reg[in.dst];
        for (std::ptrdiff_t i = 0; i < n; ++i) {
          T base = src[i], r = T(1);
          for (int e = k; e > 0; e >>= 1, base *= base) {
            if (e & 1) r *= base;
          }
          dst[i] = r;
        }
      }
    }
    if (in.order < 0) d = d.inverse();
    return;
  }
  if (in.kind == Instr::Kind::kPowConst) {
    const T k = static_cast<T>(in.imm);
    map1(reg[in.dst], reg[in.a], n, [k](T v) { return std::pow(v, k); });
    return;
  }
  if (in.kind == Instr::Kind::kWhereCmp) {
    switch (in.op) {
      case Op::kGt: return select_dispatch(in, reg, sc, n, std::greater<T>());
      case Op::kGe: return select_dispatch(in, reg, sc, n, std::greater_equal<T>());
      case Op::kLt: return select_dispatch(in, reg, sc, n, std::less<T>());
      case Op::kLe: return select_dispatch(in, reg, sc, n, std::less_equal<T>());
      case Op::kEq: return select_dispatch(in, reg, sc, n, std::equal_to<T>());
      default: return select_dispatch(in, reg, sc, n, std::not_equal_to<T>());
    }
  }
  switch (in.op) {
    case Op::kAdd: return binary_loop(reg[in.dst], reg[in.a], reg[in.b], in.a, in.b, sc, n, std::plus<T>());
    case Op::kSub: return binary_loop(reg[in.dst], reg[in.a], reg[in.b], in.a, in.b, sc, n, std::minus<T>());
    case Op::kMul:
      return binary_loop(reg[in.dst], reg[in.a], reg[in.b], in.a, in.b, sc, n, std::multiplies<T>());
    case Op::kDiv:
      return binary_loop(reg[in.dst], reg[in.a], reg[in.b], in.a, in.b, sc, n, std::divides<T>());
    default: break;
  }
  // Float ops that Eigen 3.4 evaluates one element at a time through libm (or, for polygamma, through the
  // scalar double code): the vectorised versions of vector_math.hpp.
  if constexpr (std::is_same_v<T, float>) {
    float* dst = reg[in.dst];
    const float* src = reg[in.a];
    switch (in.op) {
      case Op::kTan: return array_tan(dst, src, n);
      case Op::kAsin: return array_asin(dst, src, n);
      case Op::kAcos: return array_acos(dst, src, n);
      case Op::kAtan: return array_atan(dst, src, n);
      case Op::kSinh: return array_sinh(dst, src, n);
      case Op::kCosh: return array_cosh(dst, src, n);
      case Op::kErfc: return array_erfc(dst, src, n);
      case Op::kPolygamma: return array_polygamma(in.order, dst, src, n);
      default: break;
    }
  }
  CMap b(reg[in.b], n);
  switch (in.op) {
    case Op::kNeg: d = -a; break;
    case Op::kAbs: d = a.abs(); break;
    case Op::kSign: d = a.sign(); break;
    case Op::kExp: packet_map(reg[in.dst], reg[in.a], n, [](const auto& v) { return v.exp(); }); break;
    case Op::kExpm1: packet_map(reg[in.dst], reg[in.a], n, [](const auto& v) { return v.expm1(); }); break;
    case Op::kLog:
      log_packets(
          reg[in.dst], reg[in.a], n, [](const auto& v) { return v.log(); }, [](T v) { return std::log(v); });
      break;
    case Op::kLog1p: packet_map(reg[in.dst], reg[in.a], n, [](const auto& v) { return v.log1p(); }); break;
    case Op::kLog10:
      log_packets(
          reg[in.dst], reg[in.a], n, [](const auto& v) { return v.log10(); },
          [](T v) { return std::log10(v); });
      break;
    // Not Eigen's sqrt: with AVX-512 and EIGEN_FAST_MATH it is rsqrt + Newton (not correctly rounded, NaN at
    // inf, 0 for subnormals). std::sqrt vectorises to vsqrtps/vsqrtpd under -fno-math-errno.
    case Op::kSqrt: map1(reg[in.dst], reg[in.a], n, [](T v) { return std::sqrt(v); }); break;
    case Op::kSin: packet_map(reg[in.dst], reg[in.a], n, [](const auto& v) { return v.sin(); }); break;
    case Op::kCos: packet_map(reg[in.dst], reg[in.a], n, [](const auto& v) { return v.cos(); }); break;
    case Op::kTan: d = a.tan(); break;
    case Op::kAsin: d = a.asin(); break;
    case Op::kAcos: d = a.acos(); break;
    case Op::kAtan: d = a.atan(); break;
    case Op::kSinh: d = a.sinh(); break;
    case Op::kCosh: d = a.cosh(); break;
    case Op::kTanh: packet_map(reg[in.dst], reg[in.a], n, [](const auto& v) { return v.tanh(); }); break;
    // σ(a) = 1/(1+e^{-a}) through Eigen's vectorised exp: relatively accurate in both tails (e^{-a} = inf
    // gives exactly 0). Eigen's own logistic() is only absolutely accurate for float (σ(-10) off by 5e-5
    // relative).
    case Op::kSigmoid:
      packet_map(reg[in.dst], reg[in.a], n, [](const auto& v) { return (T(1) + (-v).exp()).inverse(); });
      break;
    // softplus(a) = max(a,0) + log1p(e^{-|a|}); NaN propagates through the second term.
    case Op::kSoftplus:
      packet_map(reg[in.dst], reg[in.a], n,
                 [](const auto& v) { return v.max(T(0)) + (-v.abs()).exp().log1p(); });
      break;
    case Op::kErf: packet_map(reg[in.dst], reg[in.a], n, [](const auto& v) { return v.erf(); }); break;
    case Op::kErfc: d = a.erfc(); break;
    case Op::kFloor: d = a.floor(); break;
    case Op::kCeil: d = a.ceil(); break;
    case Op::kRound: d = a.rint(); break;  // half to even, as torch.round
    case Op::kTrunc: map1(reg[in.dst], reg[in.a], n, [](T v) { return std::trunc(v); }); break;
    case Op::kPolygamma: {
      const int order = in.order;
      d = a.unaryExpr([order](T v) { return static_cast<T>(polygamma(order, static_cast<double>(v))); });
      break;
    }
    // std::pow for IEEE special cases ((-0)^-1 = -inf, (-inf)^3 = -inf) that Eigen's vectorised pow gets
    // wrong.
    case Op::kPow: d = a.binaryExpr(b, [](T u, T v) { return std::pow(u, v); }); break;
    // max/min propagate NaN, like torch.maximum/torch.minimum.
    case Op::kMax: d = (a.isNaN() || b.isNaN()).select(a + b, a.max(b)); break;
    case Op::kMin: d = (a.isNaN() || b.isNaN()).select(a + b, a.min(b)); break;
    case Op::kGt: d = compare<T>(a, b, std::greater<T>()); break;
    case Op::kGe: d = compare<T>(a, b, std::greater_equal<T>()); break;
    case Op::kLt: d = compare<T>(a, b, std::less<T>()); break;
    case Op::kLe: d = compare<T>(a, b, std::less_equal<T>()); break;
    case Op::kEq: d = compare<T>(a, b, std::equal_to<T>()); break;
    case Op::kNe: d = compare<T>(a, b, std::not_equal_to<T>()); break;
    case Op::kWhere: {
      CMap c(reg[in.c], n);
      d = (a != T(0)).select(b, c);
      break;
    }
    case Op::kConst:
    case Op::kVar:
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv: break;
  }
}

}  // namespace

Result<Program> compile_program(const std::vector<Expr>& outputs, const std::vector<std::string>& params) {
  return Compiler(params).run(outputs);
}

template <class T>
void Kernel<T>::eval(std::span<const T> x, std::span<T* const> out,
                     std::span<const double> param_values) const {
  const std::size_t n = x.size();
  const std::size_t nreg = static_cast<std::size_t>(p_.register_count);
  // Block size: the program's registers for one block fit in ~16 KiB of L1, within [256, 2048], a multiple
  // of 64.
  const std::size_t block =
      std::clamp<std::size_t>((16384 / (nreg * sizeof(T))) / 64 * 64, kBlock, 8 * kBlock);
  // Per-thread scratch, reused across calls (no allocation in the steady state), aligned to 64 bytes so that
  // every register starts on a cache line.
  struct Scratch {
    std::vector<T> data;
    std::vector<T*> reg;
    std::vector<T> value;
    std::unique_ptr<bool[]> is_scalar;
    std::size_t is_scalar_size = 0;
    std::vector<char> direct;  // per output: written straight into the caller's array
  };
  thread_local Scratch s;
  constexpr std::size_t kAlign = 64 / sizeof(T);
  if (s.data.size() < nreg * block + kAlign) s.data.resize(nreg * block + kAlign);
  T* base = s.data.data();
  base += (kAlign - (reinterpret_cast<std::uintptr_t>(base) / sizeof(T)) % kAlign) % kAlign;
  s.reg.resize(nreg);
  s.value.assign(nreg, T(0));
  if (s.is_scalar_size < nreg) s.is_scalar.reset(new bool[s.is_scalar_size = nreg]);
  std::fill_n(s.is_scalar.get(), nreg, false);
  for (std::size_t r = 0; r < nreg; ++r) s.reg[r] = base + r * block;
  for (const auto& f : p_.fills) {
    const T v = static_cast<T>(f.param >= 0 ? param_values[f.param] : f.value);
    std::fill_n(s.reg[f.reg], block, v);  // also as an array, for the instructions without a scalar form
    s.value[f.reg] = v;
    s.is_scalar[f.reg] = true;
  }
  const Scalars<T> scalars{s.value.data(), s.is_scalar.get()};
  // An output computed by an instruction is written straight into the caller's array, unless it would
  // overwrite the input (in-place evaluation) or another output already uses that register.
  const std::size_t nout = p_.outputs.size();
  std::vector<char>& direct = s.direct;
  direct.assign(nout, 0);
  for (std::size_t k = 0; k < nout; ++k) {
    const int r = p_.outputs[k];
    const bool computed = r != p_.input_register && !s.is_scalar[r];
    const bool shared = std::find(p_.outputs.begin(), p_.outputs.begin() + k, r) != p_.outputs.begin() + k;
    const bool overlaps = out[k] < x.data() + n && x.data() < out[k] + n;
    direct[k] = computed && !shared && !overlaps;
  }
  for (std::size_t start = 0; start < n; start += block) {
    const std::ptrdiff_t len = static_cast<std::ptrdiff_t>(std::min(block, n - start));
    s.reg[p_.input_register] = const_cast<T*>(x.data() + start);
    for (std::size_t k = 0; k < nout; ++k) {
      if (direct[k]) s.reg[p_.outputs[k]] = out[k] + start;
    }
    for (const Instr& in : p_.code) run_instr<T>(in, s.reg.data(), scalars, len);
    for (std::size_t k = 0; k < nout; ++k) {
      if (!direct[k]) std::copy_n(s.reg[p_.outputs[k]], len, out[k] + start);
    }
  }
}

template <class T>
T Kernel<T>::operator()(T x, std::span<const double> param_values) const {
  std::vector<T> outs(output_count());
  std::vector<T*> ptrs(output_count());
  for (std::size_t k = 0; k < outs.size(); ++k) ptrs[k] = &outs[k];
  eval(std::span<const T>(&x, 1), ptrs, param_values);
  return outs.empty() ? T(0) : outs[0];
}

template class Kernel<float>;
template class Kernel<double>;

}  // namespace actlab::activations
