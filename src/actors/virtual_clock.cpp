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

// near_ never holds more than 2 * near_limit keys (schedule_message), so this room lasts.
virtual_clock::virtual_clock() : now_(duration_type{1}) { near_.reserve(2 * near_limit); }

virtual_clock::~virtual_clock() { drop_all(); }

virtual_clock::timed_message virtual_clock::take(const key& k) {
  return timed_message{k.at, k.order, caf::strong_actor_ptr{k.receiver, false},
                       caf::mailbox_element_ptr{k.content}};
}

// Each key taken off before its message is dropped: that may end an actor, which may touch
// the clock, even schedule another message (dropped too: the loop ends only when both parts are
// empty).
void virtual_clock::drop_all() {
  while (!empty()) {
    auto& keys = near_.empty() ? far_ : near_;
    const key k = keys.back();
    keys.pop_back();
    take(k);  // and dropped
  }
}

virtual_clock::duration_type virtual_clock::difference(caf::atom_value, long, time_point t0,
                                                       time_point t1) const noexcept {
  return t0 == t1 ? duration_type{1} : t1 - t0;
}

void virtual_clock::schedule_message(time_point t, caf::strong_actor_ptr receiver,
                                     caf::mailbox_element_ptr content) {
  // Room first, so that the key, once it owns the message, goes in without throwing (near_'s
  // is reserved at construction).
  if (far_.capacity() < far_.size() + near_limit + 1)
    far_.reserve(2 * (far_.size() + near_limit + 1));
  const key k{t, scheduled_++, receiver.release(), content.release()};
  if (near_.size() >= near_limit && !earlier(k, near_.front())) {
    push_far(k);
    return;
  }
  // Before the first key due no later (k's order is the greatest): looked for from the end,
  // where a message due soon goes, by steps while they are few, then by halves.
  auto pos = near_.end();
  for (int step = 0; pos != near_.begin() && (pos - 1)->at <= t; --pos)
    if (++step == linear_steps) {
      pos = std::lower_bound(near_.begin(), pos - 1, k,
                             [](const key& a, const key& b) { return earlier(b, a); });
      break;
    }
  near_.insert(pos, k);
  if (near_.size() >= 2 * near_limit) move_latest_far();
}

void virtual_clock::move_latest_far() {
  for (std::size_t i = 0; i < near_limit; ++i) push_far(near_[i]);
  near_.erase(near_.begin(), near_.begin() + near_limit);
}

// The heap: the children of i are 4i+1 .. 4i+4.
void virtual_clock::push_far(const key& k) {
  far_.push_back(k);
  rise(far_.size() - 1, k);
}

// Puts k in the hole at `hole`, or above it while k is due before the hole's parent.
void virtual_clock::rise(std::size_t hole, const key& k) {
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 4;
    if (!earlier(k, far_[parent])) break;
    far_[hole] = far_[parent];
    hole = parent;
  }
  far_[hole] = k;
}

// Takes the least key: the hole it leaves goes down by the least child to a leaf, where the
// last key goes in and rises as far as it must (it came from the bottom, so mostly not far).
virtual_clock::key virtual_clock::pop_far() {
  const key top = far_.front();
  const key last = far_.back();
  far_.pop_back();
  const std::size_t n = far_.size();
  if (n == 0) return top;
  std::size_t hole = 0;
  for (std::size_t c = 1; c < n; c = 4 * hole + 1) {
    std::size_t least = c;
    if (c + 4 <= n) {
      const std::size_t a = earlier(far_[c + 1], far_[c]) ? c + 1 : c;
      const std::size_t b = earlier(far_[c + 3], far_[c + 2]) ? c + 3 : c + 2;
      least = earlier(far_[b], far_[a]) ? b : a;
    } else {
      for (std::size_t j = c + 1; j < n; ++j)
        if (earlier(far_[j], far_[least])) least = j;
    }
    far_[hole] = far_[least];
    hole = least;
  }
  rise(hole, last);
  return top;
}

virtual_clock::timed_message virtual_clock::pop() {
  key next;
  if (next_is_far()) {
    next = pop_far();
  } else {
    next = near_.back();
    near_.pop_back();
  }
  if (next.at > now_) now_ = next.at;
  return take(next);
}

void virtual_clock::cancel_all() { drop_all(); }

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
