// A FIFO queue in one growing array used as a ring: unlike std::deque it frees and allocates
// nothing while its length stays within what it has held before, so a long queue that moves
// costs no allocator work. Insertion elsewhere than at the back shifts the elements after it.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace svcsim {

template <class T>
class ring {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  T& front() { return items_[head_]; }
  const T& front() const { return items_[head_]; }
  // The i-th element from the front.
  T& operator[](std::size_t i) { return items_[(head_ + i) & (items_.size() - 1)]; }

  void push_back(T x) {
    if (size_ == items_.size()) grow();
    items_[(head_ + size_++) & (items_.size() - 1)] = std::move(x);
  }
  void pop_front() {
    head_ = (head_ + 1) & (items_.size() - 1);
    --size_;
  }
  // Puts x before the i-th element (at the back when i == size()).
  void insert(std::size_t i, T x) {
    push_back(std::move(x));
    for (std::size_t k = size_ - 1; k > i; --k) std::swap((*this)[k], (*this)[k - 1]);
  }

 private:
  void grow() {
    std::vector<T> bigger(items_.empty() ? 16 : 2 * items_.size());
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move((*this)[i]);
    items_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<T> items_;  // its size is 0 or a power of two
  std::size_t head_ = 0, size_ = 0;
};

}  // namespace svcsim
