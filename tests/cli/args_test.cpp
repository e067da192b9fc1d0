#include "cli/args.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace actlab::cli {
namespace {

TEST(Args, Numbers) {
  EXPECT_EQ(*parse_number("--x", "2.5"), 2.5);
  EXPECT_EQ(*parse_number("--x", "+3"), 3.0);
  EXPECT_EQ(*parse_number("--x", "-1e-3"), -1e-3);
  EXPECT_EQ(parse_number("--x", "2.5x").status().message(), "--x: '2.5x' is not a number");
  EXPECT_FALSE(parse_number("--x", ""));
}

TEST(Args, Params) {
  auto p = parse_params({"p=3", "beta=-0.5"});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->at("p"), 3.0);
  EXPECT_EQ(p->at("beta"), -0.5);
  EXPECT_EQ(parse_params({"p=1", "p=2"}).status().message(), "--param p: given twice");
  EXPECT_EQ(parse_params({"=1"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parse_params({"p=inf"}).status().message(), "--param p: the value must be finite");
}

TEST(Args, ListsAndIntervals) {
  EXPECT_EQ(*parse_number_list("--at", "1,-2,3.5"), (std::vector<double>{1, -2, 3.5}));
  EXPECT_FALSE(parse_number_list("--at", ""));
  auto r = parse_interval("--range", "-5:5");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, -5);
  EXPECT_EQ(r->second, 5);
  EXPECT_FALSE(parse_interval("--range", "5:-5"));
  EXPECT_FALSE(parse_interval("--range", "5"));
}

}  // namespace
}  // namespace actlab::cli

namespace actlab::cli {
namespace {

TEST(Args, Grids) {
  EXPECT_EQ(*parse_grid("--s", "0:1:5"), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(*parse_grid("--s", "0.1,0.3"), (std::vector<double>{0.1, 0.3}));
  EXPECT_EQ(*parse_grid("--s", "2:3:1"), std::vector<double>{2});
  EXPECT_FALSE(parse_grid("--s", "0:1"));
  EXPECT_FALSE(parse_grid("--s", "0:1:2.5"));
  EXPECT_FALSE(parse_grid("--s", "0:1:0"));
}

// The resume command of an interrupted run: read back by a real shell as the same arguments.
TEST(Args, ShellJoinIsReadBackByTheShell) {
  const std::vector<std::string> args = {"actlab", "--data", "a b.csv",         "it's",
                                         "",       "x;rm",   "sqlite:///t/a.db"};
  const std::string line = shell_join(args);
  EXPECT_EQ(line, "actlab --data 'a b.csv' 'it'\\''s' '' 'x;rm' sqlite:///t/a.db") << line;
  FILE* p = popen(("for a in " + line + "; do printf '%s|' \"$a\"; done").c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[256];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  EXPECT_EQ(out, "actlab|--data|a b.csv|it's||x;rm|sqlite:///t/a.db|");
  // This process's own arguments: the test binary first.
  const auto own = own_arguments();
  ASSERT_FALSE(own.empty());
  EXPECT_NE(own[0].find("test_cli"), std::string::npos) << own[0];
}

}  // namespace
}  // namespace actlab::cli
