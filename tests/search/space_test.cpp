// Search spaces: validation, JSON round trips and the internal/external mapping.
#include "search/space.hpp"

#include <gtest/gtest.h>

namespace actlab::search {
namespace {

Space make_space() {
  Space s;
  EXPECT_TRUE(s.add_categorical("act", {"relu", "tanh", "gelu"}));
  EXPECT_TRUE(s.add_float("lr", 1e-4, 1e-1, true));
  EXPECT_TRUE(s.add_float("drop", 0, 0.5, false, 0.1));
  EXPECT_TRUE(s.add_int("width", 16, 256, false, 16));
  return s;
}

TEST(Space, RejectsBadDefinitions) {
  Space s;
  EXPECT_FALSE(s.add_categorical("c", {}));
  EXPECT_FALSE(s.add_categorical("c", {"a", "a"}));
  EXPECT_FALSE(s.add_float("x", 1, 0));
  EXPECT_FALSE(s.add_float("x", 0, 1, true));
  EXPECT_FALSE(s.add_int("n", 0, 10, true));
  EXPECT_FALSE(s.add_int("n", 0, 10, false, 0));
  EXPECT_TRUE(s.add_float("x", 0, 1));
  EXPECT_FALSE(s.add_float("x", 0, 2));  // twice
}

TEST(Space, JsonRoundTrip) {
  const Space s = make_space();
  auto t = Space::from_json(Json::parse(s.to_json().dump()));
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_EQ(*t, s);
  EXPECT_FALSE(Space::from_json(Json::parse(R"({"params":[{"name":"x","type":"blob"}]})")));
  EXPECT_FALSE(Space::from_json(Json::parse(R"([1,2])")));
}

TEST(Space, ExternalValues) {
  const Space s = make_space();
  const Params p = {2, 0.01, 0.3, 64};
  Json j = s.to_external(p);
  EXPECT_EQ(j["act"], "gelu");
  EXPECT_EQ(j["width"], 64);
  EXPECT_TRUE(j["width"].is_number_integer());
  auto q = s.from_external(j);
  ASSERT_TRUE(q);
  EXPECT_EQ(*q, p);
  j["act"] = "swish";
  EXPECT_FALSE(s.from_external(j));
  j["act"] = "relu";
  j["width"] = 20;  // off the step
  EXPECT_FALSE(s.from_external(j));
  j.erase("width");
  EXPECT_FALSE(s.from_external(j));
}

}  // namespace
}  // namespace actlab::search
