// The actor type of every party of a run (services, the broker, clients): a CAF stateful
// event-based actor whose handlers are listed once, by serve(), and reach it two ways:
// - as its CAF behavior, which CAF matches against each message (and which serves any other
//   message, such as exit);
// - directly: consume() hands a message of the run (one value of a type some handler takes,
//   sent asynchronously) to that handler by its type, without CAF's generic matching, which
//   costs a sixth of a run's instructions.
// Both call the same handler, so a run is the same either way; with run_options::plain_caf
// only the first is used, and tests compare the two. Parties never change behavior (become).
#pragma once

#include <caf/behavior.hpp>
#include <caf/detail/type_traits.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <functional>
#include <type_traits>
#include <typeinfo>
#include <vector>

namespace svcsim {

template <class State>
class party_actor final : public caf::stateful_actor<State> {
 public:
  using super = caf::stateful_actor<State>;
  using super::super;

  // The behavior of `handlers` (each a callable of one const message reference); unless
  // `plain_caf`, the same handlers also serve directly.
  template <class... Handlers>
  caf::behavior serve(bool plain_caf, Handlers... handlers) {
    direct_.clear();  // the handlers of the behavior this returns, and only those
    if (!plain_caf) (add_direct(handlers), ...);
    return caf::behavior{std::move(handlers)...};
  }

  caf::invoke_message_result consume(caf::mailbox_element& x) override {
    const auto& content = x.content();
    if (!direct_.empty() && x.mid.is_async() && content.size() == 1) {
      const std::type_info* type = content.type(0).second;
      for (const auto& d : direct_)
        if (d.type == type) {
          this->current_element_ = &x;
          d.handle(content.get(0));
          return caf::invoke_message_result::consumed;
        }
    }
    return super::consume(x);
  }

 private:
  struct direct_handler {
    const std::type_info* type;
    std::function<void(const void*)> handle;
  };

  template <class Handler>
  void add_direct(Handler h) {
    using args = typename caf::detail::get_callable_trait<Handler>::arg_types;
    static_assert(caf::detail::tl_size<args>::value == 1, "a handler takes one message");
    using message = std::decay_t<caf::detail::tl_head_t<args>>;
    // CAF handles its system messages itself (categorize): they must not go around it.
    static_assert(
        !std::is_same_v<message, caf::exit_msg> && !std::is_same_v<message, caf::down_msg> &&
            !std::is_same_v<message, caf::error> && !std::is_same_v<message, caf::timeout_msg>,
        "a party's direct handler takes one of the run's own messages");
    direct_.push_back(
        {&typeid(message), [h](const void* m) mutable { h(*static_cast<const message*>(m)); }});
  }

  std::vector<direct_handler> direct_;
};

}  // namespace svcsim
