// data/builtin: every built-in's exact shape and class counts, the message when a package is missing,
// dispatch to generators, CSV files and IDX directories, and "did you mean" for unknown names.
#include "data/builtin.hpp"

#include <gtest/gtest.h>

#include "data/idx.hpp"
#include "data/io.hpp"
#include "support/golden.hpp"
#include "support/temp_dir.hpp"

namespace actlab::data {
namespace {

using testing::TempDir;
using testing::write_text;

Dataset load_ok(const std::string& spec, const LoadOptions& o = {}) {
  auto r = load(spec, o);
  EXPECT_TRUE(r) << r.status().message();
  return r ? *r : Dataset{};
}

std::vector<int> counts(const Dataset& ds) {
  std::vector<int> k(static_cast<std::size_t>(ds.classes()), 0);
  for (int l : ds.labels) ++k[static_cast<std::size_t>(l)];
  return k;
}

TEST(Builtin, ScikitLearnSetsHaveTheirExactShapes) {
  Dataset iris = load_ok("iris");
  EXPECT_EQ(iris.name, "iris");
  EXPECT_EQ(iris.rows(), 150u);
  EXPECT_EQ(iris.features(), 4u);
  EXPECT_EQ(counts(iris), (std::vector<int>{50, 50, 50}));
  EXPECT_EQ(iris.feature_names[2], "petal length (cm)");
  EXPECT_NE(iris.source.find("python3-sklearn"), std::string::npos);

  Dataset wine = load_ok("wine");
  EXPECT_EQ(wine.rows(), 178u);
  EXPECT_EQ(wine.features(), 13u);
  EXPECT_EQ(counts(wine), (std::vector<int>{59, 71, 48}));
  EXPECT_EQ(wine.feature_names.size(), 13u);

  Dataset bc = load_ok("breast-cancer");
  EXPECT_EQ(bc.rows(), 569u);
  EXPECT_EQ(bc.features(), 30u);
  EXPECT_EQ(counts(bc), (std::vector<int>{212, 357}));
  EXPECT_EQ(bc.class_names, (std::vector<std::string>{"malignant", "benign"}));
  EXPECT_EQ(bc.feature_names.front(), "mean radius");
  EXPECT_EQ(bc.feature_names.back(), "worst fractal dimension");

  Dataset digits = load_ok("digits");
  EXPECT_EQ(digits.rows(), 1797u);
  EXPECT_EQ(digits.features(), 64u);
  EXPECT_EQ(digits.input_shape, (std::vector<int>{1, 8, 8}));
  EXPECT_EQ(counts(digits), (std::vector<int>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}));
  // Aliases: case and '_' do not matter.
  EXPECT_EQ(load_ok("Breast_Cancer").rows(), 569u);
}

TEST(Builtin, FashionMnistIsTrainThenTest) {
  Dataset fm = load_ok("fashion-mnist");
  EXPECT_EQ(fm.rows(), 70000u);
  EXPECT_EQ(fm.features(), 784u);
  EXPECT_EQ(fm.classes(), 10);
  EXPECT_EQ(fm.test_start, 60000u);
  EXPECT_EQ(fm.class_names[9], "Ankle boot");
  EXPECT_EQ(fm.labels[0], 9);
  EXPECT_EQ(counts(fm), std::vector<int>(10, 7000));
}

TEST(Builtin, AMissingPackageIsNamed) {
  LoadOptions o;
  o.sklearn_dir = "/nonexistent/sklearn";
  o.fashion_mnist_dir = "/nonexistent/fmnist";
  o.r_library_dir = "/nonexistent/R";
  auto iris = load("iris", o);
  ASSERT_FALSE(iris);
  EXPECT_EQ(iris.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(iris.status().message(),
            "iris: /nonexistent/sklearn/iris.csv not found; it comes with the Debian package python3-sklearn "
            "(apt-get install python3-sklearn)");
  auto fm = load("fashion-mnist", o);
  ASSERT_FALSE(fm);
  EXPECT_EQ(
      fm.status().message(),
      "fashion-mnist: /nonexistent/fmnist/train-images-idx3-ubyte.gz not found; it comes with the Debian "
      "package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)");
  for (const auto& b : builtins(o)) {
    if (b.kind != "generator") {
      EXPECT_FALSE(b.available) << b.name;
    }
  }
}

TEST(Builtin, UnknownNamesGetASuggestion) {
  auto r = load("irsi");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(
      r.status().message(),
      "unknown data set 'irsi'; did you mean iris? ('actlab data list' shows the names; a path must exist)");
  EXPECT_NE(load("spiral").status().message().find("did you mean spirals?"), std::string::npos);
  EXPECT_EQ(load("qqqqqqqqqq").status().message().find("did you mean"), std::string::npos);
  EXPECT_EQ(load("no/such.csv").status().message(), "no/such.csv: no such file or directory");
}

TEST(Builtin, GeneratorsFilesAndDirectories) {
  LoadOptions g;
  g.rows = 64;
  g.seed = 9;
  Dataset s = load_ok("spirals", g);
  EXPECT_EQ(s.rows(), 64u);
  EXPECT_EQ(s.source, "generated (seed 9)");

  TempDir dir;
  write_text(dir / "m.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n");
  LoadOptions t;
  t.target = "a";
  // Target 'a': then 'label' is a feature, and it is not numeric: an error naming the cell.
  auto bad = load(dir / "m.csv", t);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().message(), dir / "m.csv" + ":2:5: field 3 (label): 'x' is not a number");
  Dataset plain = load_ok(dir / "m.csv");
  EXPECT_EQ(plain.class_names, (std::vector<std::string>{"x", "y"}));

  IdxArray im;
  im.dims = {2, 2, 2};
  im.values = {0, 255, 0, 255, 255, 0, 255, 0};
  IdxArray lb;
  lb.dims = {2};
  lb.values = {1, 0};
  ASSERT_TRUE(write_file(dir / "train-images-idx3-ubyte", encode_idx(im)).is_ok());
  ASSERT_TRUE(write_file(dir / "train-labels-idx1-ubyte", encode_idx(lb)).is_ok());
  Dataset idx = load_ok(dir.path().string());
  EXPECT_EQ(idx.rows(), 2u);
  EXPECT_EQ(idx.x(0, 1), 1.0f);
  auto single = load(dir / "train-images-idx3-ubyte");
  ASSERT_FALSE(single);
  EXPECT_NE(single.status().message().find("a single IDX file has no labels"), std::string::npos);

  auto target_on_builtin = load("iris", t);
  ASSERT_FALSE(target_on_builtin);
  EXPECT_EQ(target_on_builtin.status().message(), "iris: a target or task applies to CSV files only");
}

TEST(Builtin, ListNamesEverySetAndGenerator) {
  const auto all = builtins();
  std::vector<std::string> names;
  for (const auto& b : all) names.push_back(b.name);
  ASSERT_GE(names.size(), 10u);
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 5),
            (std::vector<std::string>{"fashion-mnist", "iris", "wine", "breast-cancer", "digits"}));
  for (const auto& b : all) {
    if (b.kind == "generator") continue;
    EXPECT_TRUE(b.available) << b.name << " at " << b.path;
    EXPECT_FALSE(b.package.empty());
  }
  EXPECT_EQ(all[1].rows, 150u);
  EXPECT_EQ(all[1].classes, 3);
  // The R sets: at least 20 real classification sets, each with its policy, licence and documentation.
  int r_classification = 0;
  for (const auto& b : all) {
    if (b.package.rfind("r-cran-", 0) != 0) continue;
    r_classification += b.task == Task::kClassification;
    EXPECT_EQ(b.kind, "table");
    EXPECT_FALSE(b.missing.empty()) << b.name;
    EXPECT_FALSE(b.licence.empty()) << b.name;
    EXPECT_FALSE(b.doc.empty()) << b.name;
    EXPECT_FALSE(b.preparation.empty()) << b.name;
  }
  EXPECT_GE(r_classification, 20);
}

TEST(Builtin, RFilesByPathObjectAndTarget) {
  const std::string kinds = testing::source_path("tests/golden/rdata/kinds.rda");
  LoadReport rep;
  auto all = load(kinds + "#target", {}, &rep);  // the first object, kinds
  ASSERT_TRUE(all) << all.status().message();
  EXPECT_EQ(all->rows(), 5u);
  EXPECT_EQ(all->class_names, (std::vector<std::string>{"no", "yes"}));
  EXPECT_EQ(all->name, kinds);
  EXPECT_EQ(rep.missing_cells,
            3u);  // num, int, lgl; the factors fac and ord are one-hot (a missing one: zeros)
  EXPECT_FALSE(rep.preparation.empty());

  auto second = load(kinds + ":second#b");  // numeric target: regression
  ASSERT_TRUE(second) << second.status().message();
  EXPECT_EQ(second->task, Task::kRegression);
  EXPECT_EQ(second->name, kinds + ":second");
  EXPECT_EQ(second->y(2, 0), 0.125f);
  EXPECT_EQ(second->feature_names, (std::vector<std::string>{"a"}));

  LoadOptions t;
  t.target = "a";
  t.task = Task::kClassification;
  auto by_option = load(kinds + ":second", t);
  ASSERT_TRUE(by_option) << by_option.status().message();
  EXPECT_EQ(by_option->class_names, (std::vector<std::string>{"1", "2", "3"}));

  auto rds = load(testing::source_path("tests/golden/rdata/kinds.rds"));  // default target: the last column
  ASSERT_TRUE(rds) << rds.status().message();
  EXPECT_EQ(rds->class_names, (std::vector<std::string>{"no", "yes"}));

  EXPECT_EQ(load(kinds + ":third").status().message(),
            kinds + ": no data frame named 'third' (the file holds kinds, second)");
  EXPECT_EQ(load(kinds + ":second#b", t).status().message(),
            kinds + ": two targets, '#b' in the name and 'a' as an option");
  EXPECT_EQ(load("no/such.rda#y").status().message(), "no/such.rda: no such file");
}

}  // namespace
}  // namespace actlab::data
