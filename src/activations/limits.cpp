#include "activations/limits.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace actlab::activations {

FormulaMeter::~FormulaMeter() {
  while (!keep_.empty()) keep_.pop_back();  // post-order: the back is the highest node
}

FormulaExtent FormulaMeter::measure(const Expr& root) {
  if (auto it = seen_.find(root.node()); it != seen_.end()) return it->second;
  // Post-order over the DAG with an explicit stack: (node, children pushed yet?).
  std::vector<std::pair<const Expr*, bool>> stack{{&root, false}};
  while (!stack.empty()) {
    auto [e, expanded] = stack.back();
    if (seen_.count(e->node())) {
      stack.pop_back();
      continue;
    }
    if (!expanded) {
      stack.back().second = true;
      for (const Expr& a : e->args()) {
        if (!seen_.count(a.node())) stack.push_back({&a, false});
      }
      continue;
    }
    stack.pop_back();
    FormulaExtent x{1, 1};
    for (const Expr& a : e->args()) {
      const FormulaExtent& c = seen_.at(a.node());
      x.depth = std::max(x.depth, c.depth + 1);
      x.size = std::min(x.size + c.size, kMaxFormulaSize + 1);
    }
    seen_.emplace(e->node(), x);
    keep_.push_back(*e);
  }
  return seen_.at(root.node());
}

Status FormulaMeter::check(const Expr& e) {
  const FormulaExtent x = measure(e);
  if (x.depth > kMaxFormulaDepth) return Status::invalid(depth_limit_message());
  if (x.size > kMaxFormulaSize) return Status::invalid(size_limit_message());
  return {};
}

std::string depth_limit_message() {
  return "formula nests deeper than the limit of " + std::to_string(kMaxFormulaDepth) + " levels";
}

std::string size_limit_message() {
  return "formula expands to more than the limit of " + std::to_string(kMaxFormulaSize) + " nodes";
}

}  // namespace actlab::activations
