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
#include <functional>
#include <type_traits>
#include <typeinfo>
#include <vector>

namespace svcsim {

// What a scheduler sees of a party, whatever its state.
class party {
 public:
  // Handles `x`, a message outside the mailbox, as scheduled_actor::activate(ctx, x) would,
  // if it is one a direct handler takes and the party is up and awaits no response (it then
  // returns true); else it returns false and leaves `x` alone, for CAF's way. Unlike CAF,
  // lets a handler's exception through: it ends the run rather than the party.
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
    if (const auto* d = direct_handler_of(x)) {
      this->current_element_ = &x;
      d->handle(x.content().get(0));
      return caf::invoke_message_result::consumed;
    }
    return super::consume(x);
  }

  bool deliver(caf::mailbox_element& x, caf::execution_unit* ctx) override {
    // activate(ctx) would refuse a party not yet initialized or gone; consume() would hold
    // back any message but the response it awaits.
    if (!this->getf(caf::abstract_actor::is_initialized_flag) || !this->alive() ||
        !this->awaited_responses_.empty())
      return false;
    const auto* d = direct_handler_of(x);
    if (d == nullptr) return false;
    this->context(ctx);
    this->current_element_ = &x;
    d->handle(x.content().get(0));
    // What reactivate() does after a consumed message: a handler may have quit. (No receive
    // timeout to set again: parties have none.)
    this->bhvr_stack_.cleanup();
    if (!this->alive()) this->finalize();
    return true;
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

  // The direct handler of `x`: one value of its type, sent asynchronously; or nullptr.
  const direct_handler* direct_handler_of(caf::mailbox_element& x) const {
    if (direct_.empty() || !x.mid.is_async()) return nullptr;
    const auto& content = x.content();
    if (content.size() != 1) return nullptr;
    const std::type_info* type = content.type(0).second;
    for (const auto& d : direct_)
      if (d.type == type) return &d;
    return nullptr;
  }

  std::vector<direct_handler> direct_;
};

}  // namespace svcsim
