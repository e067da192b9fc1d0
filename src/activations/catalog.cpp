// The catalog table. One row per activation; keep rows in this order: the à-la-carte menu first, in the order
// of Sipper's ALAYERS list (docs/catalog.md), then everything else.
#include "activations/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <mutex>

namespace actlab::activations {
namespace {

constexpr char kTorch[] = "PyTorch 1.13 (torch.nn / torch functions, default arguments)";
constexpr char kNovel[] = "Sipper, à-la-carte menu (arXiv 2206.12166), ";

CatalogEntry menu(std::string name, std::string formula, std::string lo, std::string hi, std::string kinks,
                  bool monotone, std::string ref = kTorch) {
  CatalogEntry e;
  e.name = std::move(name);
  e.formula = std::move(formula);
  e.range_lo = std::move(lo);
  e.range_hi = std::move(hi);
  e.kinks = std::move(kinks);
  e.monotone = monotone;
  e.in_menu = true;
  e.reference = std::move(ref);
  return e;
}

CatalogEntry extra(std::string name, std::string formula, std::string lo, std::string hi, std::string kinks,
                   bool monotone, std::string ref) {
  CatalogEntry e = menu(std::move(name), std::move(formula), std::move(lo), std::move(hi), std::move(kinks),
                        monotone, std::move(ref));
  e.in_menu = false;
  return e;
}

CatalogEntry with(CatalogEntry e, std::vector<ParamSpec> params, std::vector<std::string> aliases = {}) {
  e.params = std::move(params);
  e.aliases = std::move(aliases);
  return e;
}

CatalogEntry row(std::string name, std::string text, RowOp op, std::string lo, std::string hi,
                 Stochastic s = Stochastic::kNone) {
  CatalogEntry e = menu(std::move(name), std::move(text), std::move(lo), std::move(hi), "", false);
  e.row_op = op;
  e.stochastic = s;
  return e;
}

std::vector<CatalogEntry> build() {
  std::vector<CatalogEntry> c;
  // ---- the à-la-carte menu: 48 functions (docs/catalog.md), PyTorch's definitions and defaults ----
  c.push_back(with(menu("elu", "where(x > 0, x, alpha*expm1(x))", "-alpha", "inf", "0", true),
                   {{"alpha", 1.0}}, {"elu_alpha"}));
  c.push_back(with(menu("hardshrink", "where(abs(x) > lambd, x, 0)", "-inf", "inf", "-lambd, lambd", true),
                   {{"lambd", 0.5}}, {"hard_shrink"}));
  c.push_back(with(menu("hardtanh", "where(x <= min_val, min_val, where(x >= max_val, max_val, x))",
                        "min_val", "max_val", "min_val, max_val", true),
                   {{"min_val", -1.0}, {"max_val", 1.0}}, {"hard_tanh"}));
  c.push_back(with(menu("leaky_relu", "where(x > 0, x, negative_slope*x)", "-inf", "inf", "0", true),
                   {{"negative_slope", 0.01}}, {"leaky_relu_alpha", "lrelu", "leakyrelu"}));
  c.push_back(with(menu("logsigmoid", "-softplus(-x)", "-inf", "0", "", true), {}, {"log_sigmoid"}));
  c.push_back(with(menu("prelu", "where(x > 0, x, a*x)", "-inf", "inf", "0", true), {{"a", 0.25, true}}));
  c.push_back(menu("relu", "where(x > 0, x, 0)", "0", "inf", "0", true));
  c.push_back(menu("relu6", "where(x <= 0, 0, where(x >= 6, 6, x))", "0", "6", "0, 6", true));
  {
    CatalogEntry e = with(menu("rrelu", "where(x > 0, x, (lower + upper)/2*x)", "-inf", "inf", "0", true),
                          {{"lower", 1.0 / 8}, {"upper", 1.0 / 3}});
    e.stochastic = Stochastic::kRrelu;  // training: slope ~ U(lower, upper) per element; eval: the mean slope
    c.push_back(e);
  }
  c.push_back(
      menu("selu", "1.0507009873554804934*where(x > 0, x, 1.6732632423543772848*expm1(x))",
           "-1.0507009873554804934*1.6732632423543772848", "inf", "0", true,
           "Klambauer et al., Self-Normalizing Neural Networks (arXiv 1706.02515); PyTorch constants"));
  c.push_back(with(menu("celu", "where(x > 0, x, alpha*expm1(x/alpha))", "-alpha", "inf", "0", true),
                   {{"alpha", 1.0}}));
  c.push_back(menu("gelu", "0.5*x*erfc(-x/sqrt(2))", "-0.16997120747990366", "inf", "", false,
                   "Hendrycks & Gimpel (arXiv 1606.08415); exact erf form, x·Φ(x)"));
  c.push_back(menu("sigmoid", "sigmoid(x)", "0", "1", "", true));
  c.push_back(with(menu("softplus", "softplus(beta*x)/beta", "0", "inf", "", true), {{"beta", 1.0}}));
  c.push_back(with(menu("softshrink", "where(x > lambd, x - lambd, where(x < -lambd, x + lambd, 0))", "-inf",
                        "inf", "-lambd, lambd", true),
                   {{"lambd", 0.5}}, {"soft_shrink"}));
  c.push_back(menu("softsign", "x/(1 + abs(x))", "-1", "1", "0", true));
  c.push_back(menu("tanh", "tanh(x)", "-1", "1", "", true));
  c.push_back(with(menu("tanhshrink", "x - tanh(x)", "-inf", "inf", "", true), {}, {"tanh_shrink"}));
  c.push_back(row("softmin", "exp(-x_i)/sum_j exp(-x_j) over the row", RowOp::kSoftmin, "0", "1"));
  c.push_back(row("softmax", "exp(x_i)/sum_j exp(x_j) over the row", RowOp::kSoftmax, "0", "1"));
  c.push_back(
      with(row("log_softmax", "x_i - log(sum_j exp(x_j)) over the row", RowOp::kLogSoftmax, "-inf", "0"), {},
           {"logsoftmax"}));
  c.push_back(menu("abs", "abs(x)", "0", "inf", "0", false));
  c.push_back(menu("acos", "acos(x)", "0", "pi", "", true));
  c.push_back(menu("angle", "where(x < 0, pi, 0)", "0", "pi", "0", true));
  c.push_back(menu("asin", "asin(x)", "-pi/2", "pi/2", "", true));
  c.push_back(menu("atan", "atan(x)", "-pi/2", "pi/2", "", true));
  c.push_back(menu("ceil", "ceil(x)", "-inf", "inf", "integers", true));
  c.push_back(menu("cos", "cos(x)", "-1", "1", "", false));
  c.push_back(menu("cosh", "cosh(x)", "1", "inf", "", false));
  c.push_back(menu("digamma", "digamma(x)", "-inf", "inf", "", false));
  c.push_back(menu("erf", "erf(x)", "-1", "1", "", true));
  c.push_back(menu("erfc", "erfc(x)", "0", "2", "", true));
  c.push_back(menu("exp", "exp(x)", "0", "inf", "", true));
  c.push_back(menu("floor", "floor(x)", "-inf", "inf", "integers", true));
  c.push_back(menu("frac", "x - trunc(x)", "-1", "1", "nonzero_integers", false));
  c.push_back(menu("log", "log(x)", "-inf", "inf", "", true));
  c.push_back(menu("log10", "log10(x)", "-inf", "inf", "", true));
  c.push_back(menu("neg", "-x", "-inf", "inf", "", true));
  c.push_back(menu("round", "round(x)", "-inf", "inf", "half_integers", true));
  c.push_back(menu("sin", "sin(x)", "-1", "1", "", false));
  c.push_back(menu("sinh", "sinh(x)", "-inf", "inf", "", true));
  c.push_back(menu("tan", "tan(x)", "-inf", "inf", "", false));
  c.push_back(menu("trunc", "trunc(x)", "-inf", "inf", "nonzero_integers", true));
  c.push_back(row("gumbel_softmax",
                  "softmax((x + g)/tau) over the row, g ~ Gumbel(0, 1) drawn anew each call",
                  RowOp::kGumbelSoftmax, "0", "1", Stochastic::kGumbel));
  c.back().params = {{"tau", 1.0}};
  c.push_back(menu("generalized_swish", "x*sigmoid(exp(-x))", "-inf", "inf", "", true,
                   std::string(kNovel) +
                       "Kocak & Siray, New activation functions for single layer feedforward "
                       "neural network"));
  // e^{-x}·σ(x)² written as σ(x)·σ(-x), the same function without the overflow of e^{-x} (PyTorch's literal
  // form gives NaN at x = -100 in float32).
  c.push_back(menu("sigmoid_derivative", "sigmoid(x)*sigmoid(-x)", "0", "0.25", "", false,
                   std::string(kNovel) + "Kocak & Siray (same source)"));
  c.push_back(menu("cloglogm", "1 - 2*exp(-0.7*exp(x))", "-1", "1", "", true,
                   std::string(kNovel) + "Gomes, Ludermir & Lima, Comparison of new activation functions in "
                                         "neural network for forecasting financial time series"));
  c.push_back(menu("mish", "x*tanh(softplus(x))", "-0.30884341301725043", "inf", "", false,
                   "Misra, Mish (arXiv 1908.08681)"));

  // ---- beyond the menu ----
  c.push_back(with(extra("swish", "x*sigmoid(x)", "-0.2784645427610738", "inf", "", false,
                         "Ramachandran et al., Searching for Activation Functions (arXiv 1710.05941); "
                         "torch.nn.SiLU"),
                   {}, {"silu"}));
  c.push_back(with(extra("swish_beta", "x*sigmoid(beta*x)", "-0.2784645427610738/beta", "inf", "", false,
                         "Ramachandran et al. (arXiv 1710.05941), Swish with trainable beta"),
                   {{"beta", 1.0, true}}));
  c.push_back(extra("gelu_tanh", "0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))", "-0.17004075057125406",
                    "inf", "", false,
                    "Hendrycks & Gimpel (arXiv 1606.08415); torch.nn.GELU(approximate='tanh')"));
  c.push_back(with(extra("hardswish", "where(x < -3, 0, where(x < 3, x*(x + 3)/6, x))", "-0.375", "inf",
                         "-3, 3", false, "Howard et al., MobileNetV3 (arXiv 1905.02244); torch.nn.Hardswish"),
                   {}, {"hard_swish"}));
  c.push_back(with(extra("hard_sigmoid", "where(x <= -3, 0, where(x >= 3, 1, x/6 + 0.5))", "0", "1", "-3, 3",
                         true, "torch.nn.Hardsigmoid"),
                   {}, {"hardsigmoid"}));
  c.push_back(extra("hard_sigmoid_keras", "where(x <= -2.5, 0, where(x >= 2.5, 1, 0.2*x + 0.5))", "0", "1",
                    "-2.5, 2.5", true,
                    "Keras hard_sigmoid; MQL5 AF_HARD_SIGMOID (spec optimizers-dik-adamm §1b)"));
  c.push_back(with(extra("repu", "where(x > 0, x^p, 0)", "0", "inf", "0", true,
                         "Rectified power unit max(0,x)^p; Kim & Kang (arXiv 2408.02697)"),
                   {{"p", 2.0}}, {"requ"}));
  c.push_back(with(extra("mrepu", "where(x > -1, x*(x + 1)^p, 0)", "-(1/(p + 1))*(p/(p + 1))^p", "inf", "-1",
                         false, "Modified RePU, Kim & Kang (arXiv 2408.02697) §1"),
                   {{"p", 2.0}}));
  c.push_back(with(extra("acon_a", "x*sigmoid(beta*x)", "-0.2784645427610738/beta", "inf", "", false,
                         "Ma et al., Activate or Not: ACON-A (arXiv 2009.04759)"),
                   {{"beta", 1.0, true}}));
  c.push_back(with(extra("acon_b", "(1 - p)*x*sigmoid(beta*(1 - p)*x) + p*x", "-inf", "inf", "", true,
                         "Ma et al., ACON-B (arXiv 2009.04759)"),
                   {{"p", 0.25, true}, {"beta", 1.0, true}}));
  c.push_back(with(extra("acon_c", "(p1 - p2)*x*sigmoid(beta*(p1 - p2)*x) + p2*x", "-inf", "inf", "", true,
                         "Ma et al., ACON-C (arXiv 2009.04759; official acon.py)"),
                   {{"p1", 1.0, true}, {"p2", 0.25, true}, {"beta", 1.0, true}}));
  c.push_back(
      with(extra("snake", "x + sin(a*x)^2/a", "-inf", "inf", "", true,
                 "Liu Ziyin et al., Neural Networks Fail to Learn Periodic Functions (arXiv 2006.08195)"),
           {{"a", 1.0, true}}));
  c.push_back(extra("dik_tanh", "2/(1 + exp(-x)) - 1", "-1", "1", "", true,
                    "Dik, MQL5 article 16515: the MLP's 'tanh', equal to tanh(x/2)"));
  c.push_back(with(extra("linear", "x", "-inf", "inf", "", true, "identity"), {}, {"identity"}));
  c.push_back(extra("softplus_shifted", "softplus(x) - log(2)", "-log(2)", "inf", "", true,
                    "softplus shifted through the origin (f(0) = 0)"));
  c.push_back(extra("gaussian", "exp(-x^2)", "0", "1", "", false, "Gaussian bump e^{-x^2}"));
  c.push_back(extra("lisht", "x*tanh(x)", "0", "inf", "", false, "Roy et al., LiSHT (arXiv 1901.05894)"));
  c.push_back(with(extra("squareplus", "(x + sqrt(x^2 + b))/2", "0", "inf", "", true,
                         "Barron, Squareplus (arXiv 2112.11687)"),
                   {{"b", 4.0}}));
  c.push_back(with(extra("isru", "x/sqrt(1 + alpha*x^2)", "-1/sqrt(alpha)", "1/sqrt(alpha)", "", true,
                         "Carlile et al., inverse square root unit (arXiv 1710.09967)"),
                   {{"alpha", 1.0}}));
  c.push_back(extra("bent_identity", "(sqrt(x^2 + 1) - 1)/2 + x", "-inf", "inf", "", true, "bent identity"));
  c.push_back(extra("serf", "x*erf(softplus(x))", "-0.34843745875960647", "inf", "", false,
                    "Nag & Bhattacharyya, SERF (arXiv 2108.09598)"));
  c.push_back(with(
      extra("trelu", "where(x > theta, x, 0)", "0", "inf", "theta", true, "thresholded ReLU; MQL5 AF_TRELU"),
      {{"theta", 1.0}}, {"thresholded_relu"}));
  c.push_back(extra("sign", "sign(x)", "-1", "1", "0", true, "torch.sign"));
  c.push_back(
      with(extra("step", "where(x > 0, 1, 0)", "0", "1", "0", true, "Heaviside step"), {}, {"heaviside"}));
  return c;
}

std::string normalise(std::string_view name) {
  std::string s(name);
  for (char& ch : s) ch = ch == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::vector<std::string> param_names(const CatalogEntry& e) {
  std::vector<std::string> n;
  for (const ParamSpec& p : e.params) n.push_back(p.name);
  return n;
}

// Every entry ever registered lives in `store`, a deque: appending never moves an element, and nothing is
// ever erased, so pointers into it stay valid for the life of the process. `visible` is the catalog as
// catalog() shows it (the built-in entries, then the user entries registered and not removed); it is replaced
// whole, never changed in place, so a snapshot taken before a registration stays as it was.
struct Registry {
  std::mutex add_mu;  // one registration (check + append) at a time; taken before mu
  std::mutex mu;      // guards store's growth and the `visible` pointer
  std::deque<CatalogEntry> store;
  std::shared_ptr<const CatalogView::List> visible;
  std::size_t builtin_count = 0;

  Registry() {
    std::vector<CatalogEntry> builtin = build();
    CatalogView::List list;
    for (CatalogEntry& e : builtin) {
      store.push_back(std::move(e));
      list.push_back(&store.back());
    }
    builtin_count = list.size();
    visible = std::make_shared<const CatalogView::List>(std::move(list));
  }
};

Registry& registry() {
  static Registry r;  // thread-safe initialisation
  return r;
}

}  // namespace

bool CatalogEntry::has_learnable_params() const {
  return std::any_of(params.begin(), params.end(), [](const ParamSpec& p) { return p.learnable; });
}

const ParamSpec* CatalogEntry::find_param(std::string_view n) const {
  for (const ParamSpec& p : params) {
    if (p.name == n) return &p;
  }
  return nullptr;
}

CatalogView catalog() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  return CatalogView(r.visible);
}

const CatalogEntry* find_entry(std::string_view name) { return find_entry_in(catalog(), name); }

const CatalogEntry* find_entry_in(const CatalogView& entries, std::string_view name) {
  const std::string key = normalise(name);
  for (const CatalogEntry& e : entries) {
    if (e.name == key || std::find(e.aliases.begin(), e.aliases.end(), key) != e.aliases.end()) return &e;
  }
  return nullptr;
}

std::vector<std::string> catalog_names() { return catalog_functions().names(); }

const FunctionResolver& catalog_functions() {
  static const EntryFunctions kFunctions([] { return catalog(); });
  return kFunctions;
}

std::optional<Result<Expr>> EntryFunctions::call(std::string_view name, const std::vector<Expr>& positional,
                                                 const NamedArgs& named) const {
  const CatalogEntry* e = find_entry_in(entries_(), name);
  if (!e) return std::nullopt;
  if (e->row_wise()) {
    return Result<Expr>(Status::invalid(e->name + " acts on a whole row, not element-wise; it cannot be used "
                                                  "inside a formula"));
  }
  if (positional.empty())
    return Result<Expr>(Status::invalid(e->name + "() needs its input, e.g. " + e->name + "(x)"));
  if (positional.size() > 1 + e->params.size()) {
    return Result<Expr>(Status::invalid(e->name + "() takes the input and at most " +
                                        std::to_string(e->params.size()) + " parameter(s)"));
  }
  auto body = parse_entry_formula(*e, *this);
  if (!body)
    return Result<Expr>(Status::internal("catalog formula of " + e->name + ": " + body.status().message()));
  Expr out = *body;
  std::map<std::string, Expr> values;
  for (std::size_t i = 1; i < positional.size(); ++i) values[e->params[i - 1].name] = positional[i];
  for (const auto& [key, v] : named) {
    if (!e->find_param(key)) {
      std::string known;
      for (const ParamSpec& p : e->params) known += (known.empty() ? "" : ", ") + p.name;
      return Result<Expr>(Status::invalid(e->name + " has no parameter '" + key + "'" +
                                          (known.empty() ? " (it has none)" : " (it has " + known + ")")));
    }
    if (values.count(key)) return Result<Expr>(Status::invalid("parameter '" + key + "' given twice"));
    values[key] = v;
  }
  for (const ParamSpec& p : e->params) {
    auto it = values.find(p.name);
    out = substitute(out, p.name, it != values.end() ? it->second : Expr::constant(p.default_value));
  }
  return Result<Expr>(substitute(out, "x", positional[0]));
}

std::vector<std::string> EntryFunctions::names() const {
  std::vector<std::string> n;
  for (const CatalogEntry& e : entries_()) {
    n.push_back(e.name);
    n.insert(n.end(), e.aliases.begin(), e.aliases.end());
  }
  return n;
}

Result<Expr> parse_entry_formula(const CatalogEntry& e, const FunctionResolver& functions) {
  return parse_formula(e.formula,
                       {.functions = e.is_user() ? &functions : nullptr, .parameters = param_names(e)});
}

Status append_catalog_entries(const CheckNewEntries& check) {
  Registry& r = registry();
  std::lock_guard<std::mutex> adding(r.add_mu);
  auto entries = check(catalog());
  if (!entries) return entries.status();
  std::lock_guard<std::mutex> lock(r.mu);
  auto list = std::make_shared<CatalogView::List>(*r.visible);
  for (CatalogEntry& e : *entries) {
    r.store.push_back(std::move(e));
    list->push_back(&r.store.back());
  }
  r.visible = std::move(list);
  return {};
}

void remove_user_entries() {
  Registry& r = registry();
  std::lock_guard<std::mutex> adding(r.add_mu);
  std::lock_guard<std::mutex> lock(r.mu);
  r.visible = std::make_shared<const CatalogView::List>(
      r.visible->begin(), r.visible->begin() + static_cast<std::ptrdiff_t>(r.builtin_count));
}

}  // namespace actlab::activations
