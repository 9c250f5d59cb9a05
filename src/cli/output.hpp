// Where a report goes: stdout, or a file written atomically (a temporary file beside it,
// renamed into place), so an interrupted or failed run never leaves a half-written report.
// A symbolic link is followed (the link stays), an existing file keeps its permissions, and a
// device or pipe is written into, not replaced.
#pragma once

#include <fstream>
#include <iosfwd>
#include <string>

namespace svcsim {

// Before any work: whether `path` can be written, by creating (and removing) a file beside it.
// Returns 0, or 2 when it cannot (said on `err`): a missing directory, a directory in its
// place, no permission. Stdout ("" or "-") always can.
int check_output(const std::string& path, std::ostream& err);

// Returns the exit status: 0, or 1 when the file cannot be written (said on `err`).
int write_output(const std::string& path, const std::string& text, std::ostream& out,
                 std::ostream& err);

// The same, for output written as it is made (trace files): stream() until commit(), which
// puts it in place; destroyed without commit() (a failed run), or interrupted by SIGINT,
// SIGTERM or SIGHUP, it leaves nothing behind.
class output_file {
 public:
  output_file(const std::string& path, std::ostream& out);
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;
  ~output_file();

  std::ostream& stream() { return direct_ ? out_ : file_; }
  // Returns 0, or 1 when the file cannot be written (said on `err`).
  int commit(std::ostream& err);

 private:
  const std::string path_;
  std::ostream& out_;
  const bool direct_;    // stdout
  std::string target_;   // where it goes (a symbolic link followed)
  std::string temp_;     // beside it until commit(); empty: written in place (a device, a pipe)
  bool exists_ = false;  // target_ existed: its mode is kept
  unsigned mode_ = 0;
  int open_errno_ = 0;
  int temp_slot_ = -1;  // in the temporary files an interrupt removes
  std::ofstream file_;
};

}  // namespace svcsim
