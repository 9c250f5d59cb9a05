#include "cli/output.hpp"

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
