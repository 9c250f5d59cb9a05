// The actor type of every party of a run (services, the broker, clients): a CAF stateful
// event-based actor whose handlers are listed once, by serve(), and reach it two ways:
// - as its CAF behavior, which CAF matches against each message (and which serves any other
//   message, such as exit);
// - directly: consume() hands a message of the run (one value of a type some handler takes,
//   sent asynchronously) to that handler by its type, without CAF's generic matching, which
//   costs a sixth of a run's instructions.
// Both call the same handler, so a run is the same either way; with run_options::plain_caf
// only the first is used, and tests compare the two. Parties never change behavior (become)
// and their behaviors have no receive timeout.
//
// A scheduler that hands a party one message outside its mailbox (virtual_scheduler's timed
// messages) may call party::deliver, which skips CAF's activation around the handler too.
#pragma once

#include <caf/behavior.hpp>
#include <caf/detail/type_traits.hpp>
#include <caf/execution_unit.hpp>
#include <caf/invoke_message_result.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <exception>
#include <functional>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "actors/pooled_element.hpp"

namespace svcsim {

// What a scheduler sees of a party, whatever its state.
class party {
 public:
  // Handles `x`, a message outside the mailbox, as scheduled_actor::activate(ctx, x) would,
  // if it is one a direct handler takes (direct_of) and the party is up (it then returns
  // true); else it returns false and leaves `x` alone, for CAF's way.
  virtual bool deliver(caf::mailbox_element& x, caf::execution_unit* ctx) = 0;

 protected:
  ~party() = default;
};

template <class State>
class party_actor final : public caf::stateful_actor<State>, public party {
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
    if (const auto [d, value] = direct_of(x); d != nullptr) {
      this->current_element_ = &x;
      d->handle(value);
      return caf::invoke_message_result::consumed;
    }
    return super::consume(x);
  }

  bool deliver(caf::mailbox_element& x, caf::execution_unit* ctx) override {
    // activate(ctx) would refuse a party not yet initialized or gone.
    if (!this->getf(caf::abstract_actor::is_initialized_flag) || !this->alive()) return false;
    const auto [d, value] = direct_of(x);
    if (d == nullptr) return false;
    this->context(ctx);
    this->current_element_ = &x;
    try {
      d->handle(value);
    } catch (...) {
      // As reactivate(): the exception handler (run_context::guard's) names the error the
      // party quits with (the message is asynchronous: no one awaits a response).
      auto e = std::current_exception();
      this->quit(this->call_handler(this->exception_handler_, this, e));
      this->finalize();
      return true;
    }
    // What reactivate() does after a consumed message: a handler may have quit. (No receive
    // timeout to set again: parties have none.)
    this->bhvr_stack_.cleanup();
    if (!this->alive()) this->finalize();
    return true;
  }

 private:
  struct direct_handler {
    const std::type_info* type;                      // of the message
    const std::type_info* element;                   // of its pooled_element
    const void* (*value_of)(caf::mailbox_element&);  // of such an element
    std::function<void(const void*)> handle;
  };

  template <class Message>
  static const void* pooled_value(caf::mailbox_element& x) {
    return &std::get<0>(static_cast<pooled_element<Message>&>(x).data());
  }

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
    direct_.push_back({&typeid(message), &typeid(pooled_element<message>), &pooled_value<message>,
                       [h](const void* m) mutable { h(*static_cast<const message*>(m)); }});
  }

  // The direct handler of `x` and the value it takes, or nullptrs: a pooled element is known
  // by its own type (no virtual call); any other element must hold one value of a handler's
  // type, sent asynchronously. None while the party awaits a response: CAF's consume() holds
  // back every other message then.
  std::pair<const direct_handler*, const void*> direct_of(caf::mailbox_element& x) const {
    if (direct_.empty() || !this->awaited_responses_.empty()) return {};
    const std::type_info* element = &typeid(x);
    for (const auto& d : direct_)
      if (d.element == element) return {&d, d.value_of(x)};
    if (!x.mid.is_async()) return {};
    const auto& content = x.content();
    if (content.size() != 1) return {};
    const std::type_info* type = content.type(0).second;
    for (const auto& d : direct_)
      if (d.type == type) return {&d, content.get(0)};
    return {};
  }

  std::vector<direct_handler> direct_;
};

}  // namespace svcsim
