#include "nn/layer.hpp"

namespace actlab::nn {

// Row i of kLayerKinds describes the enumerator of value i.
static_assert([] {
  for (std::size_t i = 0; i < kLayerKinds.size(); ++i) {
    if (static_cast<std::size_t>(kLayerKinds[i].kind) != i) return false;
  }
  return kLayerKinds.size() == static_cast<std::size_t>(LayerKind::kActivation) + 1;
}());

const LayerKindInfo& layer_kind_info(LayerKind k) { return kLayerKinds[static_cast<std::size_t>(k)]; }

std::string_view layer_kind_name(LayerKind k) { return layer_kind_info(k).name; }

std::optional<LayerKind> parse_layer_kind(std::string_view name) {
  for (const LayerKindInfo& info : kLayerKinds) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

std::string layer_kind_names() {
  std::string s;
  for (const LayerKindInfo& info : kLayerKinds) s += (s.empty() ? "" : ", ") + std::string(info.name);
  return s;
}

std::string Shape::str() const {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

template <class T>
Json matrix_to_json(const RowMatrix<T>& m) {
  Json rows = Json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    Json row = Json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(static_cast<double>(m(r, c)));
    rows.push_back(std::move(row));
  }
  return rows;
}

template <class T>
Json vector_to_json(const RowMatrix<T>& m) {
  Json v = Json::array();
  for (Eigen::Index i = 0; i < m.size(); ++i) v.push_back(static_cast<double>(m.data()[i]));
  return v;
}

template Json matrix_to_json(const RowMatrix<float>&);
template Json matrix_to_json(const RowMatrix<double>&);
template Json vector_to_json(const RowMatrix<float>&);
template Json vector_to_json(const RowMatrix<double>&);

}  // namespace actlab::nn
