#include "scenarios/load/read_file.hpp"

#include <cerrno>
#include <cstdio>

namespace svcsim {

int read_file(const std::string& path, std::size_t limit, std::string& out) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (!in) return errno;
  char buffer[65536];
  std::size_t n;
  errno = 0;
  while (out.size() <= limit && (n = std::fread(buffer, 1, sizeof buffer, in)) > 0)
    out.append(buffer, n);
  const int failure = std::ferror(in) ? (errno ? errno : EIO) : 0;
  std::fclose(in);
  return failure;
}

}  // namespace svcsim
