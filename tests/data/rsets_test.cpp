// data/rsets: every R built-in against its package's documentation (rows and classes as ?Object states them),
// against R itself (tests/golden/rdata_sets.txt: the ordered factors are the ones coded as integers), its
// missing-value summary, and loading twice gives the same bytes.
#include "data/rsets.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <set>

#include "data/builtin.hpp"
#include "support/r_golden.hpp"

namespace actlab::data {
namespace {

using testing::r_golden;

// Rows and classes as the R help pages say them (Rscript -e "tools::Rd2txt(utils:::.getHelpFile(help('Sonar',
// package='mlbench')))"). Where a page does not give a number, the note says where it comes from.
struct Documented {
  const char* object;
  std::size_t rows;  // of the R object, before preparation
  int classes;       // 0: regression
  const char* note;
};

const Documented kDocs[] = {
    {"BreastCancer", 699, 2, "?BreastCancer: 699 observations; classes benign, malignant"},
    {"DNA", 3186, 3, "?DNA: 3,186 observations; the 3 classes ei, ie, neither"},
    {"Glass", 214, 6,
     "?Glass: 214 observations; Type lists 7 glass types, of which types 1, 2, 3, 5, 6, 7 occur"},
    {"HouseVotes84", 435, 2, "?HouseVotes84: 435 observations; Class democrat, republican"},
    {"Ionosphere", 351, 2, "?Ionosphere: 351 observations; target class good, bad"},
    {"LetterRecognition", 20000, 26, "?LetterRecognition: 20,000 observations; lettr with levels A-Z"},
    {"PimaIndiansDiabetes", 768, 2, "?PimaIndiansDiabetes: 768 observations; diabetes neg, pos"},
    {"PimaIndiansDiabetes2", 768, 2, "?PimaIndiansDiabetes: 768 observations (the NA version)"},
    {"Satellite", 6435, 6,
     "?Satellite lists the 6 classes; 6435 rows as in UCI's StatLog Landsat (4435 + 2000)"},
    {"Shuttle", 58000, 7, "?Shuttle: 58,000 observations; target class with 7 levels"},
    {"Sonar", 208, 2, "?Sonar: 208 observations; Class M, R"},
    {"Soybean", 683, 19, "?Soybean: 683 observations; 19 classes"},
    {"Vehicle", 846, 4, "?Vehicle: 846 observations; classes bus, opel, saab, van (UCI)"},
    {"Vowel", 990, 11, "?Vowel: 990 observations; the eleven vowels"},
    {"Zoo", 101, 7, "?Zoo: 101 animals; type with 7 classes (UCI)"},
    {"income", 8993, 9, "?income: 8993 observations; INCOME in 9 brackets"},
    {"musk", 476, 2, "?musk: 476 observations; Class musk or not"},
    {"promotergene", 106, 2, "?promotergene: 106 observations; Class + or -"},
    {"spam", 4601, 2, "?spam: 4601 observations; type spam, nonspam"},
    {"ticdata", 9822, 2, "?ticdata: 9822 customer records; CARAVAN insurance or not"},
    {"BostonHousing", 506, 0, "?BostonHousing: 506 observations; medv"},
    {"BostonHousing2", 506, 0, "?BostonHousing: 506 observations; cmedv"},
    {"Ozone", 366, 0, "?Ozone: 366 observations"},
    {"Servo", 167, 0, "?Servo: 167 observations"},
};

const Documented* documented(const std::string& object) {
  for (const auto& d : kDocs)
    if (object == d.object) return &d;
  return nullptr;
}

bool same_bytes(const MatrixF& a, const MatrixF& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(float)) == 0;
}

class RSetTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RSetTest, MatchesItsDocumentationAndLoadsTheSameTwice) {
  const RSet* s = find_r_set(GetParam());
  ASSERT_TRUE(s);
  const Documented* doc = documented(s->object);
  ASSERT_TRUE(doc) << "no documented numbers for " << s->object;
  SCOPED_TRACE(doc->note);
  const auto& g = r_golden().at(s->object);

  // The R object's rows, as documented (and as R counts them).
  EXPECT_EQ(s->raw_rows, doc->rows);
  EXPECT_EQ(static_cast<std::size_t>(g.rows), doc->rows);
  FrameReport rep;
  auto ds = load_r_set(*s, kRLibraryDir, &rep);
  ASSERT_TRUE(ds) << ds.status().message();
  EXPECT_EQ(rep.rows_in, doc->rows);
  EXPECT_EQ(ds->classes(), doc->classes);
  EXPECT_EQ(ds->task, doc->classes ? Task::kClassification : Task::kRegression);
  EXPECT_EQ(ds->rows(), s->rows);
  EXPECT_EQ(ds->features(), s->features);
  EXPECT_EQ(ds->feature_names.size(), ds->features());
  EXPECT_EQ(rep.summary(), s->missing);
  if (ds->task == Task::kClassification) {
    const auto* target = g.column(s->plan.target);
    ASSERT_TRUE(target);
    std::vector<std::string> used;  // R's levels that have rows
    for (std::size_t k = 0; k < target->levels.size(); ++k)
      if (target->counts[k] > 0) used.push_back(target->levels[k]);
    EXPECT_EQ(ds->class_names, used);
  }

  // R's ordered factors are exactly coded as integers, with plain factors only where their levels are
  // numbers.
  for (const auto& c : g.columns) {
    if (c.name == s->plan.target) continue;
    const bool coded = std::count(s->plan.as_integer.begin(), s->plan.as_integer.end(), c.name) > 0;
    if (c.cls == "ordered") {
      EXPECT_TRUE(coded) << c.name << " is ordered in R";
    } else if (coded) {
      EXPECT_EQ(c.cls, "factor") << c.name;
      for (const auto& l : c.levels) {
        char* end = nullptr;
        std::strtod(l.c_str(), &end);
        EXPECT_TRUE(!l.empty() && *end == '\0') << c.name << ": level '" << l << "' is not a number";
      }
    }
  }

  // Deterministic: a second load gives the same bytes.
  auto again = load_r_set(*s);
  ASSERT_TRUE(again);
  EXPECT_TRUE(same_bytes(ds->x, again->x));
  EXPECT_TRUE(same_bytes(ds->y, again->y));
  EXPECT_EQ(ds->labels, again->labels);
  EXPECT_EQ(ds->feature_names, again->feature_names);
  // Through data::load, by either name.
  auto by_object = load(s->object);
  ASSERT_TRUE(by_object) << by_object.status().message();
  EXPECT_EQ(by_object->name, s->name);
  EXPECT_TRUE(same_bytes(ds->x, by_object->x));
}

std::vector<std::string> all_names() {
  std::vector<std::string> v;
  for (const RSet& s : r_sets()) v.push_back(s.name);
  return v;
}

INSTANTIATE_TEST_SUITE_P(Every, RSetTest, ::testing::ValuesIn(all_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = i.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(RSets, TwentyClassificationSetsAndFourRegression) {
  int classification = 0, regression = 0;
  std::set<std::string> names;
  for (const RSet& s : r_sets()) {
    (s.task == Task::kClassification ? classification : regression)++;
    EXPECT_TRUE(names.insert(s.name).second) << s.name;
    EXPECT_TRUE(r_golden().count(s.object)) << s.object;
  }
  EXPECT_EQ(classification, 20);
  EXPECT_EQ(regression, 4);
  EXPECT_EQ(find_r_set("BreastCancer"), find_r_set("breast_cancer_wisconsin"));
  EXPECT_EQ(find_r_set("breast-cancer"), nullptr);  // that name is scikit-learn's diagnostic set
}

TEST(RSets, TheSourcesOwnTestSetAndMissingValues) {
  auto tic = load("ticdata");
  ASSERT_TRUE(tic);
  EXPECT_EQ(tic->test_start, 5822u);
  auto pima = load("pima-diabetes-2");
  ASSERT_TRUE(pima);
  std::size_t nan = 0;
  for (Eigen::Index i = 0; i < pima->x.size(); ++i) nan += std::isnan(pima->x.data()[i]);
  // R: glucose 5, pressure 35, triceps 227, insulin 374, mass 11 NAs.
  EXPECT_EQ(nan, 5u + 35 + 227 + 374 + 11);
  std::vector<std::string> indicators;
  for (const auto& n : pima->feature_names)
    if (n.size() > 3 && n.substr(n.size() - 3) == ":NA") indicators.push_back(n);
  EXPECT_EQ(indicators,
            (std::vector<std::string>{"glucose:NA", "pressure:NA", "triceps:NA", "insulin:NA", "mass:NA"}));
}

TEST(RSets, AMissingPackageIsNamed) {
  LoadOptions o;
  o.r_library_dir = "/nonexistent/R";
  auto s = load("sonar", o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s.status().message(),
            "sonar: /nonexistent/R/mlbench/data/Sonar.rda not found; it comes with the Debian package "
            "r-cran-mlbench (apt-get install r-cran-mlbench)");
}

}  // namespace
}  // namespace actlab::data
