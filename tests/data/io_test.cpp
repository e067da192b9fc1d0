// data/io: whole-file and streamed reads, plain and gzip, and their errors.
#include "data/io.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "support/temp_dir.hpp"

namespace actlab::data {
namespace {

using testing::TempDir;

std::string sample_bytes(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 2654435761u) >> 13);
  return s;
}

TEST(Io, PlainAndGzipRoundTrip) {
  TempDir dir;
  const std::string bytes = sample_bytes(300000);
  ASSERT_TRUE(write_file(dir / "plain.bin", bytes).is_ok());
  ASSERT_TRUE(write_file(dir / "packed.bin.gz", bytes, {.gzip = true}).is_ok());
  auto plain = read_file(dir / "plain.bin");
  auto packed = read_file(dir / "packed.bin.gz");
  ASSERT_TRUE(plain) << plain.status().message();
  ASSERT_TRUE(packed) << packed.status().message();
  EXPECT_EQ(*plain, bytes);
  EXPECT_EQ(*packed, bytes);
  EXPECT_FALSE(is_gzip(bytes.substr(0, 1)));
}

TEST(Io, GzipIsDetectedByMagicNotByName) {
  TempDir dir;
  ASSERT_TRUE(write_file(dir / "looks-plain.txt", "hello\n", {.gzip = true}).is_ok());
  ASSERT_TRUE(write_file(dir / "looks-packed.gz", "hello\n").is_ok());
  EXPECT_EQ(*read_file(dir / "looks-plain.txt"), "hello\n");
  EXPECT_EQ(*read_file(dir / "looks-packed.gz"), "hello\n");
  EXPECT_TRUE(is_gzip("\x1f\x8b\x08"));
}

TEST(Io, EmptyFileReadsAsEmpty) {
  TempDir dir;
  ASSERT_TRUE(write_file(dir / "empty", "").is_ok());
  auto r = read_file(dir / "empty");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(Io, StreamedReadsDeliverEveryByteAndCountOffsets) {
  TempDir dir;
  const std::string bytes = sample_bytes(100000);
  ASSERT_TRUE(write_file(dir / "s.gz", bytes, {.gzip = true}).is_ok());
  auto in = Reader::open(dir / "s.gz");
  ASSERT_TRUE(in);
  std::string got;
  char buf[4093];
  for (;;) {
    auto n = in->read(buf, sizeof buf);
    ASSERT_TRUE(n);
    got.append(buf, *n);
    if (*n < sizeof buf) break;
  }
  EXPECT_EQ(got, bytes);
  EXPECT_EQ(in->offset(), bytes.size());

  Reader mem = Reader::from_memory(bytes, "mem");
  auto n = mem.read(buf, 10);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 10u);
  EXPECT_EQ(std::string(buf, 10), bytes.substr(0, 10));
  EXPECT_EQ(mem.offset(), 10u);
}

TEST(Io, MissingFileIsNotFound) {
  auto r = read_file("/nonexistent/actlab/file.csv");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/actlab/file.csv: no such file"), std::string::npos);
}

TEST(Io, TruncatedGzipIsAnErrorNamingTheFile) {
  TempDir dir;
  const std::string bytes = sample_bytes(200000);
  ASSERT_TRUE(write_file(dir / "full.gz", bytes, {.gzip = true}).is_ok());
  auto packed = read_file(dir / "full.gz");
  ASSERT_TRUE(packed);
  // Re-read the compressed bytes themselves and cut them in half.
  std::string compressed;
  {
    std::ifstream f(dir / "full.gz", std::ios::binary);
    compressed.assign(std::istreambuf_iterator<char>(f), {});
  }
  ASSERT_TRUE(write_file(dir / "cut.gz", compressed.substr(0, compressed.size() / 2)).is_ok());
  auto r = read_file(dir / "cut.gz");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("cut.gz: truncated gzip data"), std::string::npos)
      << r.status().message();
}

// Issue 17: /dev/zero as --data filled the memory; a gzip bomb the same. Reads stop at kMaxTextFileBytes.
TEST(Io, EndlessInputStopsAtTheLimit) {
  auto r = read_file("/dev/zero");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_EQ(r.status().message(),
            "/dev/zero: larger than the limit of 1073741824 bytes (after decompression)");
}

}  // namespace
}  // namespace actlab::data
