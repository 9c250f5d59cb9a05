#include "distributed/shipped_files.hpp"

#include <cerrno>

namespace svcsim {

file_recorder::file_recorder() : state_(std::make_shared<state>()) {}

file_reader file_recorder::reader() const {
  return [s = state_](const std::string& path, std::size_t limit, std::string& out) {
    const int failure = read_file(path, limit, out);
    if (failure == 0) {
      std::lock_guard<std::mutex> lock(s->lock);
      s->files[path] = out;
    }
    return failure;
  };
}

file_map file_recorder::files() const {
  std::lock_guard<std::mutex> lock(state_->lock);
  return state_->files;
}

file_reader shipped_reader(std::shared_ptr<const file_map> files) {
  return [files = std::move(files)](const std::string& path, std::size_t limit, std::string& out) {
    const auto it = files->find(path);
    if (it == files->end()) return ENOENT;
    out = it->second.substr(0, limit + 1);  // as read_file(): at most one byte past the limit
    return 0;
  };
}

}  // namespace svcsim
