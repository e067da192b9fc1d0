#include "nn/model.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/file_io.hpp"
#include "nn/activation_layer.hpp"
#include "nn/conv2d.hpp"
#include "nn/dense.hpp"
#include "nn/dropout.hpp"
#include "nn/flatten.hpp"
#include "nn/max_pool.hpp"

namespace actlab::nn {

template <class T>
Status Model<T>::add(std::unique_ptr<Layer<T>> layer) {
  if (!layer) return Status(StatusCode::kInternal, "null layer");
  if (!(layer->in_shape() == output_shape())) {
    return Status::invalid("layer " + std::to_string(layers_.size()) + " (" + layer->type() + ") takes " +
                           layer->in_shape().str() + " but the previous output is " + output_shape().str());
  }
  layers_.push_back(std::move(layer));
  outputs_.resize(layers_.size());
  return Status::ok();
}

template <class T>
const RowMatrix<T>& Model<T>::forward(const RowMatrix<T>& x, Mode mode) {
  input_data_ = &x;
  out_.resize(layers_.size());
  const RowMatrix<T>* in = &x;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (!layers_[i]->passes_through()) {
      layers_[i]->forward(*in, outputs_[i], mode, rng_);
      in = &outputs_[i];
    }
    out_[i] = in;
  }
  return *in;
}

template <class T>
void Model<T>::backward(const RowMatrix<T>& dout) {
  // input_grads_[i] = ∂L/∂(input of layer i): one buffer per layer, so no step reallocates (layers differ in
  // size, and reallocating multi-megabyte buffers every step costs page faults).
  input_grads_.resize(layers_.size());
  const RowMatrix<T>* dy = &dout;
  // No layer needs ∂L/∂input below the first one that computes something (a Flatten in front of the first
  // Dense used to cost that Dense a full dX GEMM per step, a third of an MLP step's FLOPs).
  std::size_t first = 0;
  while (first < layers_.size() && layers_[first]->passes_through()) ++first;
  for (std::size_t i = layers_.size(); i-- > first;) {
    if (layers_[i]->passes_through()) continue;  // dx = dy
    const RowMatrix<T>& x = i == 0 ? *input_data_ : *out_[i - 1];
    RowMatrix<T>* dx = i == first ? nullptr : &input_grads_[i];
    layers_[i]->backward(x, *out_[i], *dy, dx);
    dy = dx;
  }
}

template <class T>
void Model<T>::zero_grad() {
  for (Param<T>* p : params()) p->grad.setZero();
}

template <class T>
std::vector<Param<T>*> Model<T>::params() {
  std::vector<Param<T>*> all;
  for (auto& l : layers_)
    for (Param<T>* p : l->params()) all.push_back(p);
  return all;
}

template <class T>
std::size_t Model<T>::parameter_count() {
  std::size_t n = 0;
  for (Param<T>* p : params()) n += static_cast<std::size_t>(p->value.size());
  return n;
}

template <class T>
RowMatrix<T> Model<T>::predict(const RowMatrix<T>& x, Eigen::Index chunk) {
  RowMatrix<T> out(x.rows(), output_shape().size());
  RowMatrix<T> part;
  for (Eigen::Index r = 0; r < x.rows(); r += chunk) {
    const Eigen::Index n = std::min(chunk, x.rows() - r);
    part = x.middleRows(r, n);
    out.middleRows(r, n) = forward(part, Mode::kInfer);
  }
  return out;
}

template <class T>
Json Model<T>::to_json() const {
  Json layers = Json::array();
  for (const auto& l : layers_) layers.push_back(l->to_json());
  Json j = {{"format", "actlab-model"},
            {"version", 1},
            {"input_shape", input_.dims},
            {"layers", std::move(layers)}};
  if (scaling_) {
    Json mean = Json::array(), scale = Json::array();
    for (Eigen::Index i = 0; i < scaling_->mean.size(); ++i) {
      mean.push_back(static_cast<double>(scaling_->mean[i]));
      scale.push_back(static_cast<double>(scaling_->scale[i]));
    }
    j["standardize"] = {{"mean", std::move(mean)}, {"scale", std::move(scale)}};
  }
  return j;
}

template <class T>
Model<T> Model<T>::clone() const {
  Model<T> c(input_);
  c.rng_ = rng_;
  c.scaling_ = scaling_;
  for (const auto& l : layers_) {
    Status s = c.add(l->clone());
    (void)s;  // same shapes as this model's, which already chained
  }
  return c;
}

template <class T>
Model<double> Model<T>::to_double() const {
  Model<double> d(input_);
  d.set_input_scaling(scaling_);
  for (const auto& l : layers_) {
    Status s = d.add(l->to_double());
    (void)s;  // same shapes as this model's, which already chained
  }
  return d;
}

std::vector<optim::ParamBlock> param_blocks(Model<float>& model) {
  std::vector<optim::ParamBlock> blocks;
  for (Param<float>* p : model.params()) {
    const std::size_t n = static_cast<std::size_t>(p->value.size());
    blocks.push_back({{p->value.data(), n}, {p->grad.data(), n}});
  }
  return blocks;
}

// ---- reading the model file ----

namespace {

struct Reader {
  std::string where;  // "m.json: layers[2] (dense)"
  Status error(const std::string& what) const { return Status::invalid(where + ": " + what); }

  Result<int> integer(const Json& j, const char* key, int min) const {
    if (!j.contains(key)) return error(std::string("missing \"") + key + "\"");
    const Json& v = j[key];
    constexpr long long kMax = 100'000'000;  // docs/limits.md: no size in a model file beyond 10^8
    if (!v.is_number_integer() || v.get<long long>() < min || v.get<long long>() > kMax) {
      return error(std::string("\"") + key + "\" must be an integer from " + std::to_string(min) + " to " +
                   std::to_string(kMax));
    }
    return v.get<int>();
  }

  template <class T>
  Status matrix(const Json& j, const char* key, Eigen::Index rows, Eigen::Index cols, RowMatrix<T>& m) const {
    if (!j.contains(key)) return error(std::string("missing \"") + key + "\"");
    const Json& v = j[key];
    m.resize(rows, cols);
    auto number = [&](const Json& x, Eigen::Index r, Eigen::Index c) -> Status {
      if (!x.is_number()) {
        return error(std::string("\"") + key + "\"[" + std::to_string(r) + "][" + std::to_string(c) +
                     "] is not a number");
      }
      m(r, c) = static_cast<T>(x.get<double>());
      return Status::ok();
    };
    // Vectors (bias) are flat lists. A 1 × n or n × 1 weight (a dense layer with out = 1 or in = 1) is still
    // written as a list of rows by matrix_to_json, so a nested list always takes the row-by-row path.
    const bool nested = v.is_array() && !v.empty() && v[0].is_array();
    if ((rows == 1 || cols == 1) && !nested) {
      if (!v.is_array() || static_cast<Eigen::Index>(v.size()) != rows * cols) {
        return error(std::string("\"") + key + "\" must be a list of " + std::to_string(rows * cols) +
                     " numbers");
      }
      for (Eigen::Index i = 0; i < rows * cols; ++i) {
        if (!v[i].is_number())
          return error(std::string("\"") + key + "\"[" + std::to_string(i) + "] is not a number");
        m.data()[i] = static_cast<T>(v[i].get<double>());
      }
      return Status::ok();
    }
    if (!v.is_array() || static_cast<Eigen::Index>(v.size()) != rows) {
      return error(std::string("\"") + key + "\" must have " + std::to_string(rows) + " rows (out), got " +
                   (v.is_array() ? std::to_string(v.size()) : "no list"));
    }
    for (Eigen::Index r = 0; r < rows; ++r) {
      if (!v[r].is_array() || static_cast<Eigen::Index>(v[r].size()) != cols) {
        return error(std::string("\"") + key + "\"[" + std::to_string(r) + "] must have " +
                     std::to_string(cols) + " values (in)");
      }
      for (Eigen::Index c = 0; c < cols; ++c) {
        if (Status s = number(v[r][c], r, c); !s.is_ok()) return s;
      }
    }
    return Status::ok();
  }
};

template <class T>
Result<std::unique_ptr<Layer<T>>> layer_from_json(const Json& j, const Shape& in, const Reader& rd) {
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
    return rd.error("needs a \"type\" string");
  const std::string type = j["type"];
  const std::optional<LayerKind> kind = parse_layer_kind(type);
  if (!kind) return rd.error("unknown layer type \"" + type + "\" (" + layer_kind_names() + ")");
  switch (*kind) {
    case LayerKind::kDense: {
      auto n_in = rd.integer(j, "in", 1);
      if (!n_in) return n_in.status();
      auto n_out = rd.integer(j, "out", 1);
      if (!n_out) return n_out.status();
      if (!(in == Shape{{*n_in}})) {
        return rd.error("\"in\" is " + std::to_string(*n_in) + " but the previous output is " + in.str());
      }
      // Allocate only what the file holds: "out": 100000000 in a tiny file is an error, not 800 MB. Small
      // layers go on to the row-by-row checks below, whose messages say which row is wrong.
      std::size_t values = 0;
      if (j.contains("weight") && j["weight"].is_array()) {
        for (const Json& row : j["weight"]) values += row.is_array() ? row.size() : 1;
      }
      if (static_cast<double>(*n_in) * *n_out > std::max(static_cast<double>(values), 1e6)) {
        return rd.error("\"weight\" holds " + std::to_string(values) +
                        " values, not in x out = " + std::to_string(*n_in) + " x " + std::to_string(*n_out));
      }
      auto d = std::make_unique<Dense<T>>(*n_in, *n_out);
      if (Status s = rd.matrix(j, "weight", *n_out, *n_in, d->weight().value); !s.is_ok()) return s;
      if (Status s = rd.matrix(j, "bias", 1, *n_out, d->bias().value); !s.is_ok()) return s;
      return std::unique_ptr<Layer<T>>(std::move(d));
    }
    case LayerKind::kConv2d: {
      auto ci = rd.integer(j, "in_channels", 1);
      if (!ci) return ci.status();
      auto co = rd.integer(j, "out_channels", 1);
      if (!co) return co.status();
      auto k = rd.integer(j, "kernel", 1);
      if (!k) return k.status();
      const int stride = j.value("stride", 1), padding = j.value("padding", 0);
      if (in.dims.size() != 3 || in.dims[0] != *ci) {
        return rd.error("\"in_channels\" is " + std::to_string(*ci) + " but the previous output is " +
                        in.str());
      }
      // The declared sizes must match the weights the file holds before anything is allocated.
      if (const Json* w = j.contains("weight") ? &j["weight"] : nullptr;
          w == nullptr || !w->is_array() || static_cast<int>(w->size()) != *co || !(*w)[0].is_array() ||
          static_cast<int>((*w)[0].size()) != *ci || !(*w)[0][0].is_array() ||
          static_cast<int>((*w)[0][0].size()) != *k) {
        return rd.error("\"weight\" must be [out_channels][in_channels][k][k]");
      }
      auto c = Conv2d<T>::make(in, *co, *k, stride, padding);
      if (!c) return rd.error(c.status().message());
      const Json& w = j.contains("weight") ? j["weight"] : Json();
      // weight[co][ci][k][k] → Co × (Ci·k·k)
      if (!w.is_array() || static_cast<int>(w.size()) != *co)
        return rd.error("\"weight\" must be [out_channels][in_channels][k][k]");
      auto& wm = (*c)->weight().value;
      for (int o = 0; o < *co; ++o) {
        if (!w[o].is_array() || static_cast<int>(w[o].size()) != *ci)
          return rd.error("\"weight\"[" + std::to_string(o) + "] must have in_channels entries");
        for (int ch = 0; ch < *ci; ++ch) {
          const Json& kk = w[o][ch];
          if (!kk.is_array() || static_cast<int>(kk.size()) != *k)
            return rd.error("\"weight\" kernels must be k × k");
          for (int ky = 0; ky < *k; ++ky) {
            if (!kk[ky].is_array() || static_cast<int>(kk[ky].size()) != *k)
              return rd.error("\"weight\" kernels must be k × k");
            for (int kx = 0; kx < *k; ++kx) {
              if (!kk[ky][kx].is_number()) return rd.error("\"weight\" has a value that is not a number");
              wm(o, (ch * *k + ky) * *k + kx) = static_cast<T>(kk[ky][kx].get<double>());
            }
          }
        }
      }
      if (Status s = rd.matrix(j, "bias", 1, *co, (*c)->bias().value); !s.is_ok()) return s;
      return std::unique_ptr<Layer<T>>(std::move(*c));
    }
    case LayerKind::kMaxPool2d: {
      auto p = MaxPool2d<T>::make(in, j.value("size", 2));
      if (!p) return rd.error(p.status().message());
      return std::unique_ptr<Layer<T>>(std::move(*p));
    }
    case LayerKind::kDropout: {
      auto d = Dropout<T>::make(in, j.value("p", 0.5));
      if (!d) return rd.error(d.status().message());
      return std::unique_ptr<Layer<T>>(std::move(*d));
    }
    case LayerKind::kFlatten: return std::unique_ptr<Layer<T>>(std::make_unique<Flatten<T>>(in));
    case LayerKind::kActivation: {
      if (!j.contains("name") || !j["name"].is_string())
        return rd.error("needs a \"name\" (catalog name or formula)");
      std::map<std::string, double> params;
      if (j.contains("params")) {
        if (!j["params"].is_object()) return rd.error("\"params\" must be an object of numbers");
        for (const auto& [k, v] : j["params"].items()) params[k] = json_to_double(v);
      }
      auto act = activations::Activation::make(j["name"].get<std::string>(), params);
      if (!act) return rd.error(act.status().message());
      auto a = ActivationLayer<T>::make(*act, in);
      if (!a) return rd.error(a.status().message());
      return std::unique_ptr<Layer<T>>(std::move(*a));
    }
  }
  return Status::internal("layer kind " + type + " has no reader");
}

}  // namespace

namespace {

template <class T>
Result<Model<T>> read_model_json(const Json& j, const std::string& origin) {
  Reader top{origin};
  if (!j.is_object() || j.value("format", "") != "actlab-model") {
    return top.error("not an actlab model (needs \"format\": \"actlab-model\")");
  }
  if (j.value("version", 0) != 1) return top.error("unsupported model version (this actlab reads version 1)");
  if (!j.contains("input_shape") || !j["input_shape"].is_array() || j["input_shape"].empty()) {
    return top.error("needs \"input_shape\", e.g. [784] or [1, 28, 28]");
  }
  Shape input;
  double input_size = 1;
  for (const Json& d : j["input_shape"]) {
    if (!d.is_number_integer() || d.get<long long>() < 1 || d.get<long long>() > 100'000'000)
      return top.error("\"input_shape\" must hold positive integers");
    input.dims.push_back(d.get<int>());
    input_size *= d.get<double>();
  }
  if (input_size > 1e8) return top.error("\"input_shape\" exceeds the limit of 100000000 values per sample");
  if (!j.contains("layers") || !j["layers"].is_array()) return top.error("needs a \"layers\" list");
  Model<T> m(input);
  for (std::size_t i = 0; i < j["layers"].size(); ++i) {
    const Json& lj = j["layers"][i];
    Reader rd{origin + ": layers[" + std::to_string(i) + "]" +
              (lj.is_object() && lj.contains("type") && lj["type"].is_string()
                   ? " (" + lj["type"].get<std::string>() + ")"
                   : "")};
    auto layer = layer_from_json<T>(lj, m.output_shape(), rd);
    if (!layer) return layer.status();
    if (Status s = m.add(std::move(*layer)); !s.is_ok()) return rd.error(s.message());
  }
  if (j.contains("standardize")) {
    const Json& z = j["standardize"];
    const auto n = static_cast<std::size_t>(input.size());
    if (!z.is_object() || !z.contains("mean") || !z.contains("scale") || !z["mean"].is_array() ||
        !z["scale"].is_array() || z["mean"].size() != n || z["scale"].size() != n) {
      return top.error("\"standardize\" must hold mean and scale lists of " + std::to_string(n) + " values");
    }
    InputScaling s{RowVectorF(static_cast<Eigen::Index>(n)), RowVectorF(static_cast<Eigen::Index>(n))};
    for (std::size_t i = 0; i < n; ++i) {
      if (!z["mean"][i].is_number() || !z["scale"][i].is_number() || !(z["scale"][i].get<double>() != 0)) {
        return top.error("\"standardize\" needs numbers, and non-zero scales");
      }
      s.mean[static_cast<Eigen::Index>(i)] = z["mean"][i].get<float>();
      s.scale[static_cast<Eigen::Index>(i)] = z["scale"][i].get<float>();
    }
    m.set_input_scaling(std::move(s));
  }
  return m;
}

}  // namespace

template <class T>
Result<Model<T>> model_from_json(const Json& j, const std::string& origin) {
  // The readers check every type they rely on; a value of a type they did not expect ("stride": "two",
  // "version": "1") still ends here as a located error instead of an escaped exception.
  try {
    return read_model_json<T>(j, origin);
  } catch (const Json::exception& e) {
    return Status::invalid(origin + ": " + e.what());
  }
}

Result<Model<float>> load_model(const std::string& path) {
  auto read = read_file_bounded(path, kMaxTextFileBytes);
  if (!read) {
    if (read.status().code() == StatusCode::kInvalidArgument) return read.status();
    return Status::not_found(path + ": cannot open the model file");
  }
  const std::string text = std::move(*read);
  Json j;
  std::size_t byte = 0;
  try {
    j = Json::parse(text);
  } catch (const Json::parse_error& e) {  // nlohmann reports the byte where it gave up: name its line:col
    byte = e.byte > 0 ? e.byte - 1 : 0;
    j = Json::value_t::discarded;
  }
  if (j.is_discarded()) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return Status::invalid(path + ":" + std::to_string(line) + ":" + std::to_string(col) +
                           ": malformed JSON");
  }
  return model_from_json<float>(j, path);
}

Status save_model(const Model<float>& model, const std::string& path) {
  if (Status s = write_file_atomic(path, json_dump(model.to_json(), /*pretty=*/false) + "\n"); !s) {
    return Status::io_error(s.message() + ": cannot write the model file");
  }
  return Status::ok();
}

template class Model<float>;
template class Model<double>;
template Result<Model<float>> model_from_json(const Json&, const std::string&);
template Result<Model<double>> model_from_json(const Json&, const std::string&);

}  // namespace actlab::nn
