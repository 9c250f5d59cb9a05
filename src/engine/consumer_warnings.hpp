// The run warnings about consumers (subscribing services) that point at the cause of a
// backlog (docs/scenario-format.md#warnings):
// - a subscription whose backlog keeps growing through the measured window
//   (backlog_trend::keeps_growing): "email on order.created falls behind: ...";
// - a consumer that its prefetch, not its workers, keeps from taking messages as fast as they
//   are offered: at most `prefetch` deliveries are unacknowledged, each for a round trip
//   (broker latency + two network hops: the delivery and the acknowledgement) plus its
//   handling, so it takes at most prefetch / (round trip + handling) per second, while its
//   workers could take workers / handling. Handling is the subscription handlers' mean work,
//   weighted by the messages offered to each (waits on calls are not included). It is named
//   when the messages offered to it in the window exceed the first bound and the first bound
//   is below the second, with the smallest broker.prefetch that lifts it to the offered rate
//   or to its workers' bound, whichever is lower.
#pragma once

#include <string>
#include <vector>

#include "engine/plan.hpp"
#include "engine/recorder.hpp"

namespace svcsim {

// Appends them to `out`, and each subscription that falls behind, "SERVICE on TOPIC", to
// `falling_behind`. Finishes the subscriptions' backlog trends first (after the run).
// With `broker_saturated`, deliveries wait at the broker, not for the consumers' prefetch:
// no consumer is named as prefetch-limited then.
void consumer_warnings(const plan& p, recorder& rec, bool broker_saturated,
                       std::vector<std::string>& out, std::vector<std::string>& falling_behind);

}  // namespace svcsim
