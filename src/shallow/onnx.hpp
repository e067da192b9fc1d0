// ONNX import of multilayer perceptrons as torch.onnx.export writes them: Gemm, MatMul + Add, Relu, Flatten
// (and Identity/Dropout, which are identities at inference) in one chain from the graph input to its output.
//
//   auto net = load_onnx("mlp.onnx");        // DeepReluNet; consecutive affine nodes are composed
//   // error example: "mlp.onnx: node 'Conv_0' (op Conv) is not supported; supported: Gemm, MatMul, Add, ..."
//
// The reader is a minimal protocol-buffers decoder (varints, length-delimited fields, fixed32/64) over the
// fields of onnx.proto3 it needs: ModelProto.graph(7); GraphProto.node(1), initializer(5), input(11),
// output(12); NodeProto.input(1), output(2), name(3), op_type(4), attribute(5); AttributeProto.name(1), f(2),
// i(3); TensorProto.dims(1), data_type(2), float_data(4), name(8), raw_data(9), double_data(10);
// ValueInfoProto.name(1), type(2) → tensor_type(1) → shape(2) → dim(1) → dim_value(1). Why not Debian's
// libonnx-dev/protobuf: these ~250 lines replace a generated-code build step and two system libraries for
// a fixed, tiny subset of the format, and unknown fields are skipped by wire type, so newer files still load.
// External tensor data (data_location = EXTERNAL) is not supported.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shallow/deep_net.hpp"

namespace actlab::shallow {

Result<DeepReluNet> load_onnx(const std::string& path);
// The same from the bytes of a .onnx file; `origin` names it in messages.
Result<DeepReluNet> parse_onnx(const std::vector<std::uint8_t>& bytes, const std::string& origin);

}  // namespace actlab::shallow
