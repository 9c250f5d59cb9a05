#include "engine/engine.hpp"

#include "actors/broker.hpp"
#include "actors/client.hpp"
#include "actors/service.hpp"
#include "engine/arrivals.hpp"
#include "engine/coupling.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <chrono>
#include <limits>
#include <queue>

namespace svcsim {
namespace {

constexpr nanos forever = std::numeric_limits<nanos>::max() / 4;

// Where arrivals end, and how many each workload sends when `requests` caps them all: the
// arrival streams are replayed and merged in time order up to the cap.
struct arrival_plan {
  nanos stop = 0;  // no arrival at or after this time (duration, or never)
  nanos end = 0;   // the last arrival, or stop
  std::vector<std::int64_t> quota;
};

arrival_plan plan_arrivals(const scenario& s) {
  arrival_plan a;
  const nanos stop = a.stop = s.duration ? *s.duration : forever;
  a.quota.assign(s.workloads.size(), -1);
  if (!s.requests) {
    a.end = stop;
    return a;
  }
  std::vector<arrival_stream> streams;
  using entry = std::pair<nanos, std::size_t>;
  std::priority_queue<entry, std::vector<entry>, std::greater<>> next;
  for (std::size_t i = 0; i < s.workloads.size(); ++i) {
    streams.emplace_back(s.workloads[i], s.seed);
    next.emplace(streams[i].next(), i);
    a.quota[i] = 0;
  }
  std::int64_t taken = 0;
  a.end = stop;
  while (taken < *s.requests && !next.empty()) {
    auto [t, i] = next.top();
    next.pop();
    if (t >= stop) break;
    ++a.quota[i];
    ++taken;
    if (taken == *s.requests) a.end = t;
    next.emplace(streams[i].next(), i);
  }
  return a;
}

percentiles summarize(const histogram& h) {
  percentiles p;
  p.count = h.count();
  if (!p.count) return p;
  constexpr double ms = 1e6;
  p.mean = h.mean() / ms;
  p.p50 = h.quantile(0.50) / ms;
  p.p90 = h.quantile(0.90) / ms;
  p.p99 = h.quantile(0.99) / ms;
  p.p999 = h.quantile(0.999) / ms;
  p.max = static_cast<double>(h.max()) / ms;
  return p;
}

// `drained`: the run ended because nothing was left to happen, not at the drain limit.
void collect(const scenario& s, const plan& p, recorder& rec, std::vector<service_tally>& tallies,
             nanos end, bool drained, run_result& r) {
  const auto& win = rec.window();
  std::int64_t measured = 0;
  r.measured_s = static_cast<double>(win.length()) / 1e9;
  for (std::size_t i = 0; i < s.workloads.size(); ++i) {
    const auto& t = rec.workload(static_cast<int>(i));
    workload_result w;
    w.name = s.workloads[i].name;
    w.requests = t.requests;
    w.ok = t.ok;
    w.failed = t.failed;
    w.unfinished = t.requests - t.ok - t.failed;
    w.incomplete = t.incomplete;
    // ok / (ok + failed); when nothing was answered, 0 if anything was asked.
    w.availability = t.ok + t.failed ? static_cast<double>(t.ok) / (t.ok + t.failed)
                                     : (t.requests ? 0.0 : 1.0);
    w.throughput_rps = r.measured_s > 0 ? t.ok_in_window / r.measured_s : 0;
    w.latency_ms = summarize(t.latency);
    w.completion_ms = summarize(t.completion);
    // Idle, yet requests open: handlers wait on each other.
    if (drained && t.stuck + t.incomplete > 0)
      r.warnings.push_back(
          "workload " + w.name + ": " + std::to_string(t.stuck + t.incomplete) +
          " requests never finished although nothing was left to happen: handlers wait on "
          "each other (a service calling itself, or calls around a loop of services, with too "
          "few workers)");
    measured += t.requests;
    r.workloads.push_back(std::move(w));
  }
  if (measured == 0)
    r.warnings.push_back("nothing was measured: no request was sent at or after warmup; "
                         "shorten warmup");
  else if (win.length() == 0)
    r.warnings.push_back("the measured window is empty (arrivals ended at warmup), so "
                         "throughput, utilization and queue_mean are 0; send more requests");
  const auto couplings = coupling_of(p);
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    auto& t = tallies[i];
    t.advance(win, end);
    service_result sr;
    sr.name = s.services[i].name;
    sr.served = t.served;
    sr.rejected = t.rejected;
    sr.errors = t.errors;
    const double span = static_cast<double>(win.length());
    sr.utilization = span > 0 ? t.busy_area / (span * s.services[i].workers) : 0;
    sr.queue_mean = span > 0 ? t.queue_area / span : 0;
    sr.queue_max = t.queue_max;
    sr.ce = couplings[i].ce;
    sr.ca = couplings[i].ca;
    sr.knows = couplings[i].knows;
    r.services.push_back(std::move(sr));
  }
  for (std::size_t i = 0; i < s.topics.size(); ++i) {
    const auto& t = rec.topic(static_cast<int>(i));
    topic_result tr;
    tr.name = s.topics[i].name;
    tr.published = t.published;
    tr.delivered = t.delivered;
    tr.lost = t.lost;
    tr.backlog_max = t.held_max;
    tr.lag_ms = summarize(t.lag);
    r.topics.push_back(std::move(tr));
  }
}

}  // namespace

run_result simulate(const scenario& s, mode m, const simulate_options& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const plan p = compile(s, m);
  const arrival_plan arrivals = plan_arrivals(s);
  const nanos hard_stop = arrivals.end >= forever ? forever : arrivals.end + s.drain;
  recorder rec(s.workloads.size(), s.topics.size(),
               measure_window{s.warmup, arrivals.end, hard_stop});
  std::vector<service_tally> tallies(s.services.size());
  for (auto& t : tallies) t.last_change = s.warmup;

  caf::actor_system_config cfg;
  cfg.set("scheduler.policy", caf::atom("testing"));
  run_result r;
  r.mode = m;
  nanos end = 0;
  bool drained = true;
  {
    world w;  // outlives the actor system: actors hold a pointer to it
    caf::actor_system sys{cfg};
    // Never wait for actors in ~actor_system: in virtual time a pending timer keeps one alive.
    sys.await_actors_before_shutdown(false);
    auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
    w.source = &s;
    w.plan = &p;
    w.origin = sys.clock().now();
    w.rec = &rec;
    w.tallies = &tallies;
    w.broker = static_cast<int>(s.services.size());
    w.parties.resize(s.services.size() + 1 + s.workloads.size());
    for (std::size_t i = 0; i < s.services.size(); ++i)
      w.parties[i] = spawn_service(sys, &w, static_cast<int>(i));
    w.parties[w.broker] = spawn_broker(sys, &w);
    for (std::size_t i = 0; i < s.workloads.size(); ++i)
      w.parties[w.client(static_cast<int>(i))] = spawn_client(
          sys, &w, client_options{static_cast<int>(i), arrivals.quota[i], arrivals.stop});
    const auto& schedule = sched.clock().schedule();
    for (std::uint64_t step = 1;; ++step) {
      sched.run();
      if (!w.failure.empty()) break;
      if (schedule.empty()) break;
      if (schedule.begin()->first > w.at(hard_stop)) {
        drained = false;
        break;
      }
      sched.trigger_timeout();
      if (options.progress && step % (1 << 16) == 0)
        options.progress(w.now_of_clock(sched.clock().now()), arrivals.end);
    }
    // The simulated span covers the arrival window even when the last event came earlier.
    end = drained ? std::max(w.now_of_clock(sched.clock().now()), std::min(arrivals.end, hard_stop))
                  : hard_stop;
    r.events = w.events;
    for (auto& a : w.parties) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    sched.run();
    w.parties.clear();
    r.error = w.failure;
  }
  r.sim_time_s = static_cast<double>(end) / 1e9;
  rec.census();
  collect(s, p, rec, tallies, end, drained, r);
  r.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return r;
}

}  // namespace svcsim
