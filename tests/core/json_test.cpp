#include "core/json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace actlab {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNan = std::numeric_limits<double>::quiet_NaN();

TEST(JsonNumber, FiniteIsANumberNonFiniteIsAString) {
  EXPECT_TRUE(json_number(1.5).is_number());
  EXPECT_EQ(json_number(1.5).get<double>(), 1.5);
  EXPECT_EQ(json_number(kNan), Json("nan"));
  EXPECT_EQ(json_number(kInf), Json("inf"));
  EXPECT_EQ(json_number(-kInf), Json("-inf"));
  EXPECT_EQ(json_number(-0.0).get<double>(), 0.0);
  EXPECT_TRUE(std::signbit(json_number(-0.0).get<double>()));
}

TEST(JsonBound, InfiniteIsNull) {
  EXPECT_TRUE(json_bound(kInf).is_null());
  EXPECT_TRUE(json_bound(-kInf).is_null());
  EXPECT_EQ(json_bound(-3.0).get<double>(), -3.0);
  EXPECT_EQ(json_bound(kNan), Json("nan"));
}

TEST(JsonToDouble, RoundTripsThroughText) {
  const double values[] = {0.0,
                           -0.0,
                           1.0,
                           -2.5,
                           0.1,
                           1.0 / 3.0,
                           6.02214076e23,
                           4.9e-324,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::min(),
                           kInf,
                           -kInf};
  for (double v : values) {
    Json j;
    j["v"] = json_number(v);
    const Json back = Json::parse(json_dump(j, false));
    const double r = json_to_double(back["v"]);
    EXPECT_EQ(r, v) << json_dump(j, false);
    EXPECT_EQ(std::signbit(r), std::signbit(v));
  }
  Json j = {{"v", json_number(kNan)}};
  EXPECT_EQ(json_dump(j, false), R"({"v":"nan"})");
  EXPECT_TRUE(std::isnan(json_to_double(Json::parse(json_dump(j, false))["v"])));
}

TEST(JsonToDouble, AcceptsOtherSpellingsAndIntegers) {
  EXPECT_TRUE(std::isnan(json_to_double(Json("NaN"))));
  EXPECT_EQ(json_to_double(Json("Infinity")), kInf);
  EXPECT_EQ(json_to_double(Json("-Infinity")), -kInf);
  EXPECT_EQ(json_to_double(Json(7)), 7.0);
  EXPECT_EQ(json_to_double(Json(-7)), -7.0);
  EXPECT_EQ(json_to_double(Json(7u)), 7.0);
}

TEST(JsonReadDouble, RejectsWhatIsNotANumber) {
  for (const Json& bad :
       {Json(nullptr), Json(true), Json("1.5"), Json("infinity"), Json::array({1}), Json::object()}) {
    const auto r = json_read_double(bad);
    EXPECT_FALSE(r) << bad.dump();
    EXPECT_TRUE(r.status().is_bad_input());
    EXPECT_TRUE(std::isnan(json_to_double(bad)));
  }
  auto ok = json_read_double(Json(2.0));
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 2.0);
}

TEST(JsonDump, CompactAndPrettyKeepInsertionOrder) {
  Json j;
  j["zeta"] = 1;
  j["alpha"] = json_number(0.5);
  j["range"] = Json::array({json_bound(-kInf), json_bound(1.0)});
  EXPECT_EQ(json_dump(j, false), R"({"zeta":1,"alpha":0.5,"range":[null,1.0]})");
  EXPECT_EQ(json_dump(j, true),
            "{\n"
            "  \"zeta\": 1,\n"
            "  \"alpha\": 0.5,\n"
            "  \"range\": [\n"
            "    null,\n"
            "    1.0\n"
            "  ]\n"
            "}");
}

TEST(JsonDump, DocumentedExample) {
  Json j;
  j["loss"] = json_number(std::nan(""));
  j["lo"] = json_bound(-HUGE_VAL);
  j["hi"] = json_bound(1.0);
  EXPECT_EQ(json_dump(j, false), R"({"loss":"nan","lo":null,"hi":1.0})");
}

TEST(JsonDump, InvalidUtf8DoesNotThrow) {
  Json j = std::string("bad \xff byte");
  std::string out;
  EXPECT_NO_THROW(out = json_dump(j, false));
  EXPECT_NE(out.find("bad"), std::string::npos);
}

}  // namespace
}  // namespace actlab
