#include "cli/command.hpp"

#include <gtest/gtest.h>

namespace actlab::cli {
namespace {

TEST(Command, StatusToExitCode) {
  EXPECT_EQ(finish(Status::ok()), kExitOk);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(finish(Status::invalid("--x: bad")), kExitBadInput);
  EXPECT_EQ(finish(Status::not_found("no such thing")), kExitBadInput);
  EXPECT_EQ(finish(Status::io_error("disk")), kExitFailure);
  EXPECT_EQ(finish(Status::numerical("nan")), kExitFailure);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("actlab: error: --x: bad\n"), std::string::npos);
}

TEST(Command, FlagMessageTurnsTheFieldIntoItsFlag) {
  EXPECT_EQ(flag_message(Status::invalid_field("max_retries", "must be at least 0")),
            "--max-retries: must be at least 0");
  // One vocabulary (docs/cli.md): the threads of a command are --threads, --workers its old spelling.
  EXPECT_EQ(flag_message(Status::invalid_field("workers", "must be at least 1")),
            "--threads: must be at least 1");
  EXPECT_EQ(flag_message(Status::invalid_field("train_fraction", "x")), "--train-fraction: x");
  EXPECT_EQ(flag_message(Status::not_found("no database at /x").with_field("storage")),
            "--storage: no database at /x");
  EXPECT_EQ(flag_message(Status::io_error("down").with_field("storage").with_context("study")),
            "study: --storage: down");
  // An entry of a map field keeps its own spelling: --param my_p, not --param my-p.
  EXPECT_EQ(flag_message(Status::invalid_field("param my_p", "no such parameter")),
            "--param my_p: no such parameter");
  EXPECT_EQ(flag_message(Status::invalid("plain")), "plain");
  // The field where it starts a word, not inside a flag a caller already wrote.
  EXPECT_EQ(flag_message(Status::not_found("no database").with_field("storage").with_context("--storage")),
            "--storage: --storage: no database");
  // A front end may name a field's flag differently.
  EXPECT_EQ(flag_message(Status::invalid_field("source", "x.csv: no such file"), {{"source", "--data"}}),
            "--data: x.csv: no such file");
}

}  // namespace
}  // namespace actlab::cli
