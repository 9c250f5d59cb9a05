#include "cli/output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <ostream>

namespace svcsim {

int write_output(const std::string& path, const std::string& text, std::ostream& out,
                 std::ostream& err) {
  if (path.empty() || path == "-") {
    out << text << std::flush;
    return 0;
  }
  const std::string temp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream f(temp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) {
      err << "svcsim: error: cannot write " << path << " (" << std::strerror(errno) << ")\n";
      std::remove(temp.c_str());
      return 1;
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    err << "svcsim: error: cannot write " << path << " (" << std::strerror(errno) << ")\n";
    std::remove(temp.c_str());
    return 1;
  }
  return 0;
}

}  // namespace svcsim
