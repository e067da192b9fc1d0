// User catalog files: good files register entries that every lookup sees; bad ones are refused whole, with
// the file, the entry and (for JSON and formula errors) the line:column; save_user_entry round-trips;
// registered entries never move, and registration is safe from several threads.
#include "activations/user_catalog.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "activations/activation.hpp"
#include "activations/parser.hpp"
#include "activations/properties.hpp"
#include "support/temp_dir.hpp"

namespace actlab::activations {
namespace {

using testing::TempDir;
using testing::write_text;

std::string catalog_text(const std::string& entries) {
  return "{\"format\": \"actlab-catalog\", \"version\": 1,\n \"entries\": [\n" + entries + "\n]}\n";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every test leaves the catalog as it found it: built-in entries only (catalog_test checks every entry).
class UserCatalog : public ::testing::Test {
 protected:
  void TearDown() override { remove_user_entries(); }

  // Writes the entries into a catalog file and loads it; the Status of the load.
  Status load(const std::string& entries, const std::string& name = "cat.json") {
    path_ = dir_ / name;
    write_text(path_, catalog_text(entries));
    return load_user_catalog(path_);
  }

  // The load fails as bad input, registers nothing, and its message has every fragment.
  void expect_refused(const std::string& entries, const std::vector<std::string>& fragments) {
    const std::size_t before = catalog().size();
    Status s = load(entries);
    ASSERT_FALSE(s.is_ok()) << entries;
    EXPECT_TRUE(s.is_bad_input()) << s.message();
    for (const std::string& f : fragments) EXPECT_NE(s.message().find(f), std::string::npos) << s.message();
    EXPECT_EQ(catalog().size(), before) << "a refused file registers nothing";
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(UserCatalog, EveryLookupSeesTheEntriesAfterTheBuiltInOnes) {
  const std::size_t builtin = catalog().size();
  const std::string first = catalog().front().name;
  const Status s = load(R"j(
    {"name": "evo_a", "formula": "max(relu(x), tanh(x))", "description": "evolved",
     "reference": "actlab evolve --seed 1"},
    {"name": "evo_b", "formula": "evo_a(x) + beta*x", "params": [{"name": "beta", "default": 0.5}]})j");
  ASSERT_TRUE(s.is_ok()) << s.message();
  ASSERT_EQ(catalog().size(), builtin + 2);
  EXPECT_EQ(catalog().front().name, first);
  EXPECT_EQ(catalog()[builtin].name, "evo_a");
  EXPECT_EQ(catalog()[builtin + 1].name, "evo_b");
  for (std::size_t i = 0; i < builtin; ++i) EXPECT_FALSE(catalog()[i].is_user()) << catalog()[i].name;

  const CatalogEntry* a = find_entry("evo_a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->is_user());
  EXPECT_EQ(a->source, path_);
  EXPECT_EQ(a->description, "evolved");
  EXPECT_EQ(a->reference, "actlab evolve --seed 1");
  EXPECT_FALSE(a->properties_declared);
  EXPECT_EQ(find_entry("EVO-B"), &catalog()[builtin + 1]);  // the usual normalisation
  const auto names = catalog_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "evo_b"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "relu"), names.end());

  // By name, with and without parameters; from formulas; derivatives through the inlined calls.
  auto b = Activation::make("evo_b");
  ASSERT_TRUE(b) << b.status().message();
  EXPECT_EQ(b->entry(), find_entry("evo_b"));
  EXPECT_DOUBLE_EQ(b->f(1.0), 1.5);
  EXPECT_DOUBLE_EQ(b->f(-1.0), -0.5);  // max(0, tanh(-1)) = 0
  EXPECT_DOUBLE_EQ(b->df(2.0), 1.5);
  auto b2 = Activation::make("evo_b", {{"beta", 2.0}});
  ASSERT_TRUE(b2);
  EXPECT_DOUBLE_EQ(b2->f(1.0), 3.0);
  auto f = Activation::make("2*evo_b(x, beta=0) - evo_a(x)");
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_DOUBLE_EQ(f->f(-0.5), 0.0);
  EXPECT_DOUBLE_EQ(f->f(0.5), 0.5);
  auto g = parse_formula("evo_b(x, 1)", {.functions = &catalog_functions()});
  ASSERT_TRUE(g) << g.status().message();
}

TEST_F(UserCatalog, DeclaredPropertiesAreFormulasInTheParams) {
  const Status s = load(R"j(
    {"name": "shifted", "formula": "relu(x) - c", "params": [{"name": "c", "default": 1, "learnable": true}],
     "range": ["-c", null], "kinks": "0", "monotone": true})j");
  ASSERT_TRUE(s.is_ok()) << s.message();
  const CatalogEntry* e = find_entry("shifted");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->properties_declared);
  EXPECT_EQ(e->range_lo, "-c");
  EXPECT_EQ(e->range_hi, "inf");
  EXPECT_TRUE(e->monotone);
  EXPECT_TRUE(e->has_learnable_params());
  const std::vector<std::pair<std::string, double>> params = {{"c", 2.0}};
  auto r = declared_range(*e, params);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lo, -2.0);
  EXPECT_TRUE(std::isinf(r->hi));
}

TEST_F(UserCatalog, NamesMustBeNewLowerCaseIdentifiers) {
  expect_refused(R"j({"name": "relu", "formula": "x"})j",
                 {"cat.json: entries[0] \"relu\": the name clashes with the built-in entry relu"});
  expect_refused(R"j({"name": "lrelu", "formula": "x"})j", {"alias of the built-in entry leaky_relu"});
  expect_refused(R"j({"name": "ok", "formula": "x"}, {"name": "max", "formula": "x"})j",
                 {"entries[1] \"max\"", "built-in function max()"});
  expect_refused(R"j({"name": "pi", "formula": "x"})j", {"formula language's 'pi'"});
  expect_refused(R"j({"name": "evo", "formula": "x"}, {"name": "evo", "formula": "2*x"})j",
                 {"entries[1] \"evo\"", "clashes with the user entry evo"});
  for (const char* bad : {"Evo", "1evo", "evo-1", "_evo", ""}) {
    expect_refused("{\"name\": \"" + std::string(bad) + "\", \"formula\": \"x\"}", {"not a valid name"});
  }
  expect_refused(R"j({"name": "p", "formula": "a*x", "params": [{"name": "x"}]})j", {"parameter 'x'"});
  expect_refused(R"j({"name": "p", "formula": "a*x", "params": [{"name": "a"}, {"name": "a"}]})j",
                 {"parameter 'a' appears twice"});
}

TEST_F(UserCatalog, FormulaErrorsNameTheFileTheEntryAndTheLineAndColumn) {
  const std::string bad_line = R"j(  {"name": "evo_bad", "formula": "max(relu(x), tnah(x))"})j";
  const std::size_t col = bad_line.find("tnah") + 1;
  expect_refused("  {\"name\": \"ok_one\", \"formula\": \"relu(x)\"},\n" + bad_line,
                 {"cat.json:4:" + std::to_string(col) +
                  ": entries[1] \"evo_bad\": formula: unknown function 'tnah'; did you mean 'tanh'?"});
  // Written with a JSON escape, the formula's text is not the file's: its column is within the formula.
  expect_refused(R"j({"name": "esc", "formula": "max(relu(\u0078), tnah(x))"})j",
                 {"cat.json: entries[0] \"esc\": formula 1:14: unknown function 'tnah'"});
  // Two entries with the same formula: the position is the second one's (q is a parameter of the first only).
  const std::string second = R"j(  {"name": "c", "formula": "q*x"})j";
  expect_refused(R"j(  {"name": "a", "formula": "q*x", "params": [{"name": "q"}]},)j"
                 "\n" +
                     second,
                 {"cat.json:4:" + std::to_string(second.find("q*x") + 1) +
                  ": entries[1] \"c\": formula: unknown name 'q'"});
  expect_refused(R"j({"name": "e1", "formula": "max(0, x"})j", {"entries[0] \"e1\": formula: expected ')'"});
  expect_refused(R"j({"name": "e2", "formula": "x + q"})j", {"unknown name 'q'"});
  expect_refused(R"j({"name": "e3", "formula": "softmax(x)"})j", {"acts on a whole row"});
  expect_refused(
      R"j({"name": "e4", "formula": "relu(x)", "range": ["lo", "inf"], "kinks": "", "monotone": true})j",
      {"entries[0] \"e4\": range:"});
}

TEST_F(UserCatalog, EntriesCallEarlierEntriesOnly) {
  expect_refused(R"j({"name": "first", "formula": "second(x)"}, {"name": "second", "formula": "x"})j",
                 {"entries[0] \"first\"", "unknown function 'second'"});
  expect_refused(R"j({"name": "me", "formula": "me(x)"})j", {"unknown function 'me'"});
  const Status s = load(R"j(
    {"name": "l1", "formula": "tanh(x)"},
    {"name": "l2", "formula": "l1(x)^2"},
    {"name": "l3", "formula": "l2(l1(x)) + mish(x)"})j");
  ASSERT_TRUE(s.is_ok()) << s.message();
  auto a = Activation::make("l3");
  ASSERT_TRUE(a);
  const double t = std::tanh(std::tanh(0.7));
  EXPECT_NEAR(a->f(0.7), t * t + 0.7 * std::tanh(std::log1p(std::exp(0.7))), 1e-15);
}

// Issue 17: a 1.7 KB catalog whose entries each compose the one before with itself reached 6 GiB in 30 s; the
// expansion now stops at the size limit (at e4) with a located error.
TEST_F(UserCatalog, DoublingEntriesStopAtTheSizeLimit) {
  std::string entries = R"j({"name": "e0", "formula": "x + x"})j";
  for (int i = 1; i < 40; ++i) {
    entries += ",\n{\"name\": \"e" + std::to_string(i) + "\", \"formula\": \"e" + std::to_string(i - 1) +
               "(e" + std::to_string(i - 1) + "(x))\"}";
  }
  expect_refused(entries, {"formula expands to more than the limit of 100000 nodes", "entries[4] \"e4\""});
}

TEST_F(UserCatalog, EndlessFileStopsAtTheSizeLimit) {
  const Status s = load_user_catalog("/dev/zero");
  ASSERT_FALSE(s.is_ok());
  EXPECT_TRUE(s.is_bad_input()) << s.message();
  EXPECT_NE(s.message().find("larger than the limit of 67108864 bytes"), std::string::npos) << s.message();
}

TEST_F(UserCatalog, JsonSyntaxErrorsGiveLineAndColumn) {
  path_ = dir_ / "broken.json";
  write_text(path_, "{\"format\": \"actlab-catalog\",\n \"version\": 1\n \"entries\": []}\n");
  Status s = load_user_catalog(path_);
  ASSERT_FALSE(s.is_ok());
  EXPECT_TRUE(s.is_bad_input());
  EXPECT_EQ(s.message().rfind(path_ + ":3:", 0), 0u) << s.message();
  EXPECT_NE(s.message().find("malformed JSON"), std::string::npos) << s.message();
  write_text(path_, "");
  s = load_user_catalog(path_);
  EXPECT_EQ(s.message().rfind(path_ + ":1:1: malformed JSON", 0), 0u) << s.message();
}

TEST_F(UserCatalog, TheFileShapeIsChecked) {
  Status missing = load_user_catalog(dir_ / "nope.json");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("nope.json: no such catalog file"), std::string::npos);
  auto refused = [&](const std::string& text, const std::string& fragment) {
    path_ = dir_ / "shape.json";
    write_text(path_, text);
    Status s = load_user_catalog(path_);
    EXPECT_TRUE(s.is_bad_input()) << text;
    EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
  };
  refused("[]", "a catalog file is a JSON object");
  refused(R"j({"format": "other", "version": 1, "entries": []})j", "not an actlab catalog");
  refused(R"j({"format": "actlab-catalog", "version": 2, "entries": []})j",
          "unsupported catalog \"version\"");
  refused(R"j({"format": "actlab-catalog", "version": 1})j", "\"entries\" must be an array");
  refused(R"j({"format": "actlab-catalog", "version": 1, "entries": [], "extra": 1})j",
          "unknown key \"extra\"");
  expect_refused(R"j({"name": "t", "formla": "x"})j", {"entries[0] \"t\": unknown key \"formla\""});
  expect_refused(R"j({"formula": "x"})j", {"entries[0]: \"name\" is required"});
  expect_refused(R"j({"name": "t"})j", {"\"formula\" is required"});
  expect_refused(R"j({"name": "t", "formula": "x", "kinks": "0"})j", {"declared together"});
  expect_refused(R"j({"name": "t", "formula": "a*x", "params": [{"name": "a", "default": "1"}]})j",
                 {"params[0]: \"default\" must be a finite number"});
  // An empty catalog is fine.
  EXPECT_TRUE(load("").is_ok());
}

TEST_F(UserCatalog, RegistrationIsAllOrNothingAndNamesStayUnique) {
  const std::size_t builtin = catalog().size();
  ASSERT_TRUE(load(R"j({"name": "once", "formula": "x"})j", "one.json").is_ok());
  const std::string one = path_;
  Status again =
      load(R"j({"name": "fresh", "formula": "x"}, {"name": "once", "formula": "2*x"})j", "two.json");
  ASSERT_FALSE(again.is_ok());
  EXPECT_NE(
      again.message().find("two.json: entries[1] \"once\": the name clashes with the user entry once (from " +
                           one + ")"),
      std::string::npos)
      << again.message();
  EXPECT_EQ(catalog().size(), builtin + 1);
  EXPECT_EQ(find_entry("fresh"), nullptr);
  // A later file may call the entries of an earlier one.
  ASSERT_TRUE(load(R"j({"name": "twice", "formula": "2*once(x)"})j", "three.json").is_ok());
  EXPECT_DOUBLE_EQ(Activation::make("twice")->f(3.0), 6.0);
  remove_user_entries();
  EXPECT_EQ(catalog().size(), builtin);
}

TEST_F(UserCatalog, SaveCreatesReplacesAndRoundTrips) {
  namespace fs = std::filesystem;
  const std::string path = dir_ / "config/actlab/catalog.json";  // the folder does not exist yet
  UserEntry a{.name = "evo_1", .formula = "max(relu(x), tanh(x))", .reference = "actlab evolve seed 1"};
  UserEntry b{.name = "evo_2",
              .formula = "evo_1(x) + s*sin(x)",
              .description = "a wiggle",
              .params = {{"s", 0.25, true}},
              .properties = DeclaredProperties{"-inf", "inf", "", false}};
  ASSERT_TRUE(save_user_entry(path, a).is_ok());
  ASSERT_TRUE(save_user_entry(path, b).is_ok());
  auto read = read_user_catalog(path);
  ASSERT_TRUE(read) << read.status().message();
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].name, "evo_1");
  EXPECT_EQ((*read)[0].reference, "actlab evolve seed 1");
  EXPECT_FALSE((*read)[0].properties.has_value());
  EXPECT_EQ((*read)[1].description, "a wiggle");
  ASSERT_EQ((*read)[1].params.size(), 1u);
  EXPECT_EQ((*read)[1].params[0].default_value, 0.25);
  EXPECT_TRUE((*read)[1].params[0].learnable);
  ASSERT_TRUE((*read)[1].properties.has_value());
  EXPECT_EQ((*read)[1].properties->range_lo, "-inf");

  // Replacing keeps the entry's place; the file stays a catalog and nothing temporary is left behind.
  a.formula = "relu(x)";
  ASSERT_TRUE(save_user_entry(path, a).is_ok());
  read = read_user_catalog(path);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].formula, "relu(x)");
  EXPECT_EQ((*read)[1].name, "evo_2");
  int files = 0;
  for (const auto& f : fs::directory_iterator(fs::path(path).parent_path())) files += f.is_regular_file();
  EXPECT_EQ(files, 1);
  const std::string text = slurp(path);
  EXPECT_NE(text.find("\"format\": \"actlab-catalog\""), std::string::npos) << text;

  ASSERT_TRUE(load_user_catalog(path).is_ok());
  EXPECT_DOUBLE_EQ(Activation::make("evo_2", {{"s", 0.0}})->f(2.0), 2.0);
}

TEST_F(UserCatalog, SaveRefusesBadEntriesAndBadFilesWithoutTouchingThem) {
  const std::string path = dir_ / "cat.json";
  ASSERT_TRUE(save_user_entry(path, {.name = "base", .formula = "a*x", .params = {{"a", 1.0}}}).is_ok());
  ASSERT_TRUE(save_user_entry(path, {.name = "user_of_base", .formula = "base(x, a=2)"}).is_ok());
  const std::string before = slurp(path);
  Status clash = save_user_entry(path, {.name = "tanh", .formula = "x"});
  EXPECT_TRUE(clash.is_bad_input());
  EXPECT_NE(clash.message().find("entries[2] \"tanh\": the name clashes with the built-in"),
            std::string::npos)
      << clash.message();
  Status bad = save_user_entry(path, {.name = "nope", .formula = "x +"});
  EXPECT_NE(bad.message().find("entries[2] \"nope\": formula 1:"), std::string::npos) << bad.message();
  // Replacing base without its parameter breaks the entry after it that sets a=2.
  Status breaks = save_user_entry(path, {.name = "base", .formula = "x"});
  EXPECT_NE(breaks.message().find("entries[1] \"user_of_base\""), std::string::npos) << breaks.message();
  EXPECT_EQ(slurp(path), before);

  const std::string junk = dir_ / "junk.json";
  write_text(junk, "{not json");
  Status s = save_user_entry(junk, {.name = "fine", .formula = "x"});
  EXPECT_NE(s.message().find("junk.json:1:3: malformed JSON"), std::string::npos) << s.message();
  EXPECT_EQ(slurp(junk), "{not json");
}

TEST_F(UserCatalog, ReadingDoesNotRegister) {
  const std::size_t builtin = catalog().size();
  path_ = dir_ / "r.json";
  write_text(path_, catalog_text(R"j({"name": "r1", "formula": "x"})j"));
  auto r = read_user_catalog(path_);
  ASSERT_TRUE(r);
  EXPECT_EQ(catalog().size(), builtin);
  ASSERT_TRUE(register_user_entries(*r, "somewhere").is_ok());
  EXPECT_EQ(find_entry("r1")->source, "somewhere");
}

// An Activation keeps a pointer to its catalog entry: entries never move, so it stays valid while hundreds
// more are registered from several threads, with lookups and Activation::make running alongside.
TEST_F(UserCatalog, EntriesStayPutWhileOthersAreAddedFromManyThreads) {
  const std::size_t builtin = catalog().size();
  ASSERT_TRUE(register_user_entries({{.name = "first_one", .formula = "x*tanh(b*x)", .params = {{"b", 2.0}}}},
                                    "stable.json")
                  .is_ok());
  auto a = Activation::make("first_one", {{"b", 1.5}});
  ASSERT_TRUE(a) << a.status().message();
  const CatalogEntry* e = a->entry();
  ASSERT_NE(e, nullptr);

  constexpr int kThreads = 8, kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < kPerThread; ++i) {
        // Each new entry calls the first one, so every check looks it up while other threads append.
        const std::string name = "grown_" + std::to_string(t) + "_" + std::to_string(i);
        const UserEntry u{.name = name, .formula = std::to_string(i + 1) + "*first_one(x)"};
        if (!register_user_entries({u}, "thread_" + std::to_string(t)).is_ok()) ++failures;
        auto b = Activation::make(name);
        if (!b || b->entry() != find_entry(name) || std::abs(b->f(1.0) - (i + 1) * std::tanh(2.0)) > 1e-12)
          ++failures;
      }
    });
  }
  // Two threads racing for one name: exactly one registers it.
  std::atomic<int> won{0};
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&won] {
      if (register_user_entries({{.name = "contested", .formula = "x"}}, "race").is_ok()) ++won;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(catalog().size(), builtin + 1 + kThreads * kPerThread + 1);

  // The first Activation and its entry are where they were.
  EXPECT_EQ(find_entry("first_one"), e);
  EXPECT_EQ(a->entry(), e);
  EXPECT_EQ(e->name, "first_one");
  EXPECT_EQ(e->source, "stable.json");
  ASSERT_EQ(e->params.size(), 1u);
  EXPECT_EQ(e->params[0].name, "b");
  EXPECT_FALSE(a->row_wise());
  EXPECT_NEAR(a->f(0.7), 0.7 * std::tanh(1.5 * 0.7), 1e-12);
  EXPECT_NEAR(a->df(0.7), std::tanh(1.05) + 1.05 * (1 - std::tanh(1.05) * std::tanh(1.05)), 1e-12);

  // Removing the user entries hides them from lookups; the Activation still works.
  remove_user_entries();
  EXPECT_EQ(find_entry("first_one"), nullptr);
  EXPECT_EQ(a->entry()->name, "first_one");
  EXPECT_NEAR(a->f(2.0), 2.0 * std::tanh(3.0), 1e-12);
}

}  // namespace
}  // namespace actlab::activations
