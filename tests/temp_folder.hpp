// A fresh folder under /tmp for one test's files, removed with everything in it when the
// object goes: also when a check fails and Catch unwinds, not when the process dies (a crash,
// a sanitizer's abort, ctest's timeout).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace svcsim::testing {

class temp_folder {
 public:
  // `prefix` names the folder: /tmp/PREFIX-XXXXXX.
  explicit temp_folder(const std::string& prefix) {
    std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed: " + tmpl);
    path_ = tmpl;
  }
  ~temp_folder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace svcsim::testing
