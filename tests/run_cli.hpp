// Runs the svcsim binary as a user would, from the source directory, and keeps what it
// printed. Its stderr goes through a file in this process's own temporary folder, which is
// removed when the test program exits.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "temp_folder.hpp"

namespace svcsim::testing {

struct outcome {
  int status = -1;  // the exit status; -1 if svcsim did not exit (a signal)
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// This test program's scratch folder, for the files its CLI runs read and write.
inline const std::string& temp_dir() {
  static const temp_folder folder("svcsim-cli");
  return folder.path();
}

// `svcsim ARGS`, run from the source directory with no standard input.
inline outcome svcsim_cli(const std::string& args) {
  const std::string err_path = temp_dir() + "/stderr";
  const std::string cmd = std::string("cd " SVCSIM_SOURCE_DIR " && " SVCSIM_BINARY " ") + args +
                          " 2>" + err_path + " </dev/null";
  outcome o;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed: " + cmd);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.out.append(buf, n);
  const int raw = pclose(p);
  o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  o.err = slurp(err_path);
  return o;
}

}  // namespace svcsim::testing
