// SQLite specifics: WAL journal, read-only and foreign files refused with a clear message, a lock held past
// the busy timeout reported as such.
#include "search/sqlite_storage.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace actlab::search {
namespace {

class SqliteStorage : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/actlab_sqlite_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/s.db";
  }
  void TearDown() override {
    (void)std::system(("chmod -R u+w '" + dir_ + "'; rm -rf '" + dir_ + "'").c_str());
  }
  std::string dir_, path_;
};

TEST_F(SqliteStorage, UsesWal) {
  auto conn = open_sqlite(path_, 1000, OpenMode::kCreate, "sqlite://" + path_);
  ASSERT_TRUE(conn);
  auto rows = (*conn)->query("PRAGMA journal_mode", {});
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0][0], "wal");
}

TEST_F(SqliteStorage, ReadOnlyFileIsRefusedForWriting) {
  ASSERT_TRUE(open_storage("sqlite://" + path_, OpenMode::kCreate));
  chmod(path_.c_str(), 0444);
  if (access(path_.c_str(), W_OK) == 0) GTEST_SKIP() << "running as root: permissions do not bind";
  auto st = open_storage("sqlite://" + path_, OpenMode::kReadWrite);
  ASSERT_FALSE(st);
  EXPECT_NE(st.status().message().find("read-only"), std::string::npos);
  EXPECT_TRUE(open_storage("sqlite://" + path_, OpenMode::kReadOnly));
}

TEST_F(SqliteStorage, ForeignFileIsRefused) {
  FILE* f = std::fopen(path_.c_str(), "w");
  std::fputs("this is not a database, just some text that is long enough to look like a header......\n", f);
  std::fclose(f);
  auto st = open_storage("sqlite://" + path_, OpenMode::kReadWrite);
  ASSERT_FALSE(st);
  EXPECT_NE(st.status().message().find("not an actlab SQLite database"), std::string::npos)
      << st.status().message();
}

TEST_F(SqliteStorage, LockHeldPastTheTimeoutIsReported) {
  auto storage = open_storage("sqlite://" + path_, OpenMode::kCreate);
  ASSERT_TRUE(storage);
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto st = open_storage("sqlite://" + path_ + "?busy_timeout_ms=200", OpenMode::kReadWrite);
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  ASSERT_FALSE(st);
  EXPECT_NE(st.status().message().find("busy timeout"), std::string::npos) << st.status().message();
}

}  // namespace
}  // namespace actlab::search
