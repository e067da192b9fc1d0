// report::Table: the header's worked example in every format, alignment by UTF-8 characters, CSV quoting,
// Markdown escaping, and empty/NaN cells.
#include "report/table.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace actlab::report {
namespace {

Table example() {
  Table t;
  t.title = "Median test accuracy";
  t.columns = {{"dataset"},
               {"n", ColumnType::kInt},
               {"relu", ColumnType::kNumber},
               {"p", ColumnType::kNumber, "%.3g", /*detail=*/true}};
  t.add_row({"iris", 150, Cell(0.9556).marked("!"), 0.012});
  t.add_row({"wine", 178, std::nan(""), Cell()});
  t.notes = {"! p < 0.05"};
  return t;
}

TEST(Table, Text) {
  EXPECT_EQ(example().text(),
            "Median test accuracy\n"
            "dataset    n     relu\n"
            "iris     150  0.9556!\n"
            "wine     178        -\n"
            "! p < 0.05\n");
}

TEST(Table, Markdown) {
  EXPECT_EQ(example().markdown(),
            "**Median test accuracy**\n\n"
            "| dataset | n | relu |\n"
            "|---|---:|---:|\n"
            "| iris | 150 | 0.9556! |\n"
            "| wine | 178 | - |\n"
            "\n! p < 0.05\n");
  Table bare;
  bare.columns = {{"a|b"}};
  bare.add_row({"x|y"});
  EXPECT_EQ(bare.markdown(), "| a\\|b |\n|---|\n| x\\|y |\n");
}

TEST(Table, CsvHasDetailColumnsAndNoMarks) {
  EXPECT_EQ(example().csv(), "dataset,n,relu,p\niris,150,0.9556,0.012\nwine,178,-,-\n");
  Table q;
  q.columns = {{"name"}, {"v", ColumnType::kNumber}};
  q.add_row({"a,b", 1.0 / 3});
  q.add_row({"say \"hi\"", 2.5});
  EXPECT_EQ(q.csv(), "name,v\n\"a,b\",0.333333\n\"say \"\"hi\"\"\",2.5\n");
}

TEST(Table, Json) {
  const Json j = example().to_json();
  EXPECT_EQ(j["title"], "Median test accuracy");
  ASSERT_EQ(j["columns"].size(), 4u);
  EXPECT_EQ(j["columns"][1], (Json{{"name", "n"}, {"type", "int"}}));
  EXPECT_EQ(j["columns"][3]["detail"], true);
  ASSERT_EQ(j["rows"].size(), 2u);
  EXPECT_EQ(j["rows"][0], (Json{{"dataset", "iris"}, {"n", 150}, {"relu", 0.9556}, {"p", 0.012}}));
  EXPECT_EQ(j["rows"][1]["relu"], "nan");
  EXPECT_TRUE(j["rows"][1]["p"].is_null());
  EXPECT_EQ(j["notes"], (Json{"! p < 0.05"}));
}

TEST(Table, TextAlignsByCharactersNotBytes) {
  Table t;
  t.columns = {{"σ_w"}, {"value", ColumnType::kNumber, "%.1f"}};
  t.add_row({"√2", 1.0});
  t.add_row({"ab", 10.0});
  EXPECT_EQ(t.text(), "σ_w  value\n√2     1.0\nab    10.0\n");
}

TEST(Table, MissingTrailingCellsAreEmpty) {
  Table t;
  t.columns = {{"a"}, {"b", ColumnType::kInt}};
  t.add_row({"x"});
  EXPECT_EQ(t.csv(), "a,b\nx,-\n");
  EXPECT_TRUE(t.rows[0][1].empty());
}

}  // namespace
}  // namespace actlab::report
