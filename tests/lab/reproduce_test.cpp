// lab::reproduce's frame: the plan's errors name their field, the verdict rule, the claims table and the
// outputs written for a reproduction (kim-kang at quick scale is covered by repro_kim_kang_test).
#include "lab/reproduce.hpp"

#include <gtest/gtest.h>

namespace actlab::lab {
namespace {

TEST(Reproduce, PlanErrorsNameTheField) {
  ReproducePlan p;
  p.name = "kim-kang";
  p.out = "/tmp/x";
  EXPECT_TRUE(p.validate());
  auto field = [](ReproducePlan q) { return q.validate().field(); };
  ReproducePlan q = p;
  q.name = "kimkang";
  EXPECT_EQ(field(q), "name");
  EXPECT_NE(q.validate().message().find("kim-kang, hayou, dik, villani-schoots"), std::string::npos)
      << q.validate().message();
  q = p;
  q.scale = "huge";
  EXPECT_EQ(field(q), "scale");
  q = p;
  q.out = "";
  EXPECT_EQ(field(q), "out");
  q = p;
  q.seeds = -1;
  EXPECT_EQ(field(q), "seeds");
  q = p;
  q.threads = 0;
  EXPECT_EQ(field(q), "threads");
  // reproduce() refuses before it runs anything.
  auto r = reproduce(q);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().field(), "threads");
}

TEST(Reproduce, VerdictRule) {
  EXPECT_EQ(verdict_of(3, 3), "reproduced");
  EXPECT_EQ(verdict_of(1, 3), "partly");
  EXPECT_EQ(verdict_of(0, 3), "not reproduced");
  EXPECT_EQ(verdict_of(0, 0), "not checkable");
}

TEST(Reproduce, ClaimsTableAndCounts) {
  ReproduceResult r;
  r.claims = {{"a", "pa", "oa", "reproduced", ""},
              {"b", "pb", "ob", "partly", "why b"},
              {"c", "pc", "oc", "not checkable", "why c"}};
  const report::Table t = r.claims_table();
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.columns.size(), 5u);
  const auto n = r.verdict_counts();
  EXPECT_EQ(n[0], (std::pair<std::string, int>{"reproduced", 1}));
  EXPECT_EQ(n[1], (std::pair<std::string, int>{"partly", 1}));
  EXPECT_EQ(n[2], (std::pair<std::string, int>{"not reproduced", 0}));
  EXPECT_EQ(n[3], (std::pair<std::string, int>{"not checkable", 1}));
  const Json j = r.to_json();
  EXPECT_EQ(j["claims"].size(), 3u);
  EXPECT_EQ(j["verdicts"]["partly"], 1);
}

TEST(Reproduce, EveryReproductionIsListed) {
  std::vector<std::string> names;
  for (const auto& r : reproductions()) {
    names.push_back(r.name);
    EXPECT_FALSE(r.title.empty());
    EXPECT_FALSE(r.citation.empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"kim-kang", "hayou", "dik", "villani-schoots"}));
}

}  // namespace
}  // namespace actlab::lab
