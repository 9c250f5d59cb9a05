// Reading a whole file with a size bound, for the scenario and its data files.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace svcsim {

// Reads the file at `path` into `out`, but stops once `out` holds more than `limit` bytes (so
// the caller can refuse a file that is too large, and /dev/zero is not read forever).
// Returns 0, or the errno of the failure.
int read_file(const std::string& path, std::size_t limit, std::string& out);

// Where the loader reads the scenario and its data files, as read_file() does: from disk when
// empty; a worker node reads only the files sent with its job (distributed/).
using file_reader =
    std::function<int(const std::string& path, std::size_t limit, std::string& out)>;

}  // namespace svcsim
