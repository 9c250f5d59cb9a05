// What the broker holds for one subscription (a consumer group) and has not delivered: its
// messages in the order they reached the broker (seq). Without partitions any of them may go
// out while others are in flight. With P partitions (topic::partitions) each message waits in
// its own partition, and a partition lets its next message go only when the one in flight is
// done (acknowledged or lost): each partition is consumed in order, one message at a time.
// Invariants: a partition is `ready` (in the heap, once, under its first message's seq) exactly
// when it holds messages and none of its is in flight; the messages of a partition are in seq
// order.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "scenarios/scenario.hpp"

namespace svcsim {

struct queued {
  std::uint64_t trace;
  nanos published;
  std::uint64_t seq;  // order of arrival at the broker
  std::int32_t partition = 0;
  bool delivered_before = false;
};

class subscription_backlog {
 public:
  explicit subscription_backlog(int partitions = 0);

  bool partitioned() const { return !parts_.empty(); }
  // The oldest message that may go out now, or null.
  const queued* next() const {
    if (!partitioned()) return waiting_.empty() ? nullptr : &waiting_.front();
    return ready_.empty() ? nullptr : &parts_[ready_.top().second].front();
  }
  // Takes next(), which must exist; its partition is then in flight.
  queued take() {
    if (partitioned()) return take_partitioned();
    const queued m = waiting_.front();
    waiting_.pop_front();
    return m;
  }
  void push(const queued& m) {
    if (partitioned()) return push_partitioned(m);
    waiting_.push_back(m);
  }
  // The message in flight of partition `p` is done (acknowledged or lost); nothing if none is.
  void done(int p) {
    if (partitioned()) done_partitioned(p);
  }
  // A message that was taken comes back (its delivery was dropped): it waits again, in seq
  // order; its partition is no longer in flight.
  void put_back(const queued& m);
  // Every waiting message, removed (in order per partition). Messages in flight stay in
  // flight: their partitions wait for done() or put_back().
  std::vector<queued> clear();

 private:
  using ready_entry = std::pair<std::uint64_t, int>;  // (seq of its first message, partition)

  // The partitioned halves of take(), push() and done(); the others stay inline (the common case).
  queued take_partitioned();
  void push_partitioned(const queued& m);
  void done_partitioned(int p);
  void make_ready(int p);

  std::deque<queued> waiting_;  // unpartitioned
  std::vector<std::deque<queued>> parts_;
  std::vector<bool> in_flight_;
  std::priority_queue<ready_entry, std::vector<ready_entry>, std::greater<>> ready_;
};

}  // namespace svcsim
