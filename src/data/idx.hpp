// IDX files (the MNIST / Fashion-MNIST / KMNIST format), plain or gzip, → Dataset.
//
//   auto ds = data::read_idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
//   auto fm = data::read_idx_dir("/usr/share/datasets/fashion-mnist");   // train rows, then t10k rows
//   fm->test_start;   // 60000: rows [60000, 70000) are the t10k test set
//
// Format (http://yann.lecun.com/exdb/mnist/): a 4-byte magic 00 00 T D (T the element type, D the number of
// dimensions), D big-endian uint32 sizes, then the elements in row-major order, big-endian.
// T: 08 uint8, 09 int8, 0B int16, 0C int32, 0D float32, 0E float64. Image elements of type uint8 are scaled
// to [0, 1] (v / 255); other types are taken as they are. Labels must be integers ≥ 0 in one dimension.
// An image file of D = 3 (n, H, W) gives input_shape {1, H, W}; D = 4 (n, C, H, W) gives {C, H, W};
// D = 2 (n, d) gives {d}. Errors name the file and the byte offset or dimension that is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "data/dataset.hpp"

namespace actlab::data {

// One IDX array, decoded to float (uint8 not yet scaled).
struct IdxArray {
  std::uint8_t type = 0x08;
  std::vector<std::uint32_t> dims;
  std::vector<float> values;
};

// Parses IDX bytes (already inflated); `file` names the source in messages.
Result<IdxArray> parse_idx(std::string_view bytes, const std::string& file);

// Encodes an array as IDX bytes (for tests and for writing small data sets); values are cast to `type`.
std::string encode_idx(const IdxArray& array);

// Images + labels → a classification Dataset with classes "0".."max label".
Result<Dataset> read_idx(const std::string& images_path, const std::string& labels_path);

// A directory with train-images-idx3-ubyte, train-labels-idx1-ubyte and optionally the t10k-… pair, each
// possibly with a .gz suffix (the "train-images.idx3-ubyte" spelling also works). The t10k rows are appended
// after the training rows and test_start marks where they begin.
Result<Dataset> read_idx_dir(const std::string& dir);

}  // namespace actlab::data
