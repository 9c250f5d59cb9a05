// Reading a whole file with a size bound, for the scenario and its data files.
#pragma once

#include <cstddef>
#include <string>

namespace svcsim {

// Reads the file at `path` into `out`, but stops once `out` holds more than `limit` bytes (so
// the caller can refuse a file that is too large, and /dev/zero is not read forever).
// Returns 0, or the errno of the failure.
int read_file(const std::string& path, std::size_t limit, std::string& out);

}  // namespace svcsim
