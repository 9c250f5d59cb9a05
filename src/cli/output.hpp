// Where a report goes: stdout, or a file written atomically (a temporary file beside it,
// renamed into place), so an interrupted or failed run never leaves a half-written report.
// A symbolic link is followed (the link stays), an existing file keeps its permissions, and a
// device or pipe is written into, not replaced.
#pragma once

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

}  // namespace svcsim
