// CAF's actor_clock for simulated time, one thread: timed messages, due in
// order of time and, at equal times, of scheduling (as CAF's test clock, whose multimap keeps
// equal keys in insertion order). Time moves only when the scheduler takes the next message
// (virtual_scheduler::deliver_next); it starts at 1 ns, as CAF's test clock does.
//
// Only timed messages are supported (scheduled_send, delayed_send to an actor): receive and
// request timeouts and messages to groups throw std::logic_error, since svcsim models its own
// timeouts with timed messages (CAF 0.17 never cancels request timeouts; docs/dev).
#pragma once

#include <caf/actor_clock.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/mailbox_element.hpp>
#include <cstdint>
#include <vector>

namespace svcsim {

class virtual_clock final : public caf::actor_clock {
 public:
  struct timed_message {
    time_point at;
    std::uint64_t order;  // scheduling order: ties in time go first in, first out
    caf::strong_actor_ptr receiver;
    caf::mailbox_element_ptr content;
  };

  virtual_clock();
  ~virtual_clock() override;
  virtual_clock(const virtual_clock&) = delete;  // it owns the messages waiting
  virtual_clock& operator=(const virtual_clock&) = delete;

  time_point now() const noexcept override { return now_; }
  const time_point& current_time() const noexcept { return now_; }  // the same, by reference
  duration_type difference(caf::atom_value, long, time_point t0,
                           time_point t1) const noexcept override;

  void schedule_message(time_point t, caf::strong_actor_ptr receiver,
                        caf::mailbox_element_ptr content) override;
  void cancel_all() override;

  // Unsupported (see above): the setters throw; the cancellations have nothing to cancel.
  void set_ordinary_timeout(time_point, caf::abstract_actor*, caf::atom_value,
                            std::uint64_t) override;
  void set_multi_timeout(time_point, caf::abstract_actor*, caf::atom_value, std::uint64_t) override;
  void set_request_timeout(time_point, caf::abstract_actor*, caf::message_id) override;
  void schedule_message(time_point, caf::group, caf::strong_actor_ptr, caf::message) override;
  void cancel_ordinary_timeout(caf::abstract_actor*, caf::atom_value) override {}
  void cancel_request_timeout(caf::abstract_actor*, caf::message_id) override {}
  void cancel_timeouts(caf::abstract_actor*) override {}

  bool empty() const { return near_.empty() && far_.empty(); }
  std::size_t size() const { return near_.size() + far_.size(); }
  // When the next message is due; only when !empty().
  time_point next_time() const { return next_is_far() ? far_.front().at : near_.back().at; }
  // Takes the next message off the clock and moves now to its time (never back); only when
  // !empty().
  timed_message pop();

 private:
  // A message waiting, in order: a key owns its receiver's reference and its content (a
  // plain struct, so that the vectors move keys as bytes); pop hands them over.
  struct key {
    time_point at;
    std::uint64_t order;
    caf::actor_control_block* receiver;
    caf::mailbox_element* content;
  };
  static timed_message take(const key& k);  // hands over what k owns
  void drop_all();
  static bool earlier(const key& a, const key& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  }
  bool next_is_far() const {
    return !far_.empty() && (near_.empty() || earlier(far_.front(), near_.back()));
  }
  void move_latest_far();
  void push_far(const key& k);
  void rise(std::size_t hole, const key& k);
  key pop_far();

  time_point now_;
  std::uint64_t scheduled_ = 0;
  // The keys, by (at, order), in two parts; the next is the earlier of their firsts.
  // - near_: a few keys, mostly those due soonest, sorted so that the next is last: taking it
  //   is free, and a new message, mostly due soon, goes in near the end. A key due after all
  //   of them goes there only while they are fewer than near_limit; at twice that, the latest
  //   half moves to far_.
  // - far_: the rest, in a 4-ary min-heap (half the levels of a binary heap): mostly arrivals
  //   put on the clock ahead in batches, 32 per workload on average (client.cpp).
  // Which part a key is in changes only the cost, never the order (bench: mesh-100).
  static constexpr std::size_t near_limit = 16;
  static constexpr int linear_steps = 8;  // then a binary search (schedule_message)
  std::vector<key> near_;
  std::vector<key> far_;
};

}  // namespace svcsim
