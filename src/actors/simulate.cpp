#include "actors/simulate.hpp"

#include "actors/broker.hpp"
#include "actors/client.hpp"
#include "actors/service.hpp"
#include "engine/arrivals.hpp"
#include "engine/collect.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <algorithm>
#include <chrono>

namespace svcsim {
namespace {

bool idle(const world& w, recorder& rec, const std::vector<service_tally>& tallies, nanos now,
          nanos arrivals_end) {
  if (rec.open_traces() != 0 || now < arrivals_end) return false;
  for (const auto& t : tallies)
    if (t.held_jobs > 0 || t.busy_until > now) return false;
  for (std::size_t i = 0; i < w.source->topics.size(); ++i)
    if (rec.topic(static_cast<int>(i)).held > 0) return false;
  return true;
}

}  // namespace

run_result simulate(const scenario& s, mode m, const simulate_options& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const plan p = compile(s, m);
  const arrival_plan arrivals = plan_arrivals(s);
  const nanos hard_stop =
      arrivals.end >= arrival_plan::never ? arrival_plan::never : arrivals.end + s.drain;
  // Without an end, what comes after max_buckets goes to the last bucket.
  const bucket_fit bucket =
      fit_bucket(options.bucket, hard_stop < arrival_plan::never ? hard_stop : 0);
  recorder rec(s.workloads.size(), s.topics.size(),
               measure_window{s.warmup, arrivals.end, hard_stop}, bucket.width, s.failures);
  if (options.watch) rec.watch(options.watch->from, options.watch->to);
  std::vector<service_tally> tallies(s.services.size());
  const auto failures = failure_schedules(s);
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
    w.max_in_flight = options.max_in_flight;
    w.tallies = &tallies;
    w.failures = &failures;
    w.direct_feed = options.direct_feed;
    w.force_event_driven = options.force_event_driven;
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
      // Idle: arrivals are over, nothing is open or busy, and nothing else happens now (timers
      // left, e.g. stale timeouts or later failures, are moot).
      if (idle(w, rec, tallies, w.now_of_clock(sched.clock().now()), arrivals.end) &&
          schedule.begin()->first > sched.clock().now())
        break;
      if (schedule.begin()->first > w.at(hard_stop)) {
        drained = false;
        break;
      }
      sched.trigger_timeout();
      if (options.progress && step % (1 << 16) == 0)
        options.progress(w.now_of_clock(sched.clock().now()), arrivals.end);
    }
    // The simulated span covers the arrival window even when the last event came earlier, and
    // what a directly fed service did without a message as if it had been events.
    if (w.direct_reply_late) drained = false;
    end = drained ? std::max({w.now_of_clock(sched.clock().now()), std::min(arrivals.end, hard_stop),
                              std::min(w.last_direct_event, hard_stop)})
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
  if (!bucket.warning.empty()) r.warnings.push_back(bucket.warning);
  r.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return r;
}

}  // namespace svcsim
