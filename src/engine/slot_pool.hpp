// A pool of T addressed by small integer ids: add() reuses freed slots, so ids stay dense and
// memory follows the number of live entries, not the total ever added. Ids of removed entries
// must not be used again until add() returns them.
#pragma once

#include <cstdint>
#include <vector>

namespace svcsim {

template <class T>
class slot_pool {
 public:
  std::uint32_t add(T value) {
    if (free_.empty()) {
      items_.push_back(std::move(value));
      return static_cast<std::uint32_t>(items_.size() - 1);
    }
    const auto id = free_.back();
    free_.pop_back();
    items_[id] = std::move(value);
    return id;
  }
  void remove(std::uint32_t id) { free_.push_back(id); }
  T& operator[](std::uint32_t id) { return items_[id]; }
  const T& operator[](std::uint32_t id) const { return items_[id]; }
  std::size_t live() const { return items_.size() - free_.size(); }
  std::size_t slots() const { return items_.size(); }  // ids below this were handed out
  void clear() {
    items_.clear();
    free_.clear();
  }

 private:
  std::vector<T> items_;
  std::vector<std::uint32_t> free_;
};

}  // namespace svcsim
