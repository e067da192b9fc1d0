// actlab reproduce: the list, bad input (exit 2 naming the flag or the argument), and a quick kim-kang run
// whose JSON and report carry the verdict table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::testing {
namespace {

TEST(ReproduceCli, ListsTheReproductions) {
  auto r = run_actlab({"reproduce", "--list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("kim-kang"), std::string::npos);
  EXPECT_NE(r.out.find("hayou"), std::string::npos);
  Json j = run_json({"reproduce", "--list", "--json"});
  ASSERT_TRUE(j.is_array());
  EXPECT_GE(j.size(), 2u);
}

TEST(ReproduceCli, BadInputNamesTheArgument) {
  auto r = run_actlab({"reproduce", "kimkang"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("NAME"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kim-kang"), std::string::npos) << r.err;
  r = run_actlab({"reproduce", "hayou", "--scale", "huge"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--scale"), std::string::npos) << r.err;
  r = run_actlab({"reproduce", "hayou", "--threads", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--threads"), std::string::npos) << r.err;
}

TEST(ReproduceCli, KimKangQuickWritesTheVerdictTable) {
  TempDir dir;
  const std::string out = dir / "kk";
  Json j = run_json({"reproduce", "kim-kang", "--scale", "quick", "--out", out, "--json"});
  EXPECT_EQ(j["reproduction"], "kim-kang");
  EXPECT_GE(j["claims"].size(), 6u);
  EXPECT_NE(j["plan"]["command"].get<std::string>().find("reproduce kim-kang"), std::string::npos);
  std::ifstream in(out + "/report.html");
  std::stringstream html;
  html << in.rdbuf();
  EXPECT_NE(html.str().find("Paper says / we get / verdict"), std::string::npos);
  EXPECT_NE(html.str().find("<svg"), std::string::npos);  // figures inline
  // The text form from the same result: every verdict printed, read back from runs.jsonl.
  auto r = run_actlab({"reproduce", "kim-kang", "--out", out});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[reproduced] RePU's kernel explodes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 runs trained"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace actlab::testing
