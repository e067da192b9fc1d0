#include "nn/layer.hpp"

namespace actlab::nn {

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
