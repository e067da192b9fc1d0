#include "core/progress.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace actlab {
namespace {

// Everything written to a tmpfile() so far.
std::string contents(std::FILE* f) {
  std::fflush(f);
  const long end = std::ftell(f);
  std::string s(static_cast<std::size_t>(end), '\0');
  std::rewind(f);
  const std::size_t got = std::fread(s.data(), 1, s.size(), f);
  s.resize(got);
  std::fseek(f, 0, SEEK_END);
  return s;
}

class TmpFile {
 public:
  TmpFile() : f_(std::tmpfile()) {}
  ~TmpFile() {
    if (f_ != nullptr) std::fclose(f_);
  }
  TmpFile(const TmpFile&) = delete;
  TmpFile& operator=(const TmpFile&) = delete;
  std::FILE* get() const { return f_; }

 private:
  std::FILE* f_;
};

TEST(ProgressBar, DisabledWritesNothing) {
  TmpFile f;
  ASSERT_NE(f.get(), nullptr);
  {
    ProgressBar bar("work", 100, f.get(), false);
    EXPECT_FALSE(bar.enabled());
    for (int i = 0; i < 100; ++i) bar.advance();
    bar.set_note("note");
    bar.set(100);
    EXPECT_EQ(bar.done(), 100);
    bar.finish();
  }
  EXPECT_EQ(contents(f.get()), "");
}

TEST(ProgressBar, DefaultsToDisabledWhenNotATerminal) {
  TmpFile f;
  ASSERT_NE(f.get(), nullptr);
  {
    ProgressBar bar("work", 10, f.get());
    EXPECT_FALSE(bar.enabled());
    bar.advance(10);
  }
  EXPECT_EQ(contents(f.get()), "");
  ProgressBar null_stream("work", 10, nullptr, true);
  EXPECT_FALSE(null_stream.enabled());
  null_stream.advance();  // must not touch the null stream
}

TEST(ProgressBar, LogLinesOnAFileWriteOnePlainLinePerBatchAtOnce) {
  TmpFile f;
  ASSERT_NE(f.get(), nullptr);
  ProgressBar bar("trials", 10, f.get());
  bar.log_lines(4);
  bar.set_note("best 1");
  for (int i = 0; i < 4; ++i) bar.advance();
  // Written and flushed before finish: what a killed run leaves in its log.
  const std::string first = contents(f.get());
  EXPECT_EQ(first.rfind("trials 4/10 ", 0), 0u) << first;
  EXPECT_NE(first.find(" best 1\n"), std::string::npos) << first;
  for (int i = 0; i < 5; ++i) bar.advance();  // 9: a line at 8
  bar.finish();                               // and one for the partial batch (9)
  bar.finish();
  const std::string all = contents(f.get());
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 3) << all;
  EXPECT_NE(all.find("trials 8/10 "), std::string::npos) << all;
  EXPECT_NE(all.find("trials 9/10 "), std::string::npos) << all;
  EXPECT_EQ(all.find('\r'), std::string::npos) << all;
}

TEST(ProgressBar, LogLinesNeverWhenDisabledOnPurposeOrDrawing) {
  TmpFile f;
  ASSERT_NE(f.get(), nullptr);
  {
    ProgressBar bar("work", 3, f.get(), true);  // a drawn bar: no plain lines besides it
    bar.log_lines();
    bar.advance(3);
  }
  const std::string drawn = contents(f.get());
  EXPECT_EQ(std::count(drawn.begin(), drawn.end(), '\n'), 1) << drawn;
  ProgressBar none("work", 3, nullptr);
  none.log_lines();
  none.advance();  // must not touch the null stream
}

TEST(ProgressBar, EnabledDrawsLabelCountAndNewline) {
  TmpFile f;
  ASSERT_NE(f.get(), nullptr);
  ProgressBar bar("training", 100, f.get(), true);
  EXPECT_TRUE(bar.enabled());
  for (int i = 0; i < 100; ++i) bar.advance();
  bar.set_note("best 0.5");
  bar.finish();
  const std::string out = contents(f.get());
  EXPECT_NE(out.find("training"), std::string::npos) << out;
  EXPECT_NE(out.find("100/100"), std::string::npos) << out;
  EXPECT_NE(out.find("100%"), std::string::npos) << out;
  EXPECT_NE(out.find("best 0.5"), std::string::npos) << out;
  EXPECT_NE(out.find("[####################]"), std::string::npos) << out;
  EXPECT_EQ(out.front(), '\r');
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  // The final line (after the last '\r') is the completed bar.
  const std::string last = out.substr(out.rfind('\r') + 1);
  EXPECT_EQ(last.rfind("training [####################] 100/100 100% ", 0), 0u) << last;
  EXPECT_EQ(last.find("eta"), std::string::npos) << last;

  bar.finish();   // idempotent
  bar.advance();  // after finish: counts, never draws
  EXPECT_EQ(contents(f.get()), out);
}

TEST(ProgressBar, DestructorFinishes) {
  TmpFile f;
  ASSERT_NE(f.get(), nullptr);
  {
    ProgressBar bar("scope", 4, f.get(), true);
    bar.advance(4);
  }
  const std::string out = contents(f.get());
  EXPECT_NE(out.find("4/4"), std::string::npos) << out;
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
}

TEST(ProgressBar, RedrawsAreThrottled) {
  TmpFile f;
  ASSERT_NE(f.get(), nullptr);
  {
    ProgressBar bar("fast", 100000, f.get(), true);
    for (int i = 0; i < 100000; ++i) bar.advance();
  }
  const std::string out = contents(f.get());
  const auto draws = std::count(out.begin(), out.end(), '\r');
  EXPECT_GE(draws, 1);
  EXPECT_LE(draws, 50) << "100000 quick advances should give a handful of redraws";
  EXPECT_NE(out.find("100000/100000"), std::string::npos);
}

TEST(ProgressBar, ConcurrentAdvanceCountsEverything) {
  TmpFile f;
  ASSERT_NE(f.get(), nullptr);
  ProgressBar bar("threads", 8000, f.get(), true);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) bar.advance();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bar.done(), 8000);
  bar.finish();
  EXPECT_NE(contents(f.get()).find("8000/8000"), std::string::npos);
}

TEST(ProgressBar, ShorterLinesBlankOutLongerOnes) {
  TmpFile f;
  ASSERT_NE(f.get(), nullptr);
  ProgressBar bar("x", 2, f.get(), true);
  bar.set_note("a long note that will disappear");
  bar.advance();  // first draw happens at once
  bar.set_note("");
  bar.finish();
  const std::string out = contents(f.get());
  const std::string last = out.substr(out.rfind('\r') + 1);
  const std::string first = out.substr(1, out.rfind('\r') - 1);
  EXPECT_NE(first.find("a long note"), std::string::npos) << out;
  EXPECT_GE(last.size(), first.size() + 1);  // padding with spaces, then '\n'
  EXPECT_EQ(last.find("long note"), std::string::npos);
}

TEST(FormatProgressLine, MatchesTheDocumentedLayout) {
  EXPECT_EQ(format_progress_line("fit", 42, 100, 1.2, ""),
            "fit [########............] 42/100 42% 1.2s eta 1.7s");
  EXPECT_EQ(format_progress_line("fit", 42, 100, 1.2, "lr 0.1"),
            "fit [########............] 42/100 42% 1.2s eta 1.7s lr 0.1");
  EXPECT_EQ(format_progress_line("fit", 0, 10, 0.0, ""), "fit [....................] 0/10 0% 0.0s eta ?");
  EXPECT_EQ(format_progress_line("fit", 10, 10, 3.0, ""), "fit [####################] 10/10 100% 3.0s");
  EXPECT_EQ(format_progress_line("fit", 12, 10, 3.0, ""), "fit [####################] 12/10 100% 3.0s");
  EXPECT_EQ(format_progress_line("scan", 7, 0, 0.5, "n"), "scan 7 0.5s n");  // unknown total
}

TEST(FormatDuration, Units) {
  EXPECT_EQ(format_duration(0.04), "0.0s");
  EXPECT_EQ(format_duration(1.26), "1.3s");
  EXPECT_EQ(format_duration(59.9), "59.9s");
  EXPECT_EQ(format_duration(59.97), "1m00s");
  EXPECT_EQ(format_duration(187.0), "3m07s");
  EXPECT_EQ(format_duration(7500.0), "2h05m");
  EXPECT_EQ(format_duration(-1.0), "0.0s");
  EXPECT_EQ(format_duration(std::nan("")), "0.0s");
}

}  // namespace
}  // namespace actlab
