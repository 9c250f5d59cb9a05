#include "cli/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <ostream>

namespace svcsim {
namespace {

// Temporary files being written: an interrupt (Ctrl-C, kill) removes them before the process
// ends as the signal says, so that a stopped run leaves nothing behind.
constexpr int max_temps = 8;
char temp_paths[max_temps][PATH_MAX + 32];
volatile std::sig_atomic_t temp_used[max_temps];

extern "C" void remove_temps_and_stop(int sig) {
  for (int i = 0; i < max_temps; ++i)
    if (temp_used[i]) unlink(temp_paths[i]);  // async-signal-safe
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Registers `path` (-1: no room; then an interrupt leaves it).
int hold_temp(const std::string& path) {
  static const bool installed = [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, remove_temps_and_stop);
    return true;
  }();
  (void)installed;
  if (path.size() >= sizeof temp_paths[0]) return -1;
  for (int i = 0; i < max_temps; ++i)
    if (!temp_used[i]) {
      std::memcpy(temp_paths[i], path.c_str(), path.size() + 1);
      temp_used[i] = 1;
      return i;
    }
  return -1;
}

void let_go_temp(int slot) {
  if (slot >= 0) temp_used[slot] = 0;
}

int cannot_write(const std::string& path, std::ostream& err) {
  err << "svcsim: error: cannot write " << path << " (" << std::strerror(errno) << ")\n";
  return 1;
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
  output_file f(path, out);
  f.stream() << text;
  return f.commit(err);
}

output_file::output_file(const std::string& path, std::ostream& out)
    : path_(path), out_(out), direct_(path.empty() || path == "-") {
  if (direct_) return;
  // Write where a symbolic link points, keeping the link.
  target_ = path;
  if (char resolved[PATH_MAX]; realpath(path.c_str(), resolved)) target_ = resolved;
  struct stat st {};
  exists_ = stat(target_.c_str(), &st) == 0;
  mode_ = st.st_mode;
  // A device or a pipe (/dev/stdout, a FIFO) cannot be replaced: write into it. A regular file
  // is replaced whole: a temporary file beside it, renamed into place.
  if (!exists_ || S_ISREG(st.st_mode)) {
    temp_ = target_ + ".tmp." + std::to_string(getpid());
    temp_slot_ = hold_temp(temp_);
  }
  file_.open(temp_.empty() ? target_ : temp_, std::ios::binary | std::ios::trunc);
  if (!file_) open_errno_ = errno;
}

output_file::~output_file() {
  if (temp_.empty()) return;
  file_.close();
  std::remove(temp_.c_str());
  let_go_temp(temp_slot_);
}

int output_file::commit(std::ostream& err) {
  if (direct_) {
    out_ << std::flush;
    return 0;
  }
  file_.flush();
  const bool written = static_cast<bool>(file_);
  if (!written && open_errno_ == 0) open_errno_ = errno;
  file_.close();
  if (written && temp_.empty()) return 0;
  if (written && !(exists_ && chmod(temp_.c_str(), mode_ & 07777) != 0) &&
      std::rename(temp_.c_str(), target_.c_str()) == 0) {
    temp_.clear();
    let_go_temp(temp_slot_);
    return 0;
  }
  errno = written ? errno : open_errno_;
  return cannot_write(path_, err);  // the destructor removes the temporary file
}

}  // namespace svcsim
