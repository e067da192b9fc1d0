// data/rdata: every packaged mlbench/kernlab file read column by column against what R itself reports
// (tests/golden/rdata_sets.txt, tools/gen_rdata_golden.R); R-written fixtures of every column kind, NA and
// file format (tests/golden/rdata/, tools/gen_rdata_fixtures.R); damaged files are errors naming the file,
// never crashes.
#include "data/rdata.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/golden.hpp"
#include "support/r_golden.hpp"
#include "support/temp_dir.hpp"

namespace actlab::data {
namespace {

using testing::r_golden;
using testing::source_path;

std::string fixture(const std::string& name) { return source_path("tests/golden/rdata/" + name); }

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RFrame frame_ok(const std::string& path, const std::string& object = "") {
  auto r = read_rdata_object(path, object);
  EXPECT_TRUE(r) << r.status().message();
  return r ? *r : RFrame{};
}

std::string expected_kind(const std::string& r_class) {
  return r_class == "ordered" ? "factor" : r_class;  // librdata does not tell ordered factors apart
}

// R's %.17g of a double, or "NA".
std::string g17(double v) {
  if (std::isnan(v)) return "NA";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

TEST(Rdata, EveryPackagedFileMatchesWhatRReports) {
  ASSERT_GE(r_golden().size(), 24u);
  for (const auto& [name, g] : r_golden()) {
    SCOPED_TRACE(name);
    RFrame f = frame_ok(g.path(), name);
    EXPECT_EQ(f.name, name);
    ASSERT_EQ(f.rows(), static_cast<std::size_t>(g.rows));
    ASSERT_EQ(f.columns.size(), static_cast<std::size_t>(g.cols));
    std::size_t incomplete = 0;
    for (std::size_t i = 0; i < f.rows(); ++i) {
      bool any = false;
      for (const auto& c : f.columns) any = any || c.missing(i);
      incomplete += any;
    }
    EXPECT_EQ(incomplete, static_cast<std::size_t>(g.incomplete_rows));
    for (std::size_t j = 0; j < f.columns.size(); ++j) {
      const RColumn& c = f.columns[j];
      const testing::RGoldenColumn& gc = g.columns[j];
      SCOPED_TRACE(gc.name);
      EXPECT_EQ(c.name, gc.name);
      EXPECT_EQ(rkind_name(c.kind), expected_kind(gc.cls));
      EXPECT_EQ(c.missing_count(), static_cast<std::size_t>(gc.nas));
      EXPECT_EQ(c.levels.size(), static_cast<std::size_t>(gc.nlevels));
      if (c.kind == RKind::kString) continue;
      EXPECT_EQ(g17(c.values[0]), gc.first);
      double sum = 0;  // R sums in long double; 1e-12 relative covers the difference
      for (double v : c.values)
        if (!std::isnan(v)) sum += v;
      EXPECT_TRUE(testing::close(sum, std::strtod(gc.sum.c_str(), nullptr), 1e-12, 0))
          << g17(sum) << " vs " << gc.sum;
      if (c.kind == RKind::kFactor) {
        EXPECT_EQ(c.levels, gc.levels);
        std::vector<int> counts(c.levels.size(), 0);
        for (double v : c.values)
          if (!std::isnan(v)) ++counts[static_cast<std::size_t>(v) - 1];
        EXPECT_EQ(counts, gc.counts);
      }
    }
  }
}

TEST(Rdata, EveryColumnKindWithItsMissingValues) {
  for (const char* file : {"kinds.rda", "kinds3.rda", "kinds.rds", "bz.rda"}) {
    SCOPED_TRACE(file);
    RFrame f = frame_ok(fixture(file), "kinds");
    EXPECT_EQ(f.name, "kinds");  // an .rds is named after its file's stem
    ASSERT_EQ(f.rows(), 5u);
    ASSERT_EQ(f.columns.size(), 7u);
    const RColumn* num = f.column("num");
    ASSERT_TRUE(num);
    EXPECT_EQ(num->kind, RKind::kNumeric);
    EXPECT_EQ(num->values[0], 1.5);
    EXPECT_TRUE(std::isnan(num->values[1]));  // R's NA_real_
    EXPECT_EQ(num->values[3], 1e300);
    const RColumn* in = f.column("int");
    EXPECT_EQ(in->kind, RKind::kInteger);
    EXPECT_EQ(in->values[3], -7);
    EXPECT_EQ(in->values[4], 2147483647.0);
    EXPECT_TRUE(std::isnan(in->values[2]));  // NA_integer_ is INT_MIN in the file
    const RColumn* lgl = f.column("lgl");
    EXPECT_EQ(lgl->kind, RKind::kLogical);
    EXPECT_EQ(lgl->values[0], 1);
    EXPECT_EQ(lgl->values[1], 0);
    EXPECT_TRUE(lgl->missing(2));
    const RColumn* fac = f.column("fac");
    EXPECT_EQ(fac->kind, RKind::kFactor);
    EXPECT_EQ(fac->levels, (std::vector<std::string>{"c", "b", "a"}));  // R's level order, not sorted
    EXPECT_EQ(fac->values[0], 2);                                       // "b"
    EXPECT_EQ(fac->values[3], 1);                                       // "c"
    EXPECT_TRUE(fac->missing(2));
    const RColumn* ord = f.column("ord");
    EXPECT_EQ(ord->kind, RKind::kFactor);
    EXPECT_EQ(ord->levels, (std::vector<std::string>{"lo", "mid", "hi"}));
    EXPECT_EQ(ord->values[1], 3);
    const RColumn* chr = f.column("chr");
    EXPECT_EQ(chr->kind, RKind::kString);
    EXPECT_EQ(chr->strings[2], "zz");
    EXPECT_EQ(chr->strings[3], "");  // an empty string is not NA
    EXPECT_FALSE(chr->strings[1].has_value());
    EXPECT_EQ(chr->missing_count(), 1u);
  }
}

TEST(Rdata, WorkspacesHoldSeveralObjects) {
  for (const char* file : {"kinds.rda", "kinds3.rda"}) {
    auto all = read_rdata(fixture(file));
    ASSERT_TRUE(all) << all.status().message();
    ASSERT_EQ(all->size(), 2u);  // the function f is skipped
    EXPECT_EQ((*all)[1].name, "second");
    RFrame second = frame_ok(fixture(file), "second");
    EXPECT_EQ(second.column("a")->values, (std::vector<double>{1, 2, 3}));
    EXPECT_EQ(second.column("b")->values, (std::vector<double>{0.5, 0.25, 0.125}));
    EXPECT_EQ(frame_ok(fixture(file)).name, "kinds");  // no name: the first
  }
  auto missing = read_rdata_object(fixture("kinds.rda"), "third");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            fixture("kinds.rda") + ": no data frame named 'third' (the file holds kinds, second)");
}

TEST(Rdata, AnAltrepSequenceIsItsValues) {
  RFrame second = frame_ok(fixture("second3.rda"));  // format 3 stores 1:3 as a compact_intseq
  EXPECT_EQ(second.column("a")->kind, RKind::kInteger);
  EXPECT_EQ(second.column("a")->values, (std::vector<double>{1, 2, 3}));
}

TEST(Rdata, AMatrixBecomesColumns) {
  RFrame m = frame_ok(fixture("matrix.rds"));
  EXPECT_EQ(m.name, "matrix");
  ASSERT_EQ(m.columns.size(), 2u);
  EXPECT_EQ(m.columns[0].name, "p");
  EXPECT_EQ(m.columns[1].name, "q");
  EXPECT_EQ(m.columns[0].values, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(m.columns[1].values, (std::vector<double>{5, 6, 7, 8}));
}

TEST(Rdata, NotRDataIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  const std::string csv = dir / "x.rda";
  testing::write_text(csv, "a,b\n1,2\n");
  auto r = read_rdata(csv);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind(csv + ": not an R data file", 0), 0u) << r.status().message();
  auto none = read_rdata(dir / "none.rda");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(none.status().message(), dir / "none.rda" + ": no such file");
  EXPECT_FALSE(read_rdata(dir.path().string()));
  EXPECT_TRUE(is_rdata_path("a/B.RData"));
  EXPECT_TRUE(is_rdata_path("x.rds"));
  EXPECT_FALSE(is_rdata_path("x.csv"));
}

// Parses damaged bytes; the result must be an error that names the file or, rarely (a flipped bit inside a
// number), a frame. Anything else (a crash, a hang) fails the whole binary.
void expect_safe(const std::string& bytes, const std::string& name, int& errors) {
  auto r = parse_rdata(bytes, name);
  if (!r) {
    ++errors;
    EXPECT_EQ(r.status().message().rfind(name + ": ", 0), 0u) << r.status().message();
    EXPECT_TRUE(r.status().is_bad_input()) << r.status().message();
  }
}

TEST(Rdata, TruncatedFilesAreErrors) {
  for (const char* file : {"kinds.rda", "kinds.rds", "kinds3.rda", "bz.rda", "matrix.rds", "second3.rda"}) {
    SCOPED_TRACE(file);
    const std::string all = bytes_of(fixture(file));
    int errors = 0;
    for (std::size_t n = 0; n < all.size(); ++n) expect_safe(all.substr(0, n), file, errors);
    EXPECT_EQ(errors, static_cast<int>(all.size()));  // every proper prefix is an error
  }
  // A packaged xz file cut in half.
  const std::string glass = bytes_of(r_golden().at("Glass").path());
  auto r = parse_rdata(glass.substr(0, glass.size() / 2), "Glass.rda");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message().rfind("Glass.rda: corrupt or truncated xz data", 0), 0u)
      << r.status().message();
}

TEST(Rdata, BitFlippedFilesAreErrorsOrFrames) {
  // Every byte of the uncompressed fixtures (one bit each, rotating), where librdata itself meets the
  // damage, and every bit of second3.rda's ALTREP sequence (bytes 136..159: length 3, then n, start, step as
  // doubles). Flipping bit 1 of byte 140 makes n = 3·2^32, and librdata writes through the failed malloc: the
  // reader's child process dies, and the file is an error.
  for (const char* file : {"kinds.rda", "matrix.rds", "second3.rda"}) {
    SCOPED_TRACE(file);
    const std::string all = bytes_of(fixture(file));
    int errors = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
      std::string b = all;
      b[i] = static_cast<char>(b[i] ^ (1 << (i % 8)));
      expect_safe(b, file, errors);
    }
    EXPECT_GT(errors, 0);
  }
  const std::string seq = bytes_of(fixture("second3.rda"));
  ASSERT_EQ(seq.substr(136, 8), std::string("\0\0\0\x03\x40\x08\0\0", 8));  // length 3, then 3.0
  int errors = 0;
  for (std::size_t i = 136; i < 160; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string b = seq;
      b[i] = static_cast<char>(b[i] ^ (1 << bit));
      expect_safe(b, "second3.rda", errors);
    }
  }
  std::string b = seq;
  b[140] = static_cast<char>(b[140] ^ 2);
  auto died = parse_rdata(b, "second3.rda");
  ASSERT_FALSE(died);
  EXPECT_EQ(
      died.status().message(),
      "second3.rda: not a readable R data file (librdata died on it with signal 11; the file is damaged)");
  // Compressed packaged files (xz, bzip2): their check sums catch most flips before librdata sees them.
  for (const char* set : {"Sonar", "promotergene"}) {
    const std::string all = bytes_of(r_golden().at(set).path());
    errors = 0;
    for (std::size_t i = 7; i < all.size(); i += all.size() / 40) {
      std::string b = all;
      b[i] = static_cast<char>(b[i] ^ 0x10);
      expect_safe(b, set, errors);
    }
    EXPECT_GT(errors, 30) << set;
  }
}

}  // namespace
}  // namespace actlab::data
