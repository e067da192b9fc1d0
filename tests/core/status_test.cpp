#include "core/status.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace actlab {
namespace {

Result<double> parse_positive(std::string_view s) {
  if (s.empty()) return Status::invalid("empty number");
  const double v = std::stod(std::string(s));
  if (v <= 0) return Status::invalid("not positive: " + std::string(s));
  return v;
}

// Propagates the inner Status with context, as callers are meant to.
Result<double> parse_flag(std::string_view s) {
  auto r = parse_positive(s);
  if (!r) return r.status().with_context("--rate");
  return *r * 2;
}

TEST(Status, DefaultIsOk) {
  const Status s;
  EXPECT_TRUE(s.is_ok());
  EXPECT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_FALSE(s.is_bad_input());
  EXPECT_TRUE(Status::ok().is_ok());
}

TEST(Status, FactoriesSetCodeAndMessage) {
  struct Case {
    Status status;
    StatusCode code;
    bool bad_input;
  };
  const std::vector<Case> cases = {
      {Status::invalid("m"), StatusCode::kInvalidArgument, true},
      {Status::not_found("m"), StatusCode::kNotFound, true},
      {Status::io_error("m"), StatusCode::kIoError, false},
      {Status::numerical("m"), StatusCode::kNumerical, false},
      {Status::internal("m"), StatusCode::kInternal, false},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(c.status.is_ok());
    EXPECT_FALSE(static_cast<bool>(c.status));
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.message(), "m");
    EXPECT_EQ(c.status.is_bad_input(), c.bad_input) << static_cast<int>(c.code);
  }
}

TEST(Status, WithContextPrefixesErrorsOnly) {
  const Status e = Status::not_found("no such activation 'swishy'");
  const Status wrapped = e.with_context("--act");
  EXPECT_EQ(wrapped.message(), "--act: no such activation 'swishy'");
  EXPECT_EQ(wrapped.code(), StatusCode::kNotFound);
  EXPECT_EQ(wrapped.with_context("config.json").message(), "config.json: --act: no such activation 'swishy'");
  EXPECT_EQ(e.message(), "no such activation 'swishy'");  // the original is unchanged
  const Status ok = Status::ok().with_context("anything");
  EXPECT_TRUE(ok.is_ok());
  EXPECT_EQ(ok.message(), "");
}

TEST(Status, WithFieldNamesTheFieldForAnyCode) {
  const Status s = Status::not_found("no database at /tmp/x.db").with_field("storage");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "storage: no database at /tmp/x.db");
  EXPECT_EQ(s.field(), "storage");
  EXPECT_EQ(Status::io_error("down").with_field("storage").with_context("open").field(), "storage");
  EXPECT_TRUE(Status::ok().with_field("storage").is_ok());
  EXPECT_EQ(Status::ok().with_field("storage").field(), "");
}

TEST(Result, HoldsAValue) {
  Result<double> r = parse_positive("2.5");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r.has_value());
  EXPECT_EQ(*r, 2.5);
  EXPECT_EQ(r.value(), 2.5);
  EXPECT_TRUE(r.status().is_ok());
  *r = 3.0;
  EXPECT_EQ(r.value(), 3.0);
}

TEST(Result, HoldsAStatus) {
  Result<double> r = parse_positive("");
  EXPECT_FALSE(r);
  EXPECT_FALSE(r.has_value());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "empty number");
  EXPECT_TRUE(r.status().is_bad_input());
}

TEST(Result, PropagatesWithContext) {
  auto good = parse_flag("1.5");
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 3.0);
  auto bad = parse_flag("-1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().message(), "--rate: not positive: -1");
  EXPECT_TRUE(bad.status().is_bad_input());
}

Result<std::unique_ptr<int>> make_box(int v) {
  if (v < 0) return Status::io_error("cannot box " + std::to_string(v));
  return std::make_unique<int>(v);
}

TEST(Result, WorksWithMoveOnlyTypes) {
  std::unique_ptr<int> taken = make_box(7).value();  // && overload moves the value out
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, 7);
  EXPECT_FALSE(make_box(-1).has_value());
  EXPECT_EQ(make_box(-1).status().message(), "cannot box -1");
  EXPECT_FALSE(make_box(-1).status().is_bad_input());
}

TEST(Result, ArrowReachesTheValue) {
  Result<std::string> s = std::string("hello");
  EXPECT_EQ(s->size(), 5u);
  const Result<std::string>& cs = s;
  EXPECT_EQ(cs->front(), 'h');
  EXPECT_EQ(*cs, "hello");
  s->append("!");
  EXPECT_EQ(s.value(), "hello!");
}

}  // namespace
}  // namespace actlab
