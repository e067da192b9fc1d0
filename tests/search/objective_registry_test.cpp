// The objective registry: lookup by the key "name" (and the older "kind"), unknown names naming the field,
// and the synthetic objective through it.
#include "search/objective_registry.hpp"

#include <gtest/gtest.h>

#include "search/synthetic.hpp"

namespace actlab::search {
namespace {

// A second objective, to see the registry dispatch: value = the first parameter.
class Echo : public ObjectiveSetup {
 public:
  Space space() const override {
    Space s;
    (void)s.add_float("x", 0, 1);
    return s;
  }
  Json to_json() const override { return {{"name", "echo"}}; }
  Direction default_direction() const override { return Direction::kMaximize; }
  Status check_direction(Direction d) const override {
    return d == Direction::kMaximize ? Status::ok() : Status::invalid_field("direction", "maximize only");
  }
  Objective objective(std::uint64_t) const override {
    return [](TrialContext& t) { return TrialOutcome::complete(t.params()[0]); };
  }
};

ObjectiveRegistry registry() {
  ObjectiveRegistry r;
  add_synthetic_objective(r);
  r.add("echo", [](const Json&) -> Result<std::unique_ptr<ObjectiveSetup>> {
    return std::unique_ptr<ObjectiveSetup>(std::make_unique<Echo>());
  });
  return r;
}

TEST(ObjectiveRegistry, NamesAndDispatch) {
  const ObjectiveRegistry r = registry();
  EXPECT_EQ(r.names(), (std::vector<std::string>{"echo", "synthetic"}));
  EXPECT_EQ(r.names_text(), "echo or synthetic");
  EXPECT_TRUE(r.contains("echo"));
  auto e = r.from_json({{"name", "echo"}});
  ASSERT_TRUE(e) << e.status().message();
  EXPECT_EQ((*e)->default_direction(), Direction::kMaximize);
  EXPECT_EQ((*e)->check_direction(Direction::kMinimize).field(), "direction");
  EXPECT_TRUE((*e)->prepare());
  EXPECT_TRUE((*e)->details().is_null());
}

TEST(ObjectiveRegistry, SyntheticRoundTripsAndEvaluates) {
  const ObjectiveRegistry r = registry();
  const SyntheticProblem p{.categorical = 3, .choices = 5, .floats = 1};
  auto s = r.from_json(p.to_json());
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ((*s)->to_json(), p.to_json());
  EXPECT_EQ((*s)->space(), p.space());
  EXPECT_EQ((*s)->default_direction(), Direction::kMinimize);
  EXPECT_TRUE((*s)->objective(1));  // a callable
  auto bad = r.from_json({{"name", "synthetic"}, {"choices", 1}});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.status().is_bad_input());
}

TEST(ObjectiveRegistry, OlderKeyKindStillResolves) {
  EXPECT_EQ(objective_name({{"name", "a"}, {"kind", "b"}}), "a");
  EXPECT_EQ(objective_name({{"kind", "evolve"}}), "evolve");
  EXPECT_EQ(objective_name({{"name", 3}}), "");
  EXPECT_EQ(objective_name(Json::array()), "");
  const ObjectiveRegistry r = registry();
  auto s = r.from_json({{"kind", "synthetic"}, {"categorical", 2}, {"choices", 4}, {"floats", 0}});
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ((*s)->to_json()["name"], "synthetic");
  EXPECT_EQ((*s)->space().size(), 2u);
}

TEST(ObjectiveRegistry, UnknownNameNamesTheField) {
  const ObjectiveRegistry r = registry();
  auto u = r.from_json({{"name", "bogus"}});
  ASSERT_FALSE(u);
  EXPECT_EQ(u.status().field(), "objective");
  EXPECT_EQ(u.status().message(), "objective: expected echo or synthetic, got 'bogus'");
  EXPECT_FALSE(r.from_json({{"kind", "evolve"}}));
  EXPECT_FALSE(r.from_json(nullptr));
}

}  // namespace
}  // namespace actlab::search
