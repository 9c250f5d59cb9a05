// The timeline of one run, recorded as it happens, per bucket of simulated time [k*D, (k+1)*D):
// per workload the requests sent, the replies ok and failed, and the p50 and p99 latency of the
// ok ones; per topic, and per subscription of each topic, the most messages the broker held,
// and the deliveries acknowledged or lost.
//
// The recorder calls it for every request, so recording is an index (t / D) and an increment.
// Replies come in time order (the virtual clock never goes back), so one small histogram per
// workload, for the bucket being filled, is enough: when replies reach a later bucket, the
// percentiles of the earlier one are kept and the histogram is reused. Memory is the series
// themselves: at most max_buckets entries each. A subscription's series appear when the broker
// first reports on it; finish() gives every subscription of the scenario its series.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/histogram.hpp"
#include "engine/results.hpp"

namespace svcsim {

// The bucket width for a run that stops at `limit` at the latest (end of arrivals + drain; 0:
// no limit): the requested width, or its smallest multiple that needs at most max_buckets
// buckets, and then a warning that says so. Requested 0 is the default: 1 s whenever that fits
// (so reports stay as they were), else a round width (1, 2 or 5 × 10^k s) that gives the
// arrivals, which end at `arrivals_end`, about 200 to 1,000 buckets and fits, without a warning.
struct bucket_fit {
  nanos width = 0;
  std::string warning;
};
bucket_fit fit_bucket(nanos requested, nanos limit, nanos arrivals_end = 0);

class timeline_recorder {
 public:
  static constexpr std::size_t max_buckets = 100000;

  timeline_recorder(std::size_t workloads, std::size_t topics, nanos bucket);

  void sent(int workload, nanos t) {
    const auto k = index(t);
    ++data_.workloads[workload].sent[k];
  }
  void replied(int workload, nanos t, bool ok, nanos latency);
  // From t on the broker holds `level` messages of `topic`, `member_level` of them for its
  // `member`-th subscription (topic::subscribers), whose level just changed.
  void held(int topic, std::size_t member, nanos t, std::int64_t level, std::int64_t member_level);
  // A delivery of the topic's `member`-th subscription acknowledged, or lost.
  void ended(int topic, std::size_t member, nanos t, bool delivered);

  nanos bucket() const { return bucket_; }
  // After the run, which stopped at `end`: the series, without names and windows;
  // `subscribers[i]`: how many subscriptions topic i has.
  timeline finish(nanos end, const std::vector<std::size_t>& subscribers);

 private:
  // t's bucket (t >= 0: times from the run's origin); the last one's bounds are kept, which
  // saves most divisions.
  std::size_t index(nanos t) {
    if (t < last_from_ || t >= last_to_) {
      last_ = static_cast<std::size_t>(t / bucket_);
      last_from_ = static_cast<nanos>(last_) * bucket_;
      last_to_ = last_from_ <= std::numeric_limits<nanos>::max() - bucket_
                     ? last_from_ + bucket_
                     : std::numeric_limits<nanos>::max();
    }
    return last_ < size_ ? last_ : grow(last_);
  }
  // What the broker holds now in one series, and up to which bucket its backlog_max is set.
  struct live_level {
    std::int64_t now = 0;
    std::size_t carried = 0;  // buckets before this one are set
  };
  std::size_t grow(std::size_t k);   // makes room for bucket k (at most the last one)
  void flush(std::size_t workload);  // its live percentiles into their bucket
  // The topic's `member`-th subscription's series, made on first use (add_subscription).
  delivery_timeline& subscription(int topic, std::size_t member) {
    auto& subs = data_.topics[topic].subscriptions;
    return member < subs.size() ? subs[member] : add_subscription(topic, member);
  }
  delivery_timeline& add_subscription(int topic, std::size_t member);
  // Series `s` holds `to` from bucket k on.
  static void hold(delivery_timeline& s, live_level& l, std::size_t k, std::int64_t to);
  // Its level into the buckets up to `to`.
  static void carry(delivery_timeline& s, live_level& l, std::size_t to);

  nanos bucket_;
  std::size_t last_ = 0;               // index(): the last bucket asked for,
  nanos last_from_ = 0, last_to_ = 0;  // and its times [from, to)
  std::size_t size_ = 0;               // buckets so far: up to the last one anything happened in
  timeline data_;
  // Per workload: ok latencies in its bucket live_bucket_[w]. Each workload's replies come in
  // time order (a directly fed service records its own ahead of the clock, not across others').
  std::vector<log_histogram<5>> live_;
  std::vector<std::size_t> live_bucket_;
  std::vector<live_level> levels_;                   // per topic
  std::vector<std::vector<live_level>> sub_levels_;  // per topic, per subscription
};

}  // namespace svcsim
