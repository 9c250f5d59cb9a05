// The recorder of measurements: follows every client request (a "trace") from its send until
// its reply and every asynchronous delivery it caused have been handled, and keeps the
// per-workload and per-topic histograms, the run's timeline and the spans around its failures.
//
// A trace stays open while it has pending pieces: the reply counts as one, each publish on its
// way to the broker as one, and each delivery from the publish's arrival at the broker until
// its acknowledgement. It closes when the count reaches zero;
// its completion time is the latest end among its pieces. Work can outlive its request: a
// callee still busy when its caller failed (a crash, a timeout) may publish after the trace
// closed. Pieces of a closed trace are ignored, even once its slot serves a new request. The
// simulation is single-threaded (one virtual-clock scheduler), so actors call the recorder
// directly.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/backlog_trend.hpp"
#include "engine/counters.hpp"
#include "engine/failure_windows.hpp"
#include "engine/histogram.hpp"
#include "engine/spans.hpp"
#include "engine/timeline.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

struct measure_window {
  nanos from = 0;  // warm-up end
  nanos to = 0;    // end of arrivals
  nanos stop = 0;  // the run stops at the latest then (end of arrivals + drain)
  bool covers(nanos t) const { return t >= from; }
  bool inside(nanos t) const { return t >= from && t <= to; }
  nanos overlap(nanos a, nanos b) const {  // length of [a, b] inside [from, to]
    const nanos lo = std::max(a, from), hi = std::min(b, to);
    return hi > lo ? hi - lo : 0;
  }
  nanos length() const { return to > from ? to - from : 0; }
};

struct workload_tally {
  static constexpr int batches = 20;  // of the measured window, by send time
  std::int64_t requests = 0, ok = 0, failed = 0;
  double batch_sum[batches] = {};  // latency of ok requests, ns
  std::int64_t batch_count[batches] = {};
  std::int64_t ok_in_window = 0;  // ok replies that reached the client inside the window
  std::int64_t incomplete = 0;    // ok, but a side effect failed or was still pending at the end
  std::int64_t stuck = 0;         // never answered (census())
  std::int64_t open_at_end = 0;   // still open when the run stopped: stuck, or a piece pending
  histogram latency, completion;
};

// The requests of one workload sent inside the watched interval (recorder::watch).
struct watch_tally {
  std::int64_t requests = 0, ok = 0, failed = 0;
  std::int64_t done = 0;  // answered, and every side effect ended, none lost
  nanos last_done = 0;    // the latest end among those
  histogram latency;      // of the ok ones
};

// One subscription of a topic: as the topic's tally, for one subscribing service.
struct subscription_tally : delivery_counters {
  std::int64_t published = 0;  // messages routed to it (the topic's published, less refused)
  std::int64_t held = 0, held_max = 0;
  histogram lag;
  backlog_trend trend;  // of `held` through the measured window
  // A partitioned topic: per partition, the deliveries' count, lag sum and longest lag.
  struct partition_lag {
    std::int64_t count = 0;
    double sum = 0;
    nanos max = 0;
  };
  std::vector<partition_lag> partitions;
  void add_partition_lag(int partition, nanos lag) {
    if (partitions.size() <= static_cast<std::size_t>(partition))
      partitions.resize(static_cast<std::size_t>(partition) + 1);
    auto& p = partitions[static_cast<std::size_t>(partition)];
    ++p.count;
    p.sum += static_cast<double>(lag);
    p.max = std::max(p.max, lag);
  }
};

struct topic_tally : topic_counters {
  std::vector<subscription_tally> subscriptions;  // in the order of topic::subscribers
  subscription_tally& subscription(std::size_t member) {
    if (member >= subscriptions.size()) subscriptions.resize(member + 1);
    return subscriptions[member];
  }
  // One more `what` for the topic and for its `member`-th subscription.
  void count(std::size_t member, std::int64_t delivery_counters::*what) {
    ++(this->*what);
    ++(subscription(member).*what);
  }
  std::int64_t held = 0, held_max = 0;  // messages the broker holds: queued or unacknowledged
  histogram lag;
};

class recorder {
 public:
  // `bucket`: the timeline's bucket width; `failures`: the windows to compare spans around.
  recorder(std::size_t workloads, std::size_t topics, measure_window window,
           nanos bucket = 1000000000, const std::vector<failure>& failures = {});

  std::uint64_t open(int workload, nanos sent);  // a client sends a request; returns its trace
  void reply(std::uint64_t trace, nanos at, bool ok);  // the reply reaches the client
  void add_pending(std::uint64_t trace, int pieces);
  // One piece ended at `end`; `ok` false when it failed, so the request never completes.
  void resolve(std::uint64_t trace, nanos end, bool ok = true);
  // Whether the request behind `trace` is measured (sent at or after warm-up); what it causes
  // anywhere is counted only then, even after its trace closed.
  bool measured(std::uint64_t trace) const { return trace >> 63; }
  // Spans (engine/spans.hpp) for the requests `s` samples; none without (the default).
  void trace_spans(span_recorder* s) { spans_ = s; }
  // Whether the request behind `trace` is sampled for spans: then spans() is not null.
  // A trace's identity apart from being traced: what may key anything the run decides
  // (tracing must not change the run).
  static constexpr std::uint64_t traced_bit = std::uint64_t{1} << 62;
  bool traced(std::uint64_t trace) const { return trace & traced_bit; }
  span_recorder* spans() const { return spans_; }
  // A hint that the reply for `trace` comes soon: fetches its record into the caches.
  void prefetch(std::uint64_t trace) const {
    __builtin_prefetch(&traces_[static_cast<std::uint32_t>(trace)]);
  }
  // After the run: counts the measured traces still open into incomplete and stuck.
  void census();
  // Also follows the requests sent in [from, to), measured or not, into watched().
  void watch(nanos from, nanos to);
  bool watching() const { return watching_; }

  // The broker holds `change` more (or, negative, fewer) messages of `topic` from `now` on.
  // `member`: which of the topic's subscriptions (topic::subscribers) holds them.
  void hold(int topic, std::size_t member, nanos now, std::int64_t change);
  // The broker's inbox holds `change` more (or fewer) publishes, taken and not yet routed,
  // from `now` on (only when it does work or fails).
  void broker_inbox(nanos now, std::int64_t change) {
    inbox_ += change;
    inbox_trend_.changed(window_.from, window_.to, now, inbox_, change);
  }
  std::int64_t broker_inbox_level() const { return inbox_; }
  backlog_trend& broker_inbox_trend() { return inbox_trend_; }
  // A delivery of `topic`'s `member`-th subscription ended at the broker at `now`:
  // acknowledged as handled, or lost.
  void delivery_ended(int topic, std::size_t member, nanos now, bool delivered) {
    timeline_.ended(topic, member, now, delivered);
  }

  workload_tally& workload(int i) { return workloads_[i]; }
  topic_tally& topic(int i) { return topics_[i]; }
  const watch_tally& watched(int workload) const { return watched_[workload]; }
  const measure_window& window() const { return window_; }
  timeline_recorder& timeline() { return timeline_; }
  const window_recorder& windows() const { return windows_; }
  std::size_t open_traces() const { return traces_.size() - free_.size(); }

 private:
  struct trace_state {
    nanos sent = 0;
    nanos last_end = 0;
    std::int32_t workload = -1;
    std::int32_t pending = 0;  // 0: the slot is free
    bool ok = false;
    bool replied = false;
    bool effects_ok = true;
    std::uint32_t generation = 0;  // of the trace in this slot, counting from 1
  };

  // A trace id: its slot (low 32 bits), the slot's generation (30 bits), traced (bit 62),
  // measured (top bit).
  static constexpr std::uint32_t generation_mask = 0x3fffffffU;
  // The state of an open trace, or nullptr when `trace` has closed.
  trace_state* live(std::uint64_t trace);

  std::vector<workload_tally> workloads_;
  std::vector<topic_tally> topics_;
  measure_window window_;
  timeline_recorder timeline_;
  window_recorder windows_;
  std::int64_t inbox_ = 0;
  backlog_trend inbox_trend_;
  std::vector<trace_state> traces_;
  std::vector<std::uint32_t> free_;
  span_recorder* spans_ = nullptr;
  std::uint64_t sent_ = 0;  // requests opened so far: the last one's number
  bool watching_ = false;
  nanos watch_from_ = 0, watch_to_ = 0;
  std::vector<watch_tally> watched_;
  bool watched_send(nanos sent) const {
    return watching_ && sent >= watch_from_ && sent < watch_to_;
  }
};

}  // namespace svcsim
