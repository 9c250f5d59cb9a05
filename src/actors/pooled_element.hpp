// The mailbox element of a timed message between parties: what CAF's make_mailbox_element
// builds for one value (mailbox_element_vals<T>, which is final), except that a dropped element
// is not destroyed but kept, alive, as a spare of its type on this thread, and made again for
// the next message (malloc and free were a tenth of a run's instructions; then CAF's
// constructor and destructor of the element's bases, out of line, another tenth).
//
// Invariants: an element is CAF's in every other way (the same bases, content and state as
// scheduled_send's, normal priority); a spare holds no sender, no forwarding stage and no
// value that owns anything; a thread keeps at most `kept` spares of a type, so they hold no
// more memory than a run's busiest moment would.
#pragma once

#include <caf/detail/tuple_vals.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/message.hpp>
#include <caf/message_id.hpp>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

namespace svcsim {

template <class T>
class pooled_element final : public caf::mailbox_element,
                             public caf::detail::tuple_vals_impl<caf::type_erased_tuple, T> {
 public:
  // An element of `value` from `sender`, as make_mailbox_element(sender, make_message_id(),
  // {}, value) would make it: a spare one of this thread made so again, or a new one.
  static caf::mailbox_element_ptr make(caf::strong_actor_ptr sender, T value) {
    auto& spare = spares();
    if (spare.empty()) {
      if (spare.capacity() < kept) spare.reserve(kept);  // here, where it may throw
      return caf::mailbox_element_ptr{new pooled_element(std::move(sender), std::move(value))};
    }
    pooled_element* x = spare.back();
    spare.pop_back();
    x->next = nullptr;
    x->sender = std::move(sender);
    x->mid = caf::make_message_id();
    std::get<0>(x->data()) = std::move(value);
    return caf::mailbox_element_ptr{x};
  }

  caf::type_erased_tuple& content() override { return *this; }
  const caf::type_erased_tuple& content() const override { return *this; }
  caf::message move_content_to_message() override {
    return caf::make_message(std::move(std::get<0>(this->data())));
  }
  caf::message copy_content_to_message() const override {
    return caf::make_message(std::get<0>(this->data()));
  }

  // What a mailbox_element_ptr calls instead of delete (memory_managed's hook for elements
  // that manage their memory): the element lets go of its sender, forwarding stages and
  // value (what they hold goes now, as it would with the element) and waits as a spare, if
  // this thread's list has room (reserved by make, so it never grows here).
  void request_deletion(bool) const noexcept override {
    auto* self = const_cast<pooled_element*>(this);
    // First: what goes with them may drop elements, which become spares.
    self->sender.reset();
    self->stages.clear();
    if constexpr (!std::is_trivially_destructible_v<T>) std::get<0>(self->data()) = T{};
    auto& spare = spares();
    if (spare.size() >= spare.capacity()) {
      delete self;
      return;
    }
    spare.push_back(self);
  }

 private:
  pooled_element(caf::strong_actor_ptr sender, T value)
      : caf::mailbox_element(std::move(sender), caf::make_message_id(), forwarding_stack{}),
        caf::detail::tuple_vals_impl<caf::type_erased_tuple, T>(std::move(value)) {}

  static constexpr std::size_t kept = 1024;

  struct spare_list : std::vector<pooled_element*> {
    ~spare_list() {
      for (pooled_element* x : *this) delete x;
    }
  };
  static spare_list& spares() {
    thread_local spare_list spare;
    return spare;
  }
};

// An element of `value` from `sender`, as make_mailbox_element(sender, make_message_id(), {},
// value) would make it.
template <class T>
caf::mailbox_element_ptr make_pooled_element(caf::strong_actor_ptr sender, T value) {
  return pooled_element<T>::make(std::move(sender), std::move(value));
}

}  // namespace svcsim
