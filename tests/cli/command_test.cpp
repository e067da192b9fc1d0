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

}  // namespace
}  // namespace actlab::cli
