#include "cli/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <ostream>

namespace svcsim {
namespace {

int cannot_write(const std::string& path, std::ostream& err) {
  err << "svcsim: error: cannot write " << path << " (" << std::strerror(errno) << ")\n";
  return 1;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.flush();
  return static_cast<bool>(f);
}

}  // namespace

int check_output(const std::string& path, std::ostream& err) {
  if (path.empty() || path == "-") return 0;
  std::string target = path;
  if (char resolved[PATH_MAX]; realpath(path.c_str(), resolved)) target = resolved;
  struct stat st {};
  if (stat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      err << "svcsim: error: cannot write " << path << ": it is a directory; name a file in it\n";
      return 2;
    }
    if (!S_ISREG(st.st_mode)) return 0;  // a device or a pipe: written into at the end
  }
  const auto slash = target.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : target.substr(0, slash);
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    err << "svcsim: error: cannot write " << path << ": no directory " << dir
        << "; create it first\n";
    return 2;
  }
  // The report is written to a temporary file in `dir` and renamed: try that now.
  const std::string probe = target + ".tmp." + std::to_string(getpid());
  const int fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    err << "svcsim: error: cannot write " << path << " (" << std::strerror(errno) << ")\n";
    return 2;
  }
  close(fd);
  std::remove(probe.c_str());
  return 0;
}

int write_output(const std::string& path, const std::string& text, std::ostream& out,
                 std::ostream& err) {
  if (path.empty() || path == "-") {
    out << text << std::flush;
    return 0;
  }
  // Write where a symbolic link points, keeping the link.
  std::string target = path;
  if (char resolved[PATH_MAX]; realpath(path.c_str(), resolved)) target = resolved;
  struct stat st {};
  const bool exists = stat(target.c_str(), &st) == 0;
  // A device or a pipe (/dev/stdout, a FIFO) cannot be replaced: write into it.
  if (exists && !S_ISREG(st.st_mode)) return write_file(target, text) ? 0 : cannot_write(path, err);
  // A regular file is replaced whole: a temporary file beside it, renamed into place.
  const std::string temp = target + ".tmp." + std::to_string(getpid());
  if (!write_file(temp, text) || (exists && chmod(temp.c_str(), st.st_mode & 07777) != 0) ||
      std::rename(temp.c_str(), target.c_str()) != 0) {
    const int saved = errno;
    std::remove(temp.c_str());
    errno = saved;
    return cannot_write(path, err);
  }
  return 0;
}

}  // namespace svcsim
