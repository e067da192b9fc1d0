// One flag vocabulary (docs/cli.md): enumerated flags list their values and suggest the nearest one, a
// misspelt flag or command gets a "did you mean", and the old spellings still work as aliases.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/command.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::cli {
namespace {

using testing::run_actlab;

void expect_refused(const std::vector<std::string>& args, const std::string& fragment) {
  const auto r = run_actlab(args);
  EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args.back() << "\n" << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  EXPECT_EQ(r.err.rfind("actlab: error: ", 0), 0u) << r.err;
}

TEST(Flags, NearestNameCountsASwapOnce) {
  const std::vector<std::string> opts = {"sgd", "adam", "adamw", "rmsprop"};
  EXPECT_EQ(nearest_name("adma", opts), "adam");
  EXPECT_EQ(nearest_name("rmsporp", opts), "rmsprop");
  EXPECT_EQ(nearest_name("sdg", opts), "sgd");
  EXPECT_EQ(nearest_name("lbfgs", opts), "");  // nothing near: no guess
  EXPECT_EQ(nearest_name("x", {"y"}), "");     // as far as it is long: no guess
  EXPECT_EQ(nearest_name("coev", {"coevo", "evo-single", "random"}), "coevo");
}

TEST(Flags, EnumeratedValuesAreCheckedWithTheListAndANearName) {
  expect_refused({"train", "--data", "iris", "--opt", "adma"},
                 "--opt: 'adma' is not one of sgd, adam, adamw, rmsprop (did you mean 'adam'?)");
  expect_refused({"train", "--data", "iris", "--init", "hee"}, "(did you mean 'he'?)");
  expect_refused({"train", "--data", "iris", "--init", "gausian:sigma_w=1"}, "(did you mean 'gaussian'?)");
  expect_refused({"train", "--data", "iris", "--lr-schedule", "cosin:min=0"}, "(did you mean 'cosine'?)");
  expect_refused({"train", "--data", "iris", "--early-stop", "val_loss"}, "(did you mean 'val-loss'?)");
  expect_refused({"train", "--data", "iris", "--standardize", "of"}, "is not one of auto, on, global, off");
  expect_refused({"train", "--data", "iris", "--loss", "mse2"}, "(did you mean 'mse'?)");
  // Accepted before and recorded as the run's network.
  expect_refused({"evolve", "--data", "iris", "--net", "foo:bar"},
                 "'foo:bar' is not one of fcn:lapid, cnn:lapid");
  expect_refused({"evolve", "--data", "iris", "--method", "coev"}, "(did you mean 'coevo'?)");
  expect_refused({"evolve", "--data", "iris", "--gp", "cgpp"}, "(did you mean 'cgp'?)");
  expect_refused({"converge", "--reflect", "bot"}, "(did you mean 'both'?)");
  expect_refused({"optbench", "--boundary", "clip"}, "is not one of clamp, reflect");
  expect_refused({"study", "create", "--storage", "sqlite:///x.db", "--name", "a", "--sampler", "tpee"},
                 "(did you mean 'tpe'?)");
  expect_refused(
      {"study", "export", "--storage", "sqlite:///x.db", "--name", "a", "--format", "cvs", "--to", "-"},
      "(did you mean 'csv'?)");
}

TEST(Flags, MisspeltFlagsAndCommandsGetADidYouMean) {
  expect_refused({"train", "--data", "iris", "--epoch", "3"}, "(did you mean '--epochs'?)");
  expect_refused({"trian", "--data", "iris"}, "(did you mean 'train'?)");
  expect_refused({"theory", "eco", "tanh"}, "(did you mean 'eoc'?)");
}

TEST(Flags, OldSpellingsAreAliases) {
  testing::TempDir dir;
  // --workers → --threads
  for (const char* f : {"--threads", "--workers"}) {
    const auto r = run_actlab({"evolve", "--data", "iris", "--generations", "1", "--population", "2",
                               "--epochs", "1", "--final-epochs", "0", f, "1", "--json"});
    EXPECT_EQ(r.exit_code, 0) << f << r.err;
  }
  // A bad count names the flag of the vocabulary.
  expect_refused(
      {"study", "optimize", "--storage", "sqlite:///x.db", "--name", "a", "--trials", "1", "--workers", "0"},
      "--threads");
  // --out → --plot for commands whose output is a picture
  for (const char* f : {"--plot", "--out"}) {
    const auto r = run_actlab({"act", "plot", "tanh", f, dir / (std::string(f + 2) + ".svg"), "--json"});
    EXPECT_TRUE(r.exit_code == 0 || r.err.find("gnuplot") != std::string::npos) << f << r.err;
    EXPECT_EQ(r.err.find("not expected"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace actlab::cli
