// data/idx: encode/parse round trips, gzip files written here, directories with a t10k test part, header
// and size errors with byte offsets, and the real Fashion-MNIST files (Debian dataset-fashion-mnist).
#include "data/idx.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "data/builtin.hpp"
#include "data/io.hpp"
#include "support/temp_dir.hpp"

namespace actlab::data {
namespace {

using testing::TempDir;

IdxArray images(std::uint32_t n, std::uint32_t h, std::uint32_t w, int offset = 0) {
  IdxArray a;
  a.type = 0x08;
  a.dims = {n, h, w};
  for (std::uint32_t i = 0; i < n * h * w; ++i)
    a.values.push_back(static_cast<float>((i * 37 + offset) % 256));
  return a;
}

IdxArray labels(std::vector<float> v) {
  IdxArray a;
  a.type = 0x08;
  a.dims = {static_cast<std::uint32_t>(v.size())};
  a.values = std::move(v);
  return a;
}

std::string error_of(std::string_view bytes) {
  auto r = parse_idx(bytes, "f.idx");
  EXPECT_FALSE(r);
  return r ? std::string() : r.status().message();
}

TEST(Idx, EncodeParseRoundTripForEveryElementType) {
  for (std::uint8_t type : {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E}) {
    IdxArray a;
    a.type = type;
    a.dims = {2, 3};
    a.values = {0, 1, 2, 3, 100, 127};
    if (type != 0x08) a.values[1] = -5;
    if (type == 0x0D || type == 0x0E) a.values[2] = 0.375f;
    const std::string bytes = encode_idx(a);
    EXPECT_EQ(bytes.size(), 4 + 8 +
                                6 * static_cast<std::size_t>(type == 0x0B                   ? 2
                                                             : type == 0x0C || type == 0x0D ? 4
                                                             : type == 0x0E                 ? 8
                                                                                            : 1));
    auto b = parse_idx(bytes, "mem");
    ASSERT_TRUE(b) << b.status().message();
    EXPECT_EQ(b->type, type);
    EXPECT_EQ(b->dims, a.dims);
    EXPECT_EQ(b->values, a.values) << "type " << int(type);
  }
  // The header is big-endian: 60000 = 0x0000EA60.
  IdxArray big = labels({});
  big.dims = {60000};
  big.values.assign(60000, 1);
  const std::string bytes = encode_idx(big);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x00\x00\x08\x01\x00\x00\xEA\x60", 8));
}

TEST(Idx, GzipFilesRoundTripIntoADataset) {
  TempDir dir;
  const IdxArray im = images(5, 4, 3);
  ASSERT_TRUE(write_file(dir / "im.gz", encode_idx(im), {.gzip = true}).is_ok());
  ASSERT_TRUE(write_file(dir / "lb.gz", encode_idx(labels({3, 0, 1, 3, 2})), {.gzip = true}).is_ok());
  auto ds = read_idx(dir / "im.gz", dir / "lb.gz");
  ASSERT_TRUE(ds) << ds.status().message();
  EXPECT_EQ(ds->rows(), 5u);
  EXPECT_EQ(ds->features(), 12u);
  EXPECT_EQ(ds->input_shape, (std::vector<int>{1, 4, 3}));
  EXPECT_EQ(ds->labels, (std::vector<int>{3, 0, 1, 3, 2}));
  EXPECT_EQ(ds->class_names, (std::vector<std::string>{"0", "1", "2", "3"}));
  for (int i = 0; i < 60; ++i) {
    EXPECT_FLOAT_EQ(ds->x.data()[i], im.values[static_cast<std::size_t>(i)] / 255.0f) << i;
  }
  EXPECT_FALSE(ds->test_start.has_value());
}

TEST(Idx, DirectoryAppendsTheTestFilesAfterTheTrainingFiles) {
  TempDir dir;
  ASSERT_TRUE(
      write_file(dir / "train-images-idx3-ubyte.gz", encode_idx(images(4, 2, 2)), {.gzip = true}).is_ok());
  ASSERT_TRUE(write_file(dir / "train-labels-idx1-ubyte.gz", encode_idx(labels({0, 1, 1, 0})), {.gzip = true})
                  .is_ok());
  ASSERT_TRUE(write_file(dir / "t10k-images-idx3-ubyte", encode_idx(images(2, 2, 2, 9))).is_ok());
  ASSERT_TRUE(write_file(dir / "t10k-labels-idx1-ubyte", encode_idx(labels({1, 1}))).is_ok());
  auto ds = read_idx_dir(dir.path().string());
  ASSERT_TRUE(ds) << ds.status().message();
  EXPECT_EQ(ds->rows(), 6u);
  EXPECT_EQ(ds->test_start, 4u);
  EXPECT_EQ(ds->labels, (std::vector<int>{0, 1, 1, 0, 1, 1}));
  EXPECT_FLOAT_EQ(ds->x(4, 0), images(2, 2, 2, 9).values[0] / 255.0f);

  TempDir empty;
  auto none = read_idx_dir(empty.path().string());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
}

TEST(Idx, HeaderErrorsNameTheByte) {
  EXPECT_EQ(error_of(std::string("\x00\x00", 2)),
            "f.idx: truncated IDX header: the file has 2 bytes, the magic number alone needs 4");
  EXPECT_EQ(error_of("GIF89a.."),
            "f.idx: not an IDX file: magic 0x47494638 at byte 0 (expected 00 00 <type> <dimensions>)");
  EXPECT_EQ(error_of(std::string("\x00\x00\x07\x01\x00\x00\x00\x01", 8)),
            "f.idx: unknown IDX element type 0x07 at byte 2 (expected 08, 09, 0b, 0c, 0d or 0e)");
  EXPECT_EQ(error_of(std::string("\x00\x00\x08\x03\x00\x00\x00\x01\x00", 9)),
            "f.idx: truncated IDX header: 3 dimensions need 16 header bytes, the file has 9");
}

TEST(Idx, TruncatedAndMisSizedFilesNameTheDimensionsAndOffsets) {
  std::string bytes = encode_idx(images(3, 2, 2));  // 16 header bytes + 12
  EXPECT_EQ(error_of(std::string_view(bytes).substr(0, 20)),
            "f.idx: truncated IDX data: dimensions 3x2x2 need 28 bytes, the file ends at byte 20");
  EXPECT_EQ(error_of(bytes + "abc"),
            "f.idx: mis-sized IDX file: dimensions 3x2x2 end the data at byte 28, the file has 3 more bytes");
  // The same checks through a truncated gzip file on disk.
  TempDir dir;
  ASSERT_TRUE(write_file(dir / "im", bytes.substr(0, 27), {.gzip = true}).is_ok());
  ASSERT_TRUE(write_file(dir / "lb", encode_idx(labels({0, 1, 2}))).is_ok());
  auto r = read_idx(dir / "im", dir / "lb");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(),
            dir / "im" + ": truncated IDX data: dimensions 3x2x2 need 28 bytes, the file ends at byte 27");
}

TEST(Idx, LabelsMustMatchTheImages) {
  TempDir dir;
  ASSERT_TRUE(write_file(dir / "im", encode_idx(images(3, 2, 2))).is_ok());
  ASSERT_TRUE(write_file(dir / "lb2", encode_idx(labels({0, 1}))).is_ok());
  auto r = read_idx(dir / "im", dir / "lb2");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(),
            dir / "lb2" + ": 2 labels (dimension 0), but " + dir / "im" + " has 3 images (dimension 0)");
  IdxArray neg = labels({0, -1, 2});
  neg.type = 0x09;
  ASSERT_TRUE(write_file(dir / "neg", encode_idx(neg)).is_ok());
  r = read_idx(dir / "im", dir / "neg");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(), dir / "neg" + ": label -1 at byte 9 is not a class index");
}

// The real files. The first training label is byte 8 of train-labels-idx1-ubyte (after the 8-byte header).
TEST(Idx, FashionMnistLoadsFastAndMatchesItsFiles) {
  const std::string dir = kFashionMnistDir;
  const auto t0 = std::chrono::steady_clock::now();
  auto ds = read_idx_dir(dir);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(ds) << ds.status().message();
  std::printf("fashion-mnist: 70000 x 784 loaded in %.3f s\n", seconds);
  EXPECT_EQ(ds->rows(), 70000u);
  EXPECT_EQ(ds->features(), 784u);
  EXPECT_EQ(ds->input_shape, (std::vector<int>{1, 28, 28}));
  EXPECT_EQ(ds->classes(), 10);
  EXPECT_EQ(ds->test_start, 60000u);
  auto train_labels = read_file(dir + "/train-labels-idx1-ubyte.gz");
  auto test_labels = read_file(dir + "/t10k-labels-idx1-ubyte.gz");
  ASSERT_TRUE(train_labels && test_labels);
  ASSERT_EQ(train_labels->size(), 60008u);
  EXPECT_EQ(ds->labels[0], static_cast<unsigned char>((*train_labels)[8]));
  EXPECT_EQ(ds->labels[0], 9);  // an ankle boot
  EXPECT_EQ(ds->labels[60000], static_cast<unsigned char>((*test_labels)[8]));
  EXPECT_EQ(ds->labels[69999], static_cast<unsigned char>((*test_labels)[10007]));
  std::vector<int> train_counts(10), test_counts(10);
  for (std::size_t i = 0; i < 70000; ++i)
    ++(i < 60000 ? train_counts : test_counts)[static_cast<std::size_t>(ds->labels[i])];
  EXPECT_EQ(train_counts, std::vector<int>(10, 6000));
  EXPECT_EQ(test_counts, std::vector<int>(10, 1000));
  // std::minmax_element, not Eigen's minCoeff(): the latter trips a false g++ 12 warning in AVX-512 headers.
  const auto [lo, hi] = std::minmax_element(ds->x.data(), ds->x.data() + ds->x.size());
  EXPECT_EQ(*lo, 0.0f);
  EXPECT_EQ(*hi, 1.0f);
  EXPECT_LT(seconds, 5.0) << "a full load should take well under a second on an idle machine";
}

// Issue 17: a 9-byte header claiming 2^40 elements zero-filled 1.4 GB before noticing the file was short; the
// declared size is now checked against the bytes that can follow, before anything is allocated.
TEST(Idx, HugeDeclaredSizesFailBeforeAllocating) {
  // 1 dimension of 2^32 - 1 bytes, then nothing.
  EXPECT_EQ(
      error_of(std::string("\x00\x00\x08\x01\xff\xff\xff\xff", 8)),
      "f.idx: truncated IDX data: dimensions 4294967295 need 4294967303 bytes, the file ends at byte 8");
  // 3 dimensions 2^16 x 2^16 x 2^8 = 2^40 floats.
  EXPECT_EQ(
      error_of(std::string("\x00\x00\x0d\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x01\x00", 16)),
      "f.idx: truncated IDX data: dimensions 65536x65536x256 need 4398046511120 bytes, the file ends at "
      "byte 16");
  TempDir dir;
  // The same tiny header as a file, plain and gzip-compressed: the file-size checks of the loader.
  const std::string header("\x00\x00\x08\x03\x00\x00\x10\x00\x00\x00\x10\x00\x00\x00\x10\x00", 16);
  ASSERT_TRUE(write_file(dir / "train-images-idx3-ubyte", header).is_ok());
  ASSERT_TRUE(write_file(dir / "train-labels-idx1-ubyte", std::string("\x00\x00\x08\x01\x00\x00\x10\x00", 8))
                  .is_ok());
  auto plain = read_idx(dir / "train-images-idx3-ubyte", dir / "train-labels-idx1-ubyte");
  ASSERT_FALSE(plain);
  EXPECT_NE(plain.status().message().find("need 68719476752 bytes, the file ends at byte 16"),
            std::string::npos)
      << plain.status().message();
  ASSERT_TRUE(write_file(dir / "train-images-idx3-ubyte", header, {.gzip = true}).is_ok());
  auto packed = read_idx(dir / "train-images-idx3-ubyte", dir / "train-labels-idx1-ubyte");
  ASSERT_FALSE(packed);
  EXPECT_NE(packed.status().message().find("more than a gzip file of"), std::string::npos)
      << packed.status().message();
}

}  // namespace
}  // namespace actlab::data
