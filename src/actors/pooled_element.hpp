// The mailbox element of a timed message between parties: what CAF's make_mailbox_element
// builds for one value (mailbox_element_vals<T>, which is final), except that its memory comes
// from a free list of its type on this thread instead of malloc. A run allocates one element per
// message (malloc and free were a tenth of a run's instructions); they are all of a few sizes.
//
// Invariants: an element is CAF's in every other way (the same bases, content and constructor
// arguments as scheduled_send's, normal priority); a free list keeps at most `kept` blocks,
// so it holds no more memory than a run's busiest moment would.
#pragma once

#include <caf/detail/tuple_vals.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/message.hpp>
#include <caf/message_id.hpp>
#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace svcsim {

template <class T>
class pooled_element final : public caf::mailbox_element,
                             public caf::detail::tuple_vals_impl<caf::type_erased_tuple, T> {
  // operator new below hands out ::operator new's blocks, aligned for this at most.
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "an over-aligned message");

 public:
  pooled_element(caf::strong_actor_ptr sender, T value)
      : caf::mailbox_element(std::move(sender), caf::make_message_id(), forwarding_stack{}),
        caf::detail::tuple_vals_impl<caf::type_erased_tuple, T>(std::move(value)) {}

  caf::type_erased_tuple& content() override { return *this; }
  const caf::type_erased_tuple& content() const override { return *this; }
  caf::message move_content_to_message() override {
    return caf::make_message(std::move(std::get<0>(this->data())));
  }
  caf::message copy_content_to_message() const override {
    return caf::make_message(std::get<0>(this->data()));
  }

  static void* operator new(std::size_t size) {
    auto& blocks = free_blocks();
    if (blocks.empty()) return ::operator new(size);
    void* block = blocks.back();
    blocks.pop_back();
    return block;
  }
  static void operator delete(void* block) noexcept {
    auto& blocks = free_blocks();
    if (blocks.size() < kept)
      keep_or_free(blocks, block);
    else
      ::operator delete(block);
  }

 private:
  static constexpr std::size_t kept = 1024;

  struct block_list : std::vector<void*> {
    ~block_list() {
      for (void* block : *this) ::operator delete(block);
    }
  };
  static block_list& free_blocks() {
    thread_local block_list blocks;
    return blocks;
  }
  // Growing the list may fail (noexcept: the block is then freed).
  static void keep_or_free(block_list& blocks, void* block) noexcept {
    try {
      blocks.push_back(block);
    } catch (...) {
      ::operator delete(block);
    }
  }
};

// An element of `value` from `sender`, as make_mailbox_element(sender, make_message_id(), {},
// value) would make it.
template <class T>
caf::mailbox_element_ptr make_pooled_element(caf::strong_actor_ptr sender, T value) {
  return caf::mailbox_element_ptr{new pooled_element<T>(std::move(sender), std::move(value))};
}

}  // namespace svcsim
