#include "actors/virtual_clock.hpp"

#include <algorithm>
#include <caf/group.hpp>
#include <caf/message.hpp>
#include <stdexcept>

namespace svcsim {
namespace {

[[noreturn]] void unsupported(const char* what) {
  throw std::logic_error(std::string("svcsim's virtual clock does not support ") + what +
                         "; schedule a message to the actor itself instead");
}

}  // namespace

virtual_clock::virtual_clock() : now_(duration_type{1}) {}

virtual_clock::duration_type virtual_clock::difference(caf::atom_value, long, time_point t0,
                                                       time_point t1) const noexcept {
  return t0 == t1 ? duration_type{1} : t1 - t0;
}

void virtual_clock::schedule_message(time_point t, caf::strong_actor_ptr receiver,
                                     caf::mailbox_element_ptr content) {
  std::uint32_t at;
  if (free_slots_.empty()) {
    at = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(slot{std::move(receiver), std::move(content)});
  } else {
    at = free_slots_.back();
    free_slots_.pop_back();
    slots_[at] = slot{std::move(receiver), std::move(content)};
  }
  const key k{t, scheduled_++, at};
  if (sorted_ && keys_.size() < sorted_limit) {
    // Before the first key due no later (k's order is the greatest): looked for from the end,
    // where a message due soon goes, by steps while they are few, then by halves.
    auto pos = keys_.end();
    for (int step = 0; pos != keys_.begin() && (pos - 1)->at <= t; --pos)
      if (++step == linear_steps) {
        pos = std::lower_bound(keys_.begin(), pos - 1, k, later{});
        break;
      }
    keys_.insert(pos, k);
    return;
  }
  if (sorted_) {
    std::make_heap(keys_.begin(), keys_.end(), later{});
    sorted_ = false;
  }
  keys_.push_back(k);
  std::push_heap(keys_.begin(), keys_.end(), later{});
}

virtual_clock::timed_message virtual_clock::pop() {
  if (!sorted_) std::pop_heap(keys_.begin(), keys_.end(), later{});
  const key next = keys_.back();
  keys_.pop_back();
  if (next.at > now_) now_ = next.at;
  auto& s = slots_[next.slot];
  timed_message out{next.at, next.order, std::move(s.receiver), std::move(s.content)};
  free_slots_.push_back(next.slot);
  return out;
}

void virtual_clock::cancel_all() {
  keys_.clear();
  slots_.clear();
  free_slots_.clear();
}

void virtual_clock::set_ordinary_timeout(time_point, caf::abstract_actor*, caf::atom_value,
                                         std::uint64_t) {
  unsupported("receive timeouts");
}

void virtual_clock::set_multi_timeout(time_point, caf::abstract_actor*, caf::atom_value,
                                      std::uint64_t) {
  unsupported("multi timeouts");
}

void virtual_clock::set_request_timeout(time_point, caf::abstract_actor*, caf::message_id) {
  unsupported("request timeouts");
}

void virtual_clock::schedule_message(time_point, caf::group, caf::strong_actor_ptr, caf::message) {
  unsupported("messages to groups");
}

}  // namespace svcsim
