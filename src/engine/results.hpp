// What one simulation run measured, ready for the report writers. Plain data: the engine fills
// it, src/report/ prints it. Times are in the units their names say. Entries are in scenario
// order (workloads, services, topics as declared).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "engine/counters.hpp"
#include "engine/coupling.hpp"
#include "engine/dependency_graph.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

struct percentiles {  // milliseconds; all 0 when nothing was measured
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
  std::int64_t count = 0;
};

struct workload_result {
  std::string name;
  std::int64_t requests = 0;  // measured requests (sent at or after warmup)
  std::int64_t ok = 0, failed = 0, unfinished = 0;
  std::int64_t incomplete = 0;  // ok, but some side effect still pending when the run stopped
  double availability = 1;      // ok / (ok + failed); if both are 0: 0, or 1 when requests is 0
  double throughput_rps = 0;    // ok replies inside the measured window, per second of it
  percentiles latency_ms;       // send to reply, ok requests only
  percentiles completion_ms;    // send until everything the request caused is handled
  // Latency of the ok requests as (ms, share at most it), a few hundred points ascending to
  // (max, 1) (histogram::cdf); empty when none was ok. For charts; no text report prints it.
  std::vector<std::pair<double, double>> latency_cdf;
};

// Its counters, and its static coupling in this mode (ce, ca, knows: whom it addresses, sorted,
// "broker" for the broker).
// A service of several instances sums its instances' counters (outbox_max: the most of one
// instance), averages their utilization, adds their queue_mean and takes the longest queue of
// one instance as queue_max; `instances` then holds each (named "email#2", no coupling).
struct service_result : service_counters, coupling {
  std::string name;
  double utilization = 0;  // busy worker time / (workers x measured time)
  double queue_mean = 0;   // time-average number waiting for a worker
  std::int64_t queue_max = 0;
  double throughput_ps = 0;  // served per second of the measured window
  // The spread over its instances (one instance: itself): their count, the least and most
  // utilization, and the busiest's name.
  int instance_count = 1;
  double utilization_min = 0, utilization_max = 0;
  std::string busiest;
  std::vector<service_result> instances;  // empty for a service of one instance
};

struct subscription_result : delivery_counters {
  std::string name;  // of the subscribing service
  // Messages routed to it: each ends delivered or lost, or is still held when the run stops.
  std::int64_t published = 0;
  std::int64_t backlog_max = 0;  // most messages the broker held for it at once
  percentiles lag_ms;            // publish to end of its handling, per delivery
  // A partitioned topic: its partitions, and the one (0-based) whose deliveries had the
  // highest mean lag, with that mean and its longest lag; -1 and 0 without partitions or
  // deliveries.
  int partitions = 0;
  int worst_partition = -1;
  double worst_partition_lag_ms_mean = 0, worst_partition_lag_ms_max = 0;
};

struct topic_result : topic_counters {
  std::string name;
  std::int64_t backlog_max = 0;
  percentiles lag_ms;  // publish to end of the subscriber's handling, per delivery
  std::vector<subscription_result> subscriptions;  // in the order of topic::subscribers
};

// A run's timeline: what happened in each bucket of simulated time [t_s[k], t_s[k] + bucket_s),
// from 0 until the last bucket in which anything happened or a backlog was still held at the
// end of the run. Every request counts, warm-up included. Each series has one entry per bucket.
struct workload_timeline {
  std::vector<std::int64_t> sent;        // requests the client sent
  std::vector<std::int64_t> ok, failed;  // replies that reached the client
  std::vector<double> p50_ms, p99_ms;    // latency of the ok replies; NaN where there was none
  std::vector<double> rate_per_s;        // offered by a rate profile; empty without one
};

// A topic's series, or one of its subscriptions'. Per bucket, a subscription's delivered and
// lost add up, over the topic's subscriptions, to the topic's; the topic's backlog_max lies
// between the largest of theirs and their sum (the broker holds the topic's messages in its
// subscriptions' queues).
struct delivery_timeline {
  std::vector<std::int64_t> backlog_max;      // most messages the broker held at once
  std::vector<std::int64_t> delivered, lost;  // deliveries acknowledged at the broker, lost
  std::int64_t held_at_end = 0;               // what the broker held when the run stopped
};

struct topic_timeline : delivery_timeline {
  std::vector<delivery_timeline> subscriptions;  // in the order of topic::subscribers
};

// Replies that reached the clients of one workload inside a span of time.
struct span_summary {
  std::int64_t ok = 0, failed = 0;
  double p99_ms = std::numeric_limits<double>::quiet_NaN();  // of the ok ones; NaN: none
};

// Around one failure of the scenario: spans before, during and after its window.
struct failure_window {
  svcsim::failure failure;  // as the scenario has it
  // before [before_s, at_s), during [at_s, end_s), after [end_s, after_s), in seconds; a window
  // without end lasts until the end of the run and has no span after it (after_s == end_s).
  double before_s = 0, at_s = 0, end_s = 0, after_s = 0;
  struct workload_spans {
    span_summary before, during, after;
  };
  // Of a topic's backlog, or of one subscription's.
  struct backlog_spans {
    std::int64_t before_max = 0;   // backlog_max of the last bucket that ends by the window
    std::int64_t backlog_max = 0;  // during the window, over the buckets it overlaps
    // Start of the first bucket after the window whose backlog_max is at most before_max (or
    // the end of the run, when that comes first); +inf: not by the end of the run; NaN: the
    // window lasts until the end, or the backlog never grew past before_max in it.
    double caught_up_s = std::numeric_limits<double>::quiet_NaN();
  };
  struct topic_spans : backlog_spans {
    std::vector<backlog_spans> subscriptions;  // as topic_timeline::subscriptions
  };
  std::vector<workload_spans> workloads;  // as run_result::workloads
  std::vector<topic_spans> topics;        // as run_result::topics
};

struct timeline {
  double bucket_s = 0;
  std::vector<double> t_s;                   // start of each bucket
  std::vector<workload_timeline> workloads;  // as run_result::workloads
  std::vector<topic_timeline> topics;        // as run_result::topics
  std::vector<failure_window> windows;       // one per scenario failure, in its order
};

// The requests of one workload sent inside simulate_options::watch, measured or not.
struct watched_result {
  std::int64_t requests = 0, ok = 0, failed = 0;
  std::int64_t done = 0;   // answered, and every side effect ended, none lost
  nanos last_done_ns = 0;  // when the last of those ended (0 when none)
  double p99_ms = std::numeric_limits<double>::quiet_NaN();  // of the ok ones; NaN: none
};

struct run_result {
  svcsim::mode mode = svcsim::mode::sync;
  std::string design;  // the design's name (--design, `designs:`); empty for a plain mode's run
  // How reports name the run: its design, else its mode.
  std::string label() const { return design.empty() ? to_string(mode) : design; }
  double sim_time_s = 0;
  double wall_time_s = 0;
  std::int64_t events = 0;  // messages handled by the simulation's actors
  // Traced runs: spans that started after their request was handed over, not written
  // (span_recorder::late()); in no report.
  std::uint64_t late_spans = 0;
  double measured_s = 0;  // length of the measured window [warmup, end of arrivals]
  std::vector<workload_result> workloads;
  std::vector<service_result> services;
  std::vector<topic_result> topics;
  // The broker, when it is modelled as a resource or fails (broker.work, failures): as a
  // service, its tasks (publishes and deliveries) its jobs. Else empty.
  std::vector<service_result> brokers;
  // Static: who depends on the broker in this mode (coupling.hpp).
  svcsim::broker_coupling broker_coupling;
  svcsim::dependency_graph graph;     // static: who calls whom, through the broker or not
  std::vector<std::string> warnings;  // what makes these numbers doubtful, for people
  // The backlogs that did not drain: "broker" when the broker is saturated or its inbox keeps
  // growing, "SERVICE on TOPIC" for a subscription that falls behind (backlog_trend's rule).
  std::vector<std::string> falling_behind;
  svcsim::timeline timeline;            // with replications, replication 0's only
  std::vector<watched_result> watched;  // per workload with simulate_options::watch, else empty
  std::string error;  // why the run stopped before its end (then no number is to be trusted)
};

// One invocation's results: `run` has one entry, `compare` two (sync first).
struct report {
  std::string scenario;
  std::uint64_t seed = 1;
  std::string clock = "virtual";
  std::vector<std::string> settings;  // the --set overrides, "KEY=VALUE"; none: the file as is
  std::vector<run_result> runs;
  // With replications: per entry of runs, every replication (runs[i] is replicas[i][0]); the
  // reports then show means with 95% confidence intervals. Empty for a single replication.
  std::vector<std::vector<run_result>> replicas;
  // For the text report: each workload's load in words (load_lines()), and whether it ends
  // with a legend of the terms it used (not with -q).
  std::vector<std::string> loads;
  bool legend = true;
};

// Who failure `f` of `run` strikes: a service's name, "email#2" for one instance, or
// "broker" (the party after the services).
inline std::string failed_party(const run_result& run, const failure& f) {
  if (f.service >= static_cast<int>(run.services.size())) return "broker";
  const std::string& name = run.services[static_cast<std::size_t>(f.service)].name;
  return f.instance < 0 ? name : instance_name(name, f.instance);
}

}  // namespace svcsim
