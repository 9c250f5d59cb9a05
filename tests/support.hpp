// Helpers for tests: small scenarios built in code, and the numbers queueing theory predicts.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"

namespace svcsim::testing {

// The scenario files of scenarios/, sorted.
inline std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(SVCSIM_SOURCE_DIR "/scenarios"))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

inline distribution exp_ms(double mean_ms) {
  distribution d;
  d.k = distribution::kind::exponential;
  d.a = mean_ms * 1e6;
  d.text = "exp(" + std::to_string(mean_ms) + "ms)";
  return d;
}

inline distribution const_ms(double ms) {
  distribution d;
  d.a = ms * 1e6;
  d.text = std::to_string(ms) + "ms";
  return d;
}

inline step work_step(distribution d) {
  step s;
  s.kind = step_kind::work;
  s.work = d;
  return s;
}

inline step call_step(int service, int endpoint) {
  step s;
  s.kind = step_kind::call;
  s.service = service;
  s.endpoint = endpoint;
  return s;
}

inline step topic_step(step_kind kind, int topic) {
  step s;
  s.kind = kind;
  s.topic = topic;
  return s;
}

inline step parallel_step(std::vector<step> branches) {
  step s;
  s.kind = step_kind::parallel;
  s.branches = std::move(branches);
  return s;
}

// Adds a topic; returns its index.
inline int add_topic(scenario& s, const std::string& name) {
  topic t;
  t.name = name;
  s.topics.push_back(t);
  return static_cast<int>(s.topics.size() - 1);
}

// Makes `service` subscribe to `topic` with a handler doing `steps`.
inline void subscribe(scenario& s, int service, int topic, std::vector<step> steps) {
  subscription sub;
  sub.topic = topic;
  sub.on_message.name = s.topics[topic].name;
  sub.on_message.steps = std::move(steps);
  auto& subs = s.services[service].subscriptions;
  subs.push_back(std::move(sub));
  s.topics[topic].subscribers.emplace_back(service, static_cast<int>(subs.size() - 1));
}

// Adds a service with one endpoint "e" doing `steps`; returns its index.
inline int add_service(scenario& s, const std::string& name, int workers, std::vector<step> steps) {
  service svc;
  svc.name = name;
  svc.workers = workers;
  handler h;
  h.name = "e";
  h.steps = std::move(steps);
  svc.endpoints.push_back(std::move(h));
  s.services.push_back(std::move(svc));
  return static_cast<int>(s.services.size() - 1);
}

// A publisher and a subscriber: service `pub` runs `pub_steps` and then publishes topic "t";
// service `sub` (no endpoints) handles "t" with `handler`. Returns their indices.
struct pub_sub {
  int pub, sub, topic;
};
inline pub_sub publish_to_subscriber(scenario& s, int pub_workers, std::vector<step> pub_steps,
                                     int sub_workers, std::vector<step> handler) {
  pub_sub ps;
  ps.pub = add_service(s, "pub", pub_workers, std::move(pub_steps));
  ps.sub = add_service(s, "sub", sub_workers, {});
  s.services[ps.sub].endpoints.clear();
  ps.topic = add_topic(s, "t");
  subscribe(s, ps.sub, ps.topic, std::move(handler));
  s.services[ps.pub].endpoints[0].steps.push_back(topic_step(step_kind::publish, ps.topic));
  return ps;
}

inline void add_workload(scenario& s, int service, double rate_per_s,
                         arrival_kind kind = arrival_kind::poisson) {
  workload w;
  w.name = "load" + std::to_string(s.workloads.size());
  w.service = service;
  w.endpoint = 0;
  w.target = s.services[service].name + ".e";
  w.rate_per_s = rate_per_s;
  w.arrivals = kind;
  s.workloads.push_back(w);
}

inline scenario base(std::int64_t requests, std::uint64_t seed = 1) {
  scenario s;
  s.file = "test.yaml";
  s.name = "test";
  s.seed = seed;
  s.requests = requests;
  return s;
}

// Adds a failure of `service` from `at_ms` for `for_ms` (negative: to the end of the run);
// `param` is slow's factor or errors' probability.
inline void add_failure(scenario& s, int service, failure_kind kind, double at_ms,
                        double for_ms = -1, double param = 0) {
  failure f;
  f.service = service;
  f.kind = kind;
  f.at = static_cast<nanos>(at_ms * 1e6);
  if (for_ms >= 0) f.length = static_cast<nanos>(for_ms * 1e6);
  if (kind == failure_kind::slow) f.factor = param;
  if (kind == failure_kind::errors) f.probability = param;
  s.failures.push_back(f);
}

// Erlang C: probability that an arrival waits in M/M/c with offered load a = lambda/mu.
inline double erlang_c(int c, double a) {
  double term = 1, sum = 1;  // k = 0
  for (int k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  const double last = term * a / c;  // a^c / c!
  const double rho = a / c;
  const double top = last / (1 - rho);
  return top / (sum + top);
}

}  // namespace svcsim::testing
