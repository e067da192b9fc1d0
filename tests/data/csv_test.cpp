// data/csv: header and task detection, target selection, quoting, scikit-learn's files, and errors that
// name file:line:column.
#include "data/csv.hpp"

#include <gtest/gtest.h>

#include "data/builtin.hpp"
#include "data/io.hpp"
#include "support/temp_dir.hpp"

namespace actlab::data {
namespace {

Dataset parse_ok(std::string_view text, const CsvOptions& o = {}) {
  auto r = parse_csv(text, "t.csv", o);
  EXPECT_TRUE(r) << r.status().message();
  return r ? *r : Dataset{};
}

std::string parse_error(std::string_view text, const CsvOptions& o = {}) {
  auto r = parse_csv(text, "t.csv", o);
  EXPECT_FALSE(r);
  return r ? std::string() : r.status().message();
}

CsvOptions with_target(std::string t) {
  CsvOptions o;
  o.target = std::move(t);
  return o;
}

TEST(Csv, HeaderDetectedStringLabelsSortedAndNamesKept) {
  Dataset ds = parse_ok("a,b,species\n1,2,virginica\n3,4,setosa\n5,6.5,virginica\n");
  EXPECT_EQ(ds.rows(), 3u);
  EXPECT_EQ(ds.features(), 2u);
  EXPECT_EQ(ds.feature_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ds.task, Task::kClassification);
  EXPECT_EQ(ds.class_names, (std::vector<std::string>{"setosa", "virginica"}));
  EXPECT_EQ(ds.labels, (std::vector<int>{1, 0, 1}));
  EXPECT_EQ(ds.x(2, 1), 6.5f);
  EXPECT_EQ(ds.input_shape, std::vector<int>{2});
}

TEST(Csv, NoHeaderWhenTheFirstRowLooksLikeTheRest) {
  // String labels in both rows: the first row is data, not a header.
  Dataset ds = parse_ok("5.1,3.5,setosa\n4.9,3.0,setosa\n6.3,2.9,virginica\n");
  EXPECT_EQ(ds.rows(), 3u);
  EXPECT_EQ(ds.feature_names, (std::vector<std::string>{"x0", "x1"}));
  EXPECT_EQ(ds.x(0, 0), 5.1f);
  // The explicit option wins over detection.
  CsvOptions o;
  o.header = true;
  EXPECT_EQ(parse_ok("1,2,0\n3,4,1\n5,6,0\n", o).rows(), 2u);
}

TEST(Csv, TargetByNameByIndexAndFromTheEnd) {
  const std::string text = "y,u,v\n0.5,1,2\n1.5,3,4\n2.5,1,6\n3.5,3,8\n";
  Dataset by_name = parse_ok(text, with_target("y"));
  EXPECT_EQ(by_name.feature_names, (std::vector<std::string>{"u", "v"}));
  EXPECT_EQ(by_name.task, Task::kRegression);
  EXPECT_EQ(by_name.y(1, 0), 1.5f);
  Dataset by_index = parse_ok(text, with_target("0"));
  EXPECT_EQ(by_index.y(2, 0), 2.5f);
  Dataset from_end = parse_ok(text, with_target("-2"));  // u
  EXPECT_EQ(from_end.feature_names, (std::vector<std::string>{"y", "v"}));
  EXPECT_EQ(from_end.task, Task::kClassification);  // 1, 3, 1, 3: integers, few distinct values
  EXPECT_EQ(from_end.class_names, (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(from_end.labels, (std::vector<int>{0, 1, 0, 1}));
}

TEST(Csv, TaskDetectionAndForcing) {
  // Integer targets with few distinct values: classes, in numeric order (10 after 9).
  Dataset c = parse_ok("x,t\n1,10\n2,9\n3,10\n4,9\n");
  EXPECT_EQ(c.task, Task::kClassification);
  EXPECT_EQ(c.class_names, (std::vector<std::string>{"9", "10"}));
  EXPECT_EQ(c.labels, (std::vector<int>{1, 0, 1, 0}));
  // Non-integers, or as many distinct values as rows: regression.
  EXPECT_EQ(parse_ok("x,t\n1,0.5\n2,1\n3,1\n4,2\n").task, Task::kRegression);
  EXPECT_EQ(parse_ok("x,t\n1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n").task, Task::kRegression);
  CsvOptions o;
  o.task = Task::kRegression;
  Dataset r = parse_ok("x,t\n1,10\n2,9\n3,10\n4,9\n", o);
  EXPECT_EQ(r.task, Task::kRegression);
  EXPECT_EQ(r.y(0, 0), 10.0f);
  o.task = Task::kClassification;
  EXPECT_EQ(parse_ok("x,t\n1,0.5\n2,0.25\n3,0.5\n", o).class_names,
            (std::vector<std::string>{"0.25", "0.5"}));
}

TEST(Csv, QuotedFieldsCrlfBlankLinesAndBom) {
  const std::string text =
      "\xEF\xBB\xBF\"first, col\",\"b\",label\r\n"
      "\"1.5\",2,\"say \"\"hi\"\"\"\r\n"
      "\r\n"
      "3, 4 ,\"multi\nline\"\r\n";
  Dataset ds = parse_ok(text);
  ASSERT_EQ(ds.rows(), 2u);
  EXPECT_EQ(ds.feature_names, (std::vector<std::string>{"first, col", "b"}));
  EXPECT_EQ(ds.x(0, 0), 1.5f);
  EXPECT_EQ(ds.x(1, 1), 4.0f);
  EXPECT_EQ(ds.class_names, (std::vector<std::string>{"multi\nline", "say \"hi\""}));
}

TEST(Csv, ErrorsNameFileLineAndColumn) {
  EXPECT_EQ(parse_error("a,b,c\n1,2,0\n3,4\n"), "t.csv:3:4: expected 3 fields, found 2");
  EXPECT_EQ(parse_error("a,b,c\n1,2,0\n3,4,5,6\n"), "t.csv:3:7: expected 3 fields, found 4");
  EXPECT_EQ(parse_error("a,b,c\n1,2,0\n3,abc,1\n"), "t.csv:3:3: field 2 (b): 'abc' is not a number");
  EXPECT_EQ(parse_error("a,b,c\n1,1e300,0\n"), "t.csv:2:3: field 2 (b): '1e300' is out of float range");
  EXPECT_EQ(parse_error("a,b,c\n1,,0\n"), "t.csv:2:3: field 2 (b): empty value");
  EXPECT_EQ(parse_error("a,b,c\n1,2,\n3,4,1\n"), "t.csv:2:5: missing target value");
  EXPECT_EQ(parse_error("a,b,c\n1,2,0\n", with_target("label")),
            "t.csv:1: no target column named 'label' (columns: a, b, c)");
  EXPECT_EQ(parse_error("a,b,c\n1,2,0\n", with_target("3")),
            "t.csv: target column 3 is out of range (the file has 3 columns, 0..2)");
  EXPECT_EQ(parse_error(""), "t.csv: empty file (no rows)");
  EXPECT_EQ(parse_error("\n\n"), "t.csv: empty file (no rows)");
  EXPECT_EQ(parse_error("a,b\n"), "t.csv: no data rows after the header");
  EXPECT_EQ(parse_error("a,b\n1,\"2\n"), "t.csv:2:3: unterminated quoted field");
  EXPECT_EQ(parse_error("a,b\n1,\"2\"x\n"), "t.csv:2:6: unexpected 'x' after a closing quote");
  CsvOptions o;
  o.task = Task::kRegression;
  EXPECT_EQ(parse_error("a,b\n1,2\n3,cat\n", o),
            "t.csv:3:3: target 'cat' is not a number (regression needs numbers)");
}

TEST(Csv, ScikitLearnCountLineGivesClassNamesAndIsChecked) {
  Dataset ds = parse_ok("3,2,neg,pos\n0.5,1,0\n1.5,2,1\n2.5,3,1\n");
  EXPECT_EQ(ds.rows(), 3u);
  EXPECT_EQ(ds.features(), 2u);
  EXPECT_EQ(ds.class_names, (std::vector<std::string>{"neg", "pos"}));
  EXPECT_EQ(ds.labels, (std::vector<int>{0, 1, 1}));
  EXPECT_EQ(parse_error("4,2,neg,pos\n0.5,1,0\n1.5,2,1\n2.5,3,1\n"),
            "t.csv:1: the first line says 4 samples, the file has 3");
}

TEST(Csv, ReadsGzipFilesFromDisk) {
  testing::TempDir dir;
  const std::string path = dir / "small.csv.gz";
  ASSERT_TRUE(write_file(path, "u,v,label\n1,2,b\n3,4,a\n", {.gzip = true}).is_ok());
  auto ds = read_csv(path);
  ASSERT_TRUE(ds) << ds.status().message();
  EXPECT_EQ(ds->labels, (std::vector<int>{1, 0}));
  EXPECT_EQ(ds->name, path);
  auto missing = read_csv(dir / "nope.csv");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

// scikit-learn's bundled files, read as plain CSVs (data/builtin.cpp adds names and checks shapes on top).
TEST(Csv, ScikitLearnFilesHaveTheirKnownValues) {
  const std::string dir = kSklearnDataDir;
  auto iris = read_csv(dir + "/iris.csv");
  ASSERT_TRUE(iris) << iris.status().message();
  EXPECT_EQ(iris->rows(), 150u);
  EXPECT_EQ(iris->features(), 4u);
  EXPECT_EQ(iris->class_names, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
  // First line 5.1,3.5,1.4,0.2,0 and last line 5.9,3.0,5.1,1.8,2 of the file.
  EXPECT_EQ(iris->x(0, 0), 5.1f);
  EXPECT_EQ(iris->x(0, 3), 0.2f);
  EXPECT_EQ(iris->labels.front(), 0);
  EXPECT_EQ(iris->x(149, 2), 5.1f);
  EXPECT_EQ(iris->x(149, 3), 1.8f);
  EXPECT_EQ(iris->labels.back(), 2);

  auto wine = read_csv(dir + "/wine_data.csv");
  ASSERT_TRUE(wine) << wine.status().message();
  EXPECT_EQ(wine->rows(), 178u);
  EXPECT_EQ(wine->x(0, 0), 14.23f);  // 14.23,1.71,...,1065,0
  EXPECT_EQ(wine->x(0, 12), 1065.0f);

  auto bc = read_csv(dir + "/breast_cancer.csv");
  ASSERT_TRUE(bc) << bc.status().message();
  EXPECT_EQ(bc->class_names, (std::vector<std::string>{"malignant", "benign"}));
  EXPECT_EQ(bc->x(0, 0), 17.99f);  // 17.99,10.38,122.8,...
  EXPECT_EQ(bc->x(568, 0), 7.76f);
  EXPECT_EQ(bc->labels.back(), 1);

  CsvOptions no_header;
  no_header.header = false;
  auto digits = read_csv(dir + "/digits.csv.gz", no_header);
  ASSERT_TRUE(digits) << digits.status().message();
  EXPECT_EQ(digits->rows(), 1797u);
  EXPECT_EQ(digits->features(), 64u);
  EXPECT_EQ(digits->x(0, 2), 5.0f);  // 0,0,5,13,9,1,...,0
  EXPECT_EQ(digits->x(0, 3), 13.0f);
  EXPECT_EQ(digits->labels[0], 0);
  EXPECT_EQ(digits->labels[1], 1);
}

}  // namespace
}  // namespace actlab::data
