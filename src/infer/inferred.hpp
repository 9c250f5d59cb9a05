// What infer_scenario() learns from traces: handlers (endpoints and subscriptions) with their
// self times and steps, services with what the traces show of their capacity, workloads, the
// network. Names are the traces' own (not yet made valid for a scenario file: the writer does).
// Invariants: every step's target is a handler of `handlers` (a call: an endpoint; a publish or
// notify: a topic); the sync calls form no cycle; each handler has invocations >= 1.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace svcsim::infer {

struct inferred_step {
  enum class kind { call, publish, notify } k = kind::call;
  int target = -1;         // call: index into handlers
  std::string topic;       // publish, notify
  std::int64_t count = 0;  // over all invocations of the handler
  double mean = 0;         // count / invocations
  double offset_ns = 0;    // mean start after the handler's start, for the order of steps
};

struct inferred_handler {
  std::string service;
  std::string name;       // the endpoint (operation), or the topic of a subscription
  std::string operation;  // the spans' operation name
  bool subscription = false;
  bool untraced = false;  // known only from callers' CLIENT spans (remote service named)
  std::int64_t invocations = 0;
  std::vector<double> self_ns;   // one per invocation: duration minus sync children and waits
  double held_ns = 0;            // mean time a worker is held (duration minus marked waits)
  std::int64_t overlapping = 0;  // invocations whose synchronous calls overlapped in time
  std::int64_t overlapping_notifies = 0;  // ... whose notified subscribers' calls overlapped
  std::vector<inferred_step> steps;       // in the order of their mean offsets
};

struct inferred_service {
  std::string name;
  int workers_seen = 1;  // most jobs at once on one instance (a lower bound)
  int instances = 1;     // distinct instance ids (at least 1)
  double busy = 0;       // mean busy workers the workloads' rates imply (blocking handlers)
};

struct inferred_workload {
  std::string name;
  int target = -1;         // index into handlers (an endpoint)
  std::int64_t roots = 0;  // requests seen
  double rate_per_s = 0;   // estimated, sampling honoured; 0 when unknown (one request)
  double sampling = 1;     // the probability each request was traced with
  double cv = 1;           // coefficient of variation of the gaps between requests
  bool constant = false;   // gaps near-regular: constant arrivals, else poisson
};

struct inferred {
  std::vector<inferred_service> services;
  std::vector<inferred_handler> handlers;
  std::vector<inferred_workload> workloads;
  std::int64_t network_pairs = 0;  // client/server pairs with a gap of 0 or more
  double network_one_way_ns = 0;   // mean of (client - server) / 2 over those pairs
  std::int64_t traces = 0;
  std::int64_t spans = 0;
  double window_s = 0;               // first to last root start
  bool waits_marked = false;         // some span marked a wait (svcsim.wait): self time excludes it
  std::vector<std::string> brokers;  // services recognised as a broker and walked through
};

}  // namespace svcsim::infer
