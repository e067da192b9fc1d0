// write_file_atomic: complete or untouched, on a real full file system (a 64 KiB tmpfs) where we may mount
// one, and on /dev/full (every write fails with ENOSPC). read_file_bounded: stops at its limit, even on
// /dev/zero.
#include "core/file_io.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/temp_dir.hpp"

namespace actlab {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

// Files in `dir` other than `keep` (leftover temporaries).
int other_files(const fs::path& dir, const std::string& keep) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().filename() != keep;
  return n;
}

TEST(FileIo, WritesAndReplacesWholeFiles) {
  TempDir dir;
  const std::string path = dir / "out.json";
  ASSERT_TRUE(write_file_atomic(path, "first\n").is_ok());
  EXPECT_EQ(slurp(path), "first\n");
  ASSERT_TRUE(write_file_atomic(path, "second, longer\n").is_ok());
  EXPECT_EQ(slurp(path), "second, longer\n");
  ASSERT_TRUE(write_file_atomic(path, "").is_ok());  // an empty text is a valid file
  EXPECT_EQ(slurp(path), "");
  EXPECT_EQ(other_files(dir.path(), "out.json"), 0);
  // Permissions as a plain open() gives them (0666 less the umask), not mkstemp's 0600.
  const auto perms = fs::status(path).permissions();
  EXPECT_NE(perms & fs::perms::owner_read, fs::perms::none);
  const mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(static_cast<unsigned>(perms) & 0777u, 0666u & ~static_cast<unsigned>(mask));
}

TEST(FileIo, MissingDirectoryFailsWithTheReason) {
  TempDir dir;
  const Status s = write_file_atomic(dir / "no/such/dir/out.json", "x");
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("No such file or directory"), std::string::npos) << s.message();
  EXPECT_FALSE(write_file_atomic(dir.path().string(), "x").is_ok());  // a directory is no output file
}

TEST(FileIo, DevFullFailsInPlaceAndStaysADevice) {
  // /dev/full exists and is not a regular file: written in place, and the ENOSPC of the write is reported.
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const Status s = write_file_atomic("/dev/full", std::string(10000, 'x'));
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.message();
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
}

TEST(FileIo, FullFileSystemLeavesTheOldFileAndNoTemporary) {
  TempDir dir;
  const fs::path mnt = dir.path() / "small";
  fs::create_directory(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=64k") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (needs root); DevFullFailsInPlace covers the write error";
  }
  struct Unmount {
    fs::path p;
    ~Unmount() { ::umount(p.c_str()); }
  } unmount{mnt};
  const std::string path = (mnt / "model.json").string();
  ASSERT_TRUE(write_file_atomic(path, "old\n").is_ok());
  const Status s = write_file_atomic(path, std::string(1 << 20, 'x'));  // 1 MiB into 64 KiB
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.message();
  EXPECT_EQ(slurp(path), "old\n");
  EXPECT_EQ(other_files(mnt, "model.json"), 0);
  // A new file that does not fit is not created at all.
  EXPECT_FALSE(write_file_atomic((mnt / "new.json").string(), std::string(1 << 20, 'x')).is_ok());
  EXPECT_FALSE(fs::exists(mnt / "new.json"));
}

TEST(FileIo, ReadStopsAtTheLimit) {
  TempDir dir;
  const std::string path = dir / "a.txt";
  ASSERT_TRUE(write_file_atomic(path, "hello").is_ok());
  auto ok = read_file_bounded(path, 5);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, "hello");
  auto over = read_file_bounded(path, 4);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.status().message(), path + ": larger than the limit of 4 bytes");
  auto zero = read_file_bounded("/dev/zero", 1 << 20);  // endless: ends at the limit
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.status().message().find("limit of 1048576 bytes"), std::string::npos);
  EXPECT_EQ(read_file_bounded(dir / "missing", 10).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace actlab
