// The counters a run keeps per service, per topic and per subscription. The engine's
// tallies (tally.hpp, recorder.hpp) count into them during the run and collect() copies them
// whole into the results (results.hpp), so a new counter is a field here, the place that
// counts it, and its row in report/metrics.cpp. Counted inside the measured window only.
#pragma once

#include <cstdint>

namespace svcsim {

struct service_counters {
  std::int64_t served = 0, rejected = 0, errors = 0;
  std::int64_t dropped = 0;  // jobs an outage failed: refused while crashed, or held then
  // As a caller: attempts that timed out, retries sent, and calls failed at once by an open
  // circuit breaker.
  std::int64_t timeouts = 0, retries = 0, short_circuited = 0;
  // As a publisher while the broker was crashed (on_broker_down: outbox): messages it kept in
  // its outbox, and the most it kept at once.
  std::int64_t outboxed = 0, outbox_max = 0;

  // Adds another instance's counts (outbox_max: the larger).
  void merge(const service_counters& o) {
    served += o.served;
    rejected += o.rejected;
    errors += o.errors;
    dropped += o.dropped;
    timeouts += o.timeouts;
    retries += o.retries;
    short_circuited += o.short_circuited;
    outboxed += o.outboxed;
    outbox_max = outbox_max > o.outbox_max ? outbox_max : o.outbox_max;
  }
};

// What the broker did with a topic's messages for one subscription (a subscribing service):
// deliveries acknowledged as handled, messages lost (dropped by a full subscription or an
// outage, or their handler failed), deliveries that went out again after an outage, and of
// the lost, those whose handler failed (dead-lettered). A topic has them too: the sums over
// its subscriptions.
struct delivery_counters {
  std::int64_t delivered = 0, lost = 0, redelivered = 0, dead_lettered = 0;
};

struct topic_counters : delivery_counters {
  std::int64_t published = 0;  // messages that reached the broker
  // Of those, what the broker did not take (it was down, its inbox full, or errors(p) failed
  // the publish); the rest were routed to every subscription.
  std::int64_t refused = 0;
  // Publishes made while the broker was crashed: dropped (on_broker_down: drop), or kept in
  // the publisher's outbox (outbox), which relays them, as published, when it is back.
  std::int64_t dropped = 0, outboxed = 0;
};

}  // namespace svcsim
