// Inferring a scenario's parts from observed traces (docs/traces.md, "svcsim infer"):
//  - handlers: a SERVER span, a span whose parent is in another service, or a root, is an
//    invocation of the endpoint (service, operation); a CONSUMER span (or one that FOLLOWS_FROM
//    or links to a producer) with a publisher is one of the subscription (service, topic);
//  - sync calls: a CLIENT span with a SERVER child, or a SERVER span right under another
//    service's span; async: a publisher's PRODUCER (or parent) span and its consumers' topic;
//  - self time: duration minus the union of its synchronous calls and marked waits
//    (attribute svcsim.wait);
//  - a broker (a service of only INTERNAL spans with messaging.system, over CONSUMER spans) is
//    walked through, not a service; a root CLIENT span is a workload's client.
// Spans it cannot place are fixed and counted in `d` (orphans become roots, clock skew is
// shifted or clamped, duplicate ids renamed, negative durations set to 0), never dropped
// silently. `data` is repaired in place.
#pragma once

#include <optional>

#include "infer/diagnostics.hpp"
#include "infer/inferred.hpp"
#include "infer/observed.hpp"

namespace svcsim::infer {

struct infer_options {
  std::optional<double> sampling;  // over the traces' own sampler tags: each request's chance
  std::int64_t skew_tolerance_ns = 1000;
};

inferred infer_scenario(observed& data, const infer_options& options, diagnostics& d);

// The topic a messaging span names (messaging.destination.name, messaging.destination,
// message_bus.destination, kafka.topic), or "".
std::string topic_attribute(const observed_span& s);

}  // namespace svcsim::infer
