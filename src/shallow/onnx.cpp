#include "shallow/onnx.hpp"

#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

namespace actlab::shallow {
namespace {

// ---- protocol buffers wire format ----
struct Field {
  int number = 0, wire = 0;
  std::uint64_t varint = 0;            // wire 0, and the raw bits of wire 1 / 5
  const std::uint8_t* data = nullptr;  // wire 2
  std::size_t size = 0;
};

class Reader {
 public:
  Reader(const std::uint8_t* p, std::size_t n) : p_(p), end_(p + n) {}
  bool done() const { return p_ >= end_; }
  bool ok() const { return ok_; }
  bool next(Field& f) {
    if (done() || !ok_) return false;
    const std::uint64_t key = varint();
    f.number = static_cast<int>(key >> 3);
    f.wire = static_cast<int>(key & 7);
    switch (f.wire) {
      case 0: f.varint = varint(); break;
      case 1: f.varint = fixed(8); break;
      case 5: f.varint = fixed(4); break;
      case 2: {
        const std::uint64_t len = varint();
        if (len > static_cast<std::uint64_t>(end_ - p_)) return ok_ = false;
        f.data = p_;
        f.size = static_cast<std::size_t>(len);
        p_ += len;
        break;
      }
      default: return ok_ = false;
    }
    return ok_;
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) {
        ok_ = false;
        return 0;
      }
      const std::uint8_t b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok_ = false;
    return 0;
  }

 private:
  std::uint64_t fixed(int bytes) {
    if (end_ - p_ < bytes) {
      ok_ = false;
      return 0;
    }
    std::uint64_t v = 0;
    std::memcpy(&v, p_, static_cast<std::size_t>(bytes));  // little-endian hosts
    p_ += bytes;
    return v;
  }
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  bool ok_ = true;
};

std::string str(const Field& f) { return std::string(reinterpret_cast<const char*>(f.data), f.size); }

// ---- the subset of onnx.proto3 ----
struct Tensor {
  std::string name;
  std::vector<std::int64_t> dims;
  std::vector<double> values;
};
struct Node {
  std::string name, op;
  std::vector<std::string> inputs, outputs;
  std::map<std::string, double> attrs;  // f and i attributes
};
struct Graph {
  std::vector<Node> nodes;
  std::map<std::string, Tensor> init;
  std::vector<std::string> inputs, outputs;
  std::map<std::string, std::vector<std::int64_t>> input_dims;
};

Result<Tensor> parse_tensor(const Field& tf) {
  Tensor t;
  int type = 1;
  std::string raw;
  std::vector<double> floats;
  Reader r(tf.data, tf.size);
  Field f;
  while (r.next(f)) {
    if (f.number == 1) {
      if (f.wire == 2) {
        Reader pr(f.data, f.size);
        while (!pr.done() && pr.ok()) t.dims.push_back(static_cast<std::int64_t>(pr.varint()));
      } else {
        t.dims.push_back(static_cast<std::int64_t>(f.varint));
      }
    } else if (f.number == 2) {
      type = static_cast<int>(f.varint);
    } else if (f.number == 4 && f.wire == 2) {
      for (std::size_t i = 0; i + 4 <= f.size; i += 4) {
        float v;
        std::memcpy(&v, f.data + i, 4);
        floats.push_back(v);
      }
    } else if (f.number == 4 && f.wire == 5) {
      float v;
      const auto bits = static_cast<std::uint32_t>(f.varint);
      std::memcpy(&v, &bits, 4);
      floats.push_back(v);
    } else if (f.number == 8) {
      t.name = str(f);
    } else if (f.number == 9) {
      raw = str(f);
    } else if (f.number == 10 && f.wire == 2) {
      for (std::size_t i = 0; i + 8 <= f.size; i += 8) {
        double v;
        std::memcpy(&v, f.data + i, 8);
        floats.push_back(v);
      }
    } else if (f.number == 14 && f.varint == 1) {
      return Status::invalid("tensor uses external data, which is not supported");
    }
  }
  if (!r.ok()) return Status::invalid("malformed tensor");
  if (type != 1 && type != 11) {
    return Status::invalid("tensor '" + t.name + "' has data type " + std::to_string(type) +
                           "; only float and double are supported");
  }
  if (!raw.empty()) {
    const std::size_t w = type == 1 ? 4 : 8;
    for (std::size_t i = 0; i + w <= raw.size(); i += w) {
      if (type == 1) {
        float v;
        std::memcpy(&v, raw.data() + i, 4);
        floats.push_back(v);
      } else {
        double v;
        std::memcpy(&v, raw.data() + i, 8);
        floats.push_back(v);
      }
    }
  }
  t.values = std::move(floats);
  // The product of the dims, stopped as soon as it passes the values held (no signed overflow on 2^62 dims).
  std::int64_t count = 1;
  const auto held = static_cast<std::int64_t>(t.values.size());
  for (std::int64_t d : t.dims) {
    if (d < 0 || (d > 0 && count > held / d + 1)) {
      count = -1;
      break;
    }
    count *= d;
  }
  if (count != held) {
    return Status::invalid("tensor '" + t.name + "' holds " + std::to_string(t.values.size()) +
                           " values for its shape");
  }
  return t;
}

Result<Node> parse_node(const Field& nf) {
  Node n;
  Reader r(nf.data, nf.size);
  Field f;
  while (r.next(f)) {
    if (f.number == 1) n.inputs.push_back(str(f));
    if (f.number == 2) n.outputs.push_back(str(f));
    if (f.number == 3) n.name = str(f);
    if (f.number == 4) n.op = str(f);
    if (f.number == 5) {
      Reader ar(f.data, f.size);
      Field a;
      std::string name;
      std::optional<double> value;
      while (ar.next(a)) {
        if (a.number == 1) name = str(a);
        if (a.number == 2 && a.wire == 5) {
          float v;
          const auto bits = static_cast<std::uint32_t>(a.varint);
          std::memcpy(&v, &bits, 4);
          value = v;
        }
        if (a.number == 3 && a.wire == 0) value = static_cast<double>(static_cast<std::int64_t>(a.varint));
      }
      if (value) n.attrs[name] = *value;
    }
  }
  if (!r.ok()) return Status::invalid("malformed node");
  return n;
}

std::vector<std::int64_t> parse_value_dims(const Field& vf, std::string& name) {
  std::vector<std::int64_t> dims;
  Reader r(vf.data, vf.size);
  Field f;
  while (r.next(f)) {
    if (f.number == 1) name = str(f);
    if (f.number != 2) continue;
    Reader tr(f.data, f.size);  // TypeProto
    Field t;
    while (tr.next(t)) {
      if (t.number != 1) continue;
      Reader tt(t.data, t.size);  // TypeProto.Tensor
      Field s;
      while (tt.next(s)) {
        if (s.number != 2) continue;
        Reader sr(s.data, s.size);  // TensorShapeProto
        Field d;
        while (sr.next(d)) {
          if (d.number != 1) continue;
          Reader dr(d.data, d.size);
          Field v;
          std::int64_t value = -1;
          while (dr.next(v))
            if (v.number == 1 && v.wire == 0) value = static_cast<std::int64_t>(v.varint);
          dims.push_back(value);
        }
      }
    }
  }
  return dims;
}

Result<Graph> parse_graph(const std::vector<std::uint8_t>& bytes) {
  Reader m(bytes.data(), bytes.size());
  Field f;
  std::optional<Field> graph;
  while (m.next(f))
    if (f.number == 7 && f.wire == 2) graph = f;
  if (!m.ok() || !graph) return Status::invalid("not an ONNX model (no graph found)");
  Graph g;
  Reader r(graph->data, graph->size);
  while (r.next(f)) {
    if (f.wire != 2) continue;
    if (f.number == 1) {
      auto n = parse_node(f);
      if (!n) return n.status();
      g.nodes.push_back(std::move(*n));
    } else if (f.number == 5) {
      auto t = parse_tensor(f);
      if (!t) return t.status();
      g.init[t->name] = std::move(*t);
    } else if (f.number == 11 || f.number == 12) {
      std::string name;
      auto dims = parse_value_dims(f, name);
      if (f.number == 11) {
        g.inputs.push_back(name);
        g.input_dims[name] = std::move(dims);
      } else {
        g.outputs.push_back(name);
      }
    }
  }
  if (!r.ok()) return Status::invalid("malformed graph");
  return g;
}

MatrixD as_matrix(const Tensor& t, bool transpose) {  // t: rows × cols row-major
  const auto rows = static_cast<Eigen::Index>(t.dims[0]), cols = static_cast<Eigen::Index>(t.dims[1]);
  MatrixD m = Eigen::Map<const MatrixD>(t.values.data(), rows, cols);
  if (transpose) return m.transpose();
  return m;
}

}  // namespace

Result<DeepReluNet> parse_onnx(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  auto gr = parse_graph(bytes);
  if (!gr) return gr.status().with_context(origin);
  Graph& g = *gr;
  std::string current;
  for (const std::string& in : g.inputs)
    if (!g.init.count(in)) current = in;
  if (current.empty()) return Status::invalid(origin + ": the graph has no data input");
  const auto& dims = g.input_dims[current];
  if (dims.empty() || dims.back() <= 0) {
    return Status::invalid(origin + ": input '" + current + "' has no fixed feature size");
  }
  constexpr std::int64_t kMaxInputWidth = 4096;  // docs/limits.md: identity maps of width² doubles
  if (dims.back() > kMaxInputWidth) {
    return Status::invalid(origin + ": input '" + current + "' has " + std::to_string(dims.back()) +
                           " features, more than the limit of " + std::to_string(kMaxInputWidth));
  }
  const int n = static_cast<int>(dims.back());
  std::vector<AffineLayer> layers;
  std::optional<AffineLayer> pending;  // affine map since the last Relu
  int width = n;
  auto apply = [&](MatrixD w, Eigen::VectorXd b) {
    if (pending) {
      pending->b = w * pending->b + b;
      pending->w = w * pending->w;
    } else {
      pending = AffineLayer{std::move(w), std::move(b)};
    }
    width = static_cast<int>(pending->w.rows());
  };
  for (const Node& node : g.nodes) {
    const std::string where = origin + ": node '" + node.name + "' (op " + node.op + ")";
    if (node.op == "Constant") continue;
    auto data_input = std::find(node.inputs.begin(), node.inputs.end(), current);
    if (data_input == node.inputs.end()) {
      return Status::invalid(where + " does not read the previous node's output '" + current +
                             "'; only a chain of layers is supported");
    }
    auto init = [&](std::size_t i) -> const Tensor* {
      if (i >= node.inputs.size()) return nullptr;
      auto it = g.init.find(node.inputs[i]);
      return it == g.init.end() ? nullptr : &it->second;
    };
    if (node.op == "Gemm") {
      const Tensor* b = init(1);
      const Tensor* c = init(2);
      auto attr = [&](const char* k, double def) { return node.attrs.count(k) ? node.attrs.at(k) : def; };
      if (!b || b->dims.size() != 2 || attr("transA", 0) != 0) {
        return Status::invalid(where + ": expected Gemm(x, W, b) with a constant 2-D W and transA = 0");
      }
      MatrixD w = attr("alpha", 1.0) * as_matrix(*b, attr("transB", 0) == 0);  // out × in
      Eigen::VectorXd bias = Eigen::VectorXd::Zero(w.rows());
      if (c) {
        if (static_cast<Eigen::Index>(c->values.size()) != w.rows()) {
          return Status::invalid(where + ": bias has " + std::to_string(c->values.size()) + " values");
        }
        bias = attr("beta", 1.0) * Eigen::Map<const Eigen::VectorXd>(c->values.data(), w.rows());
      }
      if (w.cols() != width)
        return Status::invalid(where + ": reads " + std::to_string(w.cols()) + " values, gets " +
                               std::to_string(width));
      apply(std::move(w), std::move(bias));
    } else if (node.op == "MatMul") {
      const Tensor* b = init(1);
      if (!b || b->dims.size() != 2 || data_input != node.inputs.begin()) {
        return Status::invalid(where + ": expected MatMul(x, W) with a constant 2-D W");
      }
      MatrixD w = as_matrix(*b, true);
      if (w.cols() != width)
        return Status::invalid(where + ": reads " + std::to_string(w.cols()) + " values, gets " +
                               std::to_string(width));
      const auto out = w.rows();
      apply(std::move(w), Eigen::VectorXd::Zero(out));
    } else if (node.op == "Add") {
      const Tensor* c = init(data_input == node.inputs.begin() ? 1 : 0);
      if (!c || static_cast<int>(c->values.size()) != width) {
        return Status::invalid(where + ": expected Add(x, b) with a constant b of " + std::to_string(width) +
                               " values");
      }
      apply(MatrixD::Identity(width, width), Eigen::Map<const Eigen::VectorXd>(c->values.data(), width));
    } else if (node.op == "Relu") {
      if (!pending) apply(MatrixD::Identity(width, width), Eigen::VectorXd::Zero(width));
      layers.push_back(std::move(*pending));
      pending.reset();
    } else if (node.op == "Flatten" || node.op == "Identity" || node.op == "Dropout") {
      // identities on a batch of feature vectors
    } else {
      return Status::invalid(where +
                             " is not supported; supported: Gemm, MatMul, Add, Relu, Flatten, "
                             "Identity, Dropout");
    }
    if (node.outputs.empty()) return Status::invalid(where + ": no output");
    current = node.outputs[0];
  }
  if (std::find(g.outputs.begin(), g.outputs.end(), current) == g.outputs.end()) {
    return Status::invalid(origin + ": the chain ends at '" + current + "', which is not a graph output");
  }
  if (!pending) apply(MatrixD::Identity(width, width), Eigen::VectorXd::Zero(width));
  layers.push_back(std::move(*pending));
  auto net = DeepReluNet::make(std::move(layers));
  if (!net) return net.status().with_context(origin);
  return net;
}

Result<DeepReluNet> load_onnx(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::not_found(path + ": cannot open the ONNX file");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_onnx(bytes, path);
}

}  // namespace actlab::shallow
