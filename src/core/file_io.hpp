// Files in and out, safe against hostile inputs and full disks (docs/limits.md).
//
//   if (Status s = write_file_atomic("model.json", text); !s) return s;   // io_error: "model.json: ..."
//   auto text = read_file_bounded("my.json", kMaxTextFileBytes);          // /dev/zero: an error, not 100%
//   RAM
//
// write_file_atomic: an output file is either complete or left as it was: never empty, never half written.
// The bytes go to a temporary file in the same directory (so that the final step is a rename within one file
// system); every write, the flush to disk and the close are checked; only then is it renamed over `path`. On
// any failure (a full disk, a missing directory, no permission) the temporary file is removed, `path` is left
// untouched, and the Status says what failed (with strerror's words: "No space left on device").
// A target that exists and is not a regular file (/dev/stdout, a FIFO) is written in place, checked the same
// way. Every file the CLI writes goes through here (docs/limits.md, "Output files").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace actlab {

Status write_file_atomic(const std::string& path, std::string_view bytes);

// Text inputs read whole into memory (model files, catalogs, CSV and IDX after decompression) stop here.
constexpr std::size_t kMaxTextFileBytes = std::size_t{1} << 30;  // 1 GiB
// The whole file, or an invalid Status "PATH: larger than the limit of N bytes" once more than `max_bytes`
// arrive (checked while reading, so /dev/zero and endless pipes end too). not_found for a missing file.
Result<std::string> read_file_bounded(const std::string& path, std::size_t max_bytes);

}  // namespace actlab
