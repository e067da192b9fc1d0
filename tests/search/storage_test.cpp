// open_storage(): URL forms and their errors, password masking, and "nothing written" for bad input.
#include "search/storage.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace actlab::search {
namespace {

TEST(Storage, MasksPasswords) {
  EXPECT_EQ(mask_password("postgresql://me:secret@host:5432/db"), "postgresql://me:***@host:5432/db");
  EXPECT_EQ(mask_password("postgresql://me@host/db"), "postgresql://me@host/db");
  EXPECT_EQ(mask_password("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
  // Issue 18: a password in the query string (libpq reads it there too) was printed as it was.
  EXPECT_EQ(mask_password("postgresql://me@host/db?password=secret"), "postgresql://me@host/db?password=***");
  EXPECT_EQ(mask_password("postgresql://me@host/db?sslmode=require&password=s3&x=1"),
            "postgresql://me@host/db?sslmode=require&password=***&x=1");
  EXPECT_EQ(mask_password("postgresql://me:a@host/db?password=b"),
            "postgresql://me:***@host/db?password=***");
  auto down = open_storage("postgresql://me@127.0.0.1:1/db?password=hunter2", OpenMode::kReadWrite);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.status().message().find("hunter2"), std::string::npos) << down.status().message();
  EXPECT_NE(down.status().message().find("password=***"), std::string::npos) << down.status().message();
}

TEST(Storage, RejectsMalformedUrls) {
  for (const char* url : {"mysql://x/y", "/tmp/x.db", "sqlite://relative.db", "sqlite:///tmp/x.db?wal=1"}) {
    auto st = open_storage(url, OpenMode::kCreate);
    ASSERT_FALSE(st) << url;
    EXPECT_TRUE(st.status().is_bad_input()) << url << ": " << st.status().message();
    EXPECT_EQ(st.status().field(), "storage") << url;
    EXPECT_EQ(st.status().message().rfind("storage: ", 0), 0u) << st.status().message();
  }
  auto pg = open_storage("postgresql://me:secret@[::1", OpenMode::kReadWrite);
  ASSERT_FALSE(pg);
  EXPECT_EQ(pg.status().message().find("secret"), std::string::npos) << pg.status().message();
}

TEST(Storage, MissingFileIsNotCreatedUnlessAsked) {
  const std::string path = "/tmp/actlab_missing_" + std::to_string(getpid()) + ".db";
  auto st = open_storage("sqlite://" + path, OpenMode::kReadWrite);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.status().code(), StatusCode::kNotFound);
  EXPECT_NE(access(path.c_str(), F_OK), 0) << "the file was created";
  auto created = open_storage("sqlite://" + path, OpenMode::kCreate);
  ASSERT_TRUE(created) << created.status().message();
  created->reset();
  EXPECT_TRUE(open_storage("sqlite://" + path, OpenMode::kReadOnly));
  unlink(path.c_str());
  unlink((path + "-wal").c_str());
  unlink((path + "-shm").c_str());
}

}  // namespace
}  // namespace actlab::search
