#include "core/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace actlab {
namespace {

Status failed(const std::string& path, const char* what, int err) {
  return Status::io_error(path + ": " + what + " (" + std::strerror(err) + ")");
}

Status write_all(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::io_error(std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

// A target that exists and is not a regular file (/dev/stdout, a FIFO, /dev/full) cannot be replaced by a
// rename; it is written in place, every write and the close checked.
Status write_in_place(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return failed(path, "cannot open", errno);
  if (Status s = write_all(fd, bytes); !s) {
    ::close(fd);
    return Status::io_error(path + ": write failed (" + s.message() + ")");
  }
  if (::close(fd) != 0) return failed(path, "write failed", errno);
  return {};
}

}  // namespace

Status write_file_atomic(const std::string& path, std::string_view bytes) {
  if (path.empty()) return Status::io_error("cannot write a file with an empty name");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) return Status::io_error(path + ": is a directory");
    return write_in_place(path, bytes);
  }
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmpl = (dir == "/" ? "" : dir) + "/." + base + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return failed(path, "cannot create a file in its directory", errno);
  const std::string tmp(name.data());
  auto abandon = [&](const char* what, int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return failed(path, what, err);
  };
  // mkstemp creates mode 0600; give the file what a plain open() would (0666 less the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0) return abandon("cannot set permissions", errno);
  if (Status s = write_all(fd, bytes); !s) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::io_error(path + ": write failed (" + s.message() + ")");
  }
  if (::fsync(fd) != 0 && errno != EINVAL && errno != EROFS) return abandon("write failed", errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return failed(path, "write failed", err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return failed(path, "cannot replace the file", err);
  }
  return Status::ok();
}

Result<std::string> read_file_bounded(const std::string& path, std::size_t max_bytes) {
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    if (errno == ENOENT) return Status::not_found(path + ": no such file");
    return Status::io_error(path + ": cannot open (" + std::strerror(errno) + ")");
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, f);
    if (n > max_bytes - std::min(max_bytes, out.size())) {
      std::fclose(f);
      return Status::invalid(path + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, n);
    if (n < sizeof buf) break;
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status::io_error(path + ": read failed");
  return out;
}

}  // namespace actlab
