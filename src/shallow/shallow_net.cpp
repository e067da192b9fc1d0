#include "shallow/shallow_net.hpp"

#include <cmath>
#include <fstream>
#include <limits>

#include "core/file_io.hpp"

namespace actlab::shallow {

ShallowNet build_shallow(const RegionSet& rs) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const int n = rs.input_dim, m = rs.outputs;
  const int k_rows = static_cast<int>(rs.c.size());
  const int r_count = static_cast<int>(rs.regions.size());
  ShallowNet s{n, m, r_count, k_rows, rs.box, {}};
  s.layers.resize(4);
  // Layer 1: half-spaces and the input split x = x⁺ − x⁻.
  SparseLayer& l1 = s.layers[0];
  l1.in = n;
  for (int k = 0; k < k_rows; ++k) {
    for (int j = 0; j < n; ++j)
      if (rs.h(k, j) != 0) l1.add(j, rs.h(k, j));
    l1.end_unit(rs.c[k]);
  }
  for (double sign : {1.0, -1.0}) {
    for (int j = 0; j < n; ++j) {
      l1.add(j, sign);
      l1.end_unit(0.0);
    }
  }
  // Layer 2: exact steps a_k, b_k and the pass-through.
  SparseLayer& l2 = s.layers[1];
  l2.in = k_rows + 2 * n;
  for (int k = 0; k < k_rows; ++k) {
    l2.add(k, kInf);
    l2.end_unit(0.0);
  }
  for (int k = 0; k < k_rows; ++k) {
    l2.add(k, -kInf);
    l2.end_unit(1.0);
  }
  for (int j = 0; j < 2 * n; ++j) {
    l2.add(k_rows + j, 1.0);
    l2.end_unit(0.0);
  }
  // Layer 3: per region and output, the local model behind a −∞ gate.
  SparseLayer& l3 = s.layers[2];
  l3.in = 2 * k_rows + 2 * n;
  const int xpp = 2 * k_rows, xmm = 2 * k_rows + n;
  for (const Region& r : rs.regions) {
    for (int o = 0; o < m; ++o) {
      for (double sign : {1.0, -1.0}) {
        for (int j = 0; j < n; ++j) {
          const double a = sign * r.alpha(o, j);
          if (a == 0) continue;
          l3.add(xpp + j, a);
          l3.add(xmm + j, -a);
        }
        for (std::size_t i = 0; i < r.rows.size(); ++i) {
          const int k = r.rows[i];
          // needs > 0 (active): killed by b_k = 1 (row ≤ 0); needs ≤ 0: killed by a_k = +∞ (row > 0)
          l3.add(r.pattern[i] ? k_rows + k : k, -kInf);
        }
        l3.end_unit(sign * r.beta[o]);
      }
    }
  }
  // Read-out: F_o = Σ_s p_{s,o} − q_{s,o}.
  SparseLayer& l4 = s.layers[3];
  l4.in = 2 * r_count * m;
  l4.relu = false;
  for (int o = 0; o < m; ++o) {
    for (int r = 0; r < r_count; ++r) {
      l4.add(2 * (r * m + o), 1.0);
      l4.add(2 * (r * m + o) + 1, -1.0);
    }
    l4.end_unit(0.0);
  }
  return s;
}

ShallowEval evaluate(const ShallowNet& s, const Eigen::VectorXd& x) {
  ShallowEval e;
  std::vector<double> in(x.data(), x.data() + x.size()), out;
  for (std::size_t li = 0; li < s.layers.size(); ++li) {
    const SparseLayer& l = s.layers[li];
    out.assign(static_cast<std::size_t>(l.out()), 0.0);
    for (int u = 0; u < l.out(); ++u) {
      bool pos = false, neg = false;
      double sum = 0;
      for (int q = l.start[static_cast<std::size_t>(u)]; q < l.start[static_cast<std::size_t>(u) + 1]; ++q) {
        const double v = emul(l.w[static_cast<std::size_t>(q)],
                              in[static_cast<std::size_t>(l.col[static_cast<std::size_t>(q)])]);
        if (std::isnan(v)) e.nan = true;
        if (v == std::numeric_limits<double>::infinity()) {
          pos = true;
        } else if (v == -std::numeric_limits<double>::infinity()) {
          neg = true;
        } else {
          sum += v;
        }
      }
      double pre;
      if (pos && neg) {  // ∞ − ∞: the construction never forms it
        e.nan = true;
        pre = std::nan("");
      } else if (pos) {
        pre = std::numeric_limits<double>::infinity();
      } else if (neg) {
        pre = -std::numeric_limits<double>::infinity();
      } else {
        pre = sum + l.bias[static_cast<std::size_t>(u)];
      }
      if (li == 2 && std::isfinite(pre)) ++e.open_gates;
      out[static_cast<std::size_t>(u)] = l.relu ? (pre > 0 ? pre : (std::isnan(pre) ? pre : 0.0)) : pre;
    }
    in.swap(out);
  }
  if (s.outputs > 0) e.open_gates /= 2 * s.outputs;
  e.y = Eigen::Map<Eigen::VectorXd>(in.data(), static_cast<Eigen::Index>(in.size()));
  for (double v : in)
    if (std::isnan(v)) e.nan = true;
  return e;
}

Json shallow_to_json(const ShallowNet& s) {
  Json j = {{"format", "actlab-shallow"}, {"version", 1},         {"input_dim", s.input_dim},
            {"outputs", s.outputs},       {"regions", s.regions}, {"rows", s.rows}};
  j["box"] = s.box ? Json{s.box->first, s.box->second} : Json(nullptr);
  Json layers = Json::array();
  for (const SparseLayer& l : s.layers) {
    Json rows = Json::array(), bias = Json::array();
    for (int u = 0; u < l.out(); ++u) {
      Json r = Json::array();
      for (int q = l.start[static_cast<std::size_t>(u)]; q < l.start[static_cast<std::size_t>(u) + 1]; ++q) {
        r.push_back(l.col[static_cast<std::size_t>(q)]);
        r.push_back(json_number(l.w[static_cast<std::size_t>(q)]));
      }
      rows.push_back(std::move(r));
      bias.push_back(json_number(l.bias[static_cast<std::size_t>(u)]));
    }
    layers.push_back(
        {{"activation", l.relu ? "relu" : "linear"}, {"in", l.in}, {"bias", bias}, {"rows", rows}});
  }
  j["layers"] = std::move(layers);
  return j;
}

Result<ShallowNet> shallow_from_json(const Json& j, const std::string& origin) {
  if (!j.is_object() || j.value("format", "") != "actlab-shallow") {
    return Status::invalid(origin + ": not an actlab-shallow file (\"format\": \"actlab-shallow\" missing)");
  }
  ShallowNet s;
  try {
    s.input_dim = j.at("input_dim").get<int>();
    s.outputs = j.at("outputs").get<int>();
    s.regions = j.at("regions").get<int>();
    s.rows = j.at("rows").get<int>();
    if (j.contains("box") && !j["box"].is_null()) {
      const Json& box = j["box"];
      if (!box.is_array() || box.size() != 2) {
        return Status::invalid(origin + ": \"box\" must be [a, b] (two numbers) or null");
      }
      s.box = std::pair{json_to_double(box[0]), json_to_double(box[1])};
    }
    int width = s.input_dim;
    for (const Json& lj : j.at("layers")) {
      SparseLayer l;
      l.in = lj.at("in").get<int>();
      l.relu = lj.at("activation").get<std::string>() == "relu";
      if (l.in != width) return Status::invalid(origin + ": layer widths do not chain");
      const Json& rows = lj.at("rows");
      const Json& bias = lj.at("bias");
      if (rows.size() != bias.size()) return Status::invalid(origin + ": rows and bias sizes differ");
      for (std::size_t u = 0; u < rows.size(); ++u) {
        const Json& r = rows[u];
        if (r.size() % 2) return Status::invalid(origin + ": a row has an odd number of entries");
        for (std::size_t q = 0; q < r.size(); q += 2) {
          const int c = r[q].get<int>();
          if (c < 0 || c >= l.in) return Status::invalid(origin + ": column index out of range");
          l.add(c, json_to_double(r[q + 1]));
        }
        l.end_unit(json_to_double(bias[u]));
      }
      width = l.out();
      s.layers.push_back(std::move(l));
    }
    if (s.layers.size() != 4 || width != s.outputs) {
      return Status::invalid(origin + ": expected 3 hidden layers and a read-out of " +
                             std::to_string(s.outputs) + " outputs");
    }
  } catch (const Json::exception& e) {
    return Status::invalid(origin + ": " + e.what());
  }
  return s;
}

Status save_shallow(const ShallowNet& s, const std::string& path) {
  return write_file_atomic(path, json_dump(shallow_to_json(s), false) + "\n");
}

Result<ShallowNet> load_shallow(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::not_found(path + ": cannot open the shallow network file");
  Json j = Json::parse(in, nullptr, false);
  if (j.is_discarded()) return Status::invalid(path + ": malformed JSON");
  return shallow_from_json(j, path);
}

}  // namespace actlab::shallow
