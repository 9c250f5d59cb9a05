// The files a study's scenarios read (scenario files, empirical data), shipped with the study to
// the workers: recorded as the coordinator's loader reads them, and on a worker served from
// memory, so that a worker reads no file of its own machine.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "scenarios/load/read_file.hpp"

namespace svcsim {

using file_map = std::map<std::string, std::string>;  // path as the loader names it: contents

// A file_reader that reads from disk and keeps what it read. Thread-safe.
class file_recorder {
 public:
  file_recorder();
  file_reader reader() const;
  file_map files() const;

 private:
  struct state {
    std::mutex lock;
    file_map files;
  };
  std::shared_ptr<state> state_;
};

// A file_reader of `files` only: any other path is ENOENT.
file_reader shipped_reader(std::shared_ptr<const file_map> files);

}  // namespace svcsim
