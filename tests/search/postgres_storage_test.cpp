// PostgreSQL specifics: statements are server-side prepared, malformed and unreachable URLs give clear errors
// that never show a password, read-only mode writes nothing.
#include "search/postgres_storage.hpp"

#include <gtest/gtest.h>

#include "support/pg_cluster.hpp"

namespace actlab::search {
namespace {

TEST(PostgresStorage, StatementsArePrepared) {
  const auto& pg = testing::pg_cluster();
  ASSERT_TRUE(pg.error.empty()) << pg.error;
  auto conn = open_postgres(pg.url, OpenMode::kReadWrite);
  ASSERT_TRUE(conn) << conn.status().message();
  ASSERT_TRUE((*conn)->query("SELECT $1::bigint + 1", {std::int64_t{41}}));
  auto rows = (*conn)->query("SELECT COUNT(*) FROM pg_prepared_statements WHERE NOT from_sql", {});
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0][0], "2");  // both statements above went through PQprepare
}

TEST(PostgresStorage, ReadOnlyModeWritesNothing) {
  const auto& pg = testing::pg_cluster();
  ASSERT_TRUE(pg.error.empty()) << pg.error;
  ASSERT_TRUE(open_storage(pg.url, OpenMode::kCreate));
  auto conn = open_postgres(pg.url, OpenMode::kReadOnly);
  ASSERT_TRUE(conn);
  auto w = (*conn)->query("INSERT INTO actlab_schema (version) VALUES (5)", {});
  ASSERT_FALSE(w);
  EXPECT_NE(w.status().message().find("read-only"), std::string::npos);
}

TEST(PostgresStorage, UnreachableAndMalformedUrls) {
  auto down = open_postgres("postgresql://me:hunter2@127.0.0.1:1/db", OpenMode::kReadWrite);
  ASSERT_FALSE(down);
  EXPECT_NE(down.status().message().find("cannot connect to postgresql://me:***@127.0.0.1:1/db"),
            std::string::npos)
      << down.status().message();
  EXPECT_EQ(down.status().message().find("hunter2"), std::string::npos);
  auto bad = open_postgres("postgresql://me@host:notaport/db", OpenMode::kReadWrite);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.status().is_bad_input() || bad.status().code() == StatusCode::kIoError);
}

}  // namespace
}  // namespace actlab::search
