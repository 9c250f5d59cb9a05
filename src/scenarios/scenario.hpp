// The scenario model: a plain, validated description of one system and its load, as read from a
// scenario file (docs/scenario-format.md, contract: shared/spec/scenario-v1.md).
//
// Invariants once load_scenario() has returned it:
// - every reference is resolved: step.service/endpoint/topic index into the vectors below;
// - durations are nanoseconds >= 0; rates are > 0; sizes are within the spec's limits;
// - sync calls (including sync-mode notify) form no cycle between handlers;
// - every notified topic has at least one subscriber.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/distribution.hpp"
#include "scenarios/rate_profile.hpp"

namespace svcsim {

using nanos = std::int64_t;  // simulated time and durations, in nanoseconds

// Where a key or value stood in the scenario file (1-based line and column), or, for one a
// `--set KEY=VALUE` put there, which (`set`: 1-based index into scenario::settings; 0: the file).
struct source_pos {
  int line = 0;
  int column = 0;
  int set = 0;
};

enum class mode { sync, async };
const char* to_string(mode m);

enum class step_kind { work, call, notify, publish, parallel };

// What a publish does while the broker is crashed (its publisher sees the connection down at
// once): fail the handler's request (as a client library's publish throws), drop the message,
// or keep it in the publisher's outbox, which relays it when the broker is back.
enum class broker_down { fail, drop, outbox };

// A circuit breaker on the calls from one service to another: after `failures` failed
// attempts within `window`, calls fail at once for `open`; then one trial call goes through,
// and its outcome closes the breaker or opens it again. failures == 0: no breaker.
struct breaker_policy {
  int failures = 0;
  nanos window = 10LL * 1000000000LL;
  nanos open = 30LL * 1000000000LL;
  bool operator==(const breaker_policy& o) const {
    return failures == o.failures && window == o.window && open == o.open;
  }
};

// How a caller treats one sync call. An attempt fails when the callee answers with a failure
// or refuses it, or when `timeout` passes first (its late answer is then ignored). A failed
// attempt is retried up to `retries` times, retry k (1-based) after backoff * 2^(k-1), or a
// uniform draw in [0, that] with jitter. When every attempt failed, the call fails, and with it
// the request, unless the call is optional.
struct call_policy {
  std::optional<nanos> timeout;  // none: wait as long as it takes
  int retries = 0;
  nanos backoff = 0;
  bool jitter = false;
  bool optional = false;
  breaker_policy breaker;
};

// How a handler publishes (a publish step, and notify in async mode): fire and forget, or,
// with `confirm`, waiting for the broker's acknowledgement as for a sync call under that
// policy. broker.confirm and broker.on_broker_down are the defaults of every such step.
struct publish_policy {
  std::optional<call_policy> confirm;  // none: unconfirmed
  broker_down on_down = broker_down::fail;
};

// How a publish picks the partition of a partitioned topic (topic::partitions > 0): by a key
// drawn uniformly from `values` keys (key k of 0..values-1 goes to partition k mod P), by its
// request (a hash of the request: what one request publishes stays in order), or, without a
// key, a partition at random. Messages with the same key go to the same partition.
struct message_key {
  enum class kind { none, uniform, request };
  kind k = kind::none;
  std::int64_t values = 0;  // uniform
  source_pos pos;           // of the value, when given
};

struct step {
  step_kind kind = step_kind::work;
  source_pos pos;      // of the value (work, call target, topic); parallel: of the key
  distribution work;   // kind == work
  std::string target;  // call: "service.endpoint"; notify / publish: topic name
  int service = -1;    // call: index into scenario::services
  int endpoint = -1;   // call: index into service::endpoints
  int topic = -1;      // notify / publish: index into scenario::topics
  std::vector<step>
      branches;  // parallel: each branch is one step (a branch may itself be parallel)
  std::optional<mode> pinned;  // notify: its own `mode`, over its topic's and the run's
  // call, and notify in sync mode (each of its calls): the loader merges sync's defaults in.
  call_policy policy;
  publish_policy publishing;  // publish, and notify in async mode: broker's defaults merged in
  message_key key;            // publish, and notify in async mode
};

// An endpoint or a subscription handler: what a worker does with one request or delivery.
// An endpoint's `work` key is stored as the first step.
struct handler {
  std::string name;  // endpoint name, or the topic name for a subscription
  source_pos pos;
  std::vector<step> steps;
};

struct subscription {
  int topic = -1;
  handler on_message;
};

// How a caller picks one of a service's instances for each call (its state, such as calls in
// flight, is the caller's own): in turn, at random, the one with the fewest of the caller's
// calls in flight (ties: in turn), or the better of two drawn at random.
enum class balance_policy { round_robin, random, least_outstanding, power_of_two };
// The policies' names in the file, in the order of the enum.
inline constexpr const char* balance_names[] = {"round-robin", "random", "least-outstanding",
                                                "power-of-two"};
inline const char* to_string(balance_policy b) { return balance_names[static_cast<int>(b)]; }

// "email#2": the name of instance `index` (0-based) of service `service`.
std::string instance_name(const std::string& service, int index);

struct service {
  std::string name;
  source_pos pos;
  // `instances` copies, each with its own `workers`, waiting room, failures and random stream.
  int instances = 1;
  balance_policy balance = balance_policy::round_robin;
  int workers = 1;
  std::int64_t queue = -1;  // waiting room; -1 = unlimited
  bool blocking = true;
  std::vector<handler> endpoints;
  std::vector<subscription> subscriptions;
  int find_endpoint(const std::string& name) const;  // -1 when absent
};

struct topic {
  std::string name;
  // Partitions (Kafka-like): 0, the messages of a subscription go to its consumers in
  // parallel; P > 0, each waits in its key's partition, and a consumer group takes one message
  // of a partition at a time, in order.
  int partitions = 0;
  // (service index, index into that service's subscriptions), in service order.
  std::vector<std::pair<int, int>> subscribers;
  std::optional<mode> pinned;  // `topics: {NAME: {mode: ...}}`: of its notify steps, over the run's
};

// A design of the system (docs/scenario-format.md, "Hybrid designs"): the run's mode, with some
// topics pinned to a mode of their own. compile() (engine/plan.cpp) alone decides the mode of
// each notify step: the design's pin of its topic, else the step's `mode`, else its topic's
// under `topics:`, else the design's mode.
struct design {
  std::string name;  // how reports call it; empty: a plain run of `mode`, called by its name
  svcsim::mode mode = svcsim::mode::sync;
  std::vector<std::pair<int, svcsim::mode>> pins;  // (topic index, its mode), over the file's
};

// The plain run of mode m: no name, no pins of its own.
inline design design_of(mode m) {
  design d;
  d.mode = m;
  return d;
}

// How reports call design d: its name, else its mode's.
inline std::string label_of(const design& d) { return d.name.empty() ? to_string(d.mode) : d.name; }

enum class arrival_kind { poisson, constant };

struct workload {
  std::string name;
  source_pos pos;
  std::string target;  // "service.endpoint"
  int service = -1;
  int endpoint = -1;
  arrival_kind arrivals = arrival_kind::poisson;
  double rate_per_s = 0;  // > 0 for an open loop; with a profile, its mean
  // Open loop: a rate that changes over time (`rate:` or `daily:`), repeated until duration.
  std::optional<rate_profile> profile;
  // Closed loop when users > 0: each user sends, waits for the reply, thinks, sends again.
  std::int64_t users = 0;
  distribution think;  // mean > 0
};

enum class notify_policy { sequential, parallel };

enum class delivery_mode { at_least_once, at_most_once };

// A service's trouble during [at, at + length) (length none: until the end of the run).
// crash: what it holds fails, new requests are refused; hang: it accepts and answers nothing,
// and restarts empty at the end (what it held fails then); slow: work takes `factor` times as
// long; errors: each request fails after its work with `probability`.
// Invariant: the windows that hold for one instance of a service do not overlap.
enum class failure_kind { crash, hang, slow, errors };

struct failure {
  source_pos pos;
  int service = -1;   // index into scenario::services, or scenario::broker_party() for the broker
  int instance = -1;  // 0-based among the service's instances; -1: every instance at once
  failure_kind kind = failure_kind::crash;
  double factor = 1;       // slow
  double probability = 0;  // errors
  nanos at = 0;
  std::optional<nanos> length;
  nanos end() const { return length ? at + *length : std::numeric_limits<nanos>::max(); }
};

struct scenario {
  std::string file;  // path as given, for messages
  // The `--set KEY=VALUE` overrides applied over the file, in order, as given.
  std::vector<std::string> settings;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  std::optional<nanos> duration;         // arrivals in [0, duration)
  std::optional<std::int64_t> requests;  // stop after this many arrivals, all workloads together
  nanos warmup = 0;
  nanos drain = 3600LL * 1000000000LL;  // 1h
  mode default_mode = mode::sync;
  balance_policy default_balance = balance_policy::round_robin;  // of services without `balance`
  nanos network_latency = 0;
  notify_policy sync_notify = notify_policy::sequential;
  call_policy sync_defaults;  // sync.timeout, sync.retries, ...; `optional` unused
  nanos broker_latency = 0;
  std::int64_t broker_capacity = -1;  // per subscription: queued + unacknowledged; -1 = unlimited
  delivery_mode broker_delivery = delivery_mode::at_least_once;
  std::int64_t broker_prefetch = 0;  // per subscribing service; 0 = its workers
  // The broker as a resource: `broker_workers` workers in front of one FIFO inbox of
  // `broker_queue` publishes (-1: unlimited); each publish, and each delivery, takes a worker
  // for its work. Zero work (the default): the broker costs nothing.
  int broker_workers = 1;
  std::int64_t broker_queue = -1;
  distribution broker_publish_work, broker_deliver_work;
  bool broker_durable = false;       // routed messages survive the broker's crash
  std::int64_t broker_outbox = -1;   // messages per publisher's outbox; -1 = unlimited
  publish_policy broker_publishing;  // defaults of publish steps
  std::vector<service> services;
  std::vector<topic> topics;
  std::vector<workload> workloads;
  std::vector<failure> failures;  // sorted by service, then at
  std::vector<design> designs;    // `designs:`, in the file's order, each named
  // What the loader found odd but legal, as "FILE:LINE:COLUMN: warning: ..." lines.
  std::vector<std::string> warnings;

  int find_service(const std::string& name) const;  // -1 when absent
  // The broker's number among the parties that can fail: after the services.
  int broker_party() const { return static_cast<int>(services.size()); }
  // Whether the broker does work of its own (broker.work); else it only adds its latency.
  bool broker_costs() const {
    return !broker_publish_work.is_zero() || !broker_deliver_work.is_zero();
  }
  // A service's name, or "broker" for broker_party().
  int find_topic(const std::string& name) const;  // -1 when absent
  std::string party_name(int party) const;
  // Who failure `f` strikes: party_name(f.service), or "email#2" for one instance.
  std::string failure_party(const failure& f) const;
  // "users.create" for an endpoint, "email (on user.created)" for a subscription handler;
  // `handler` counts the service's endpoints first, then its subscriptions.
  std::string handler_label(int service, int handler) const;
  // How many deliveries the broker lets `service` hold unacknowledged: broker_prefetch, or
  // when that is 0, the service's workers.
  std::int64_t prefetch_of(int service) const {
    return broker_prefetch > 0 ? broker_prefetch : services[service].workers;
  }
};

}  // namespace svcsim
