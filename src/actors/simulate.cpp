#include "actors/simulate.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "actors/client.hpp"
#include "actors/run_context.hpp"
#include "actors/virtual_scheduler.hpp"
#include "engine/arrivals.hpp"
#include "engine/collect.hpp"
#include "engine/instances.hpp"

namespace svcsim {
namespace {

bool idle(const scenario& s, recorder& rec, const std::vector<service_tally>& tallies, nanos now,
          nanos arrivals_end) {
  if (rec.open_traces() != 0 || now < arrivals_end) return false;
  for (const auto& t : tallies)
    if (t.held_jobs > 0 || t.busy_until > now) return false;
  for (std::size_t i = 0; i < s.topics.size(); ++i)
    if (rec.topic(static_cast<int>(i)).held > 0) return false;
  return true;
}

// CAF's testing scheduler as an event_loop: the reference virtual_scheduler is checked against.
class testing_loop final : public event_loop {
 public:
  explicit testing_loop(caf::actor_system& sys)
      : s_(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())) {}
  std::size_t run() override { return s_.run(); }
  bool deliver_next() override { return s_.trigger_timeout(); }
  bool clock_empty() const override { return s_.clock().schedule().empty(); }
  time_point next_time() const override { return s_.clock().schedule().begin()->first; }
  time_point now() const override { return s_.clock().now(); }

 private:
  caf::scheduler::test_coordinator& s_;
};

}  // namespace

run_result simulate(const scenario& s, mode m, const simulate_options& options) {
  return simulate(s, design_of(m), options);
}

run_result simulate(const scenario& s, const design& d, const simulate_options& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const plan p = compile(s, d);
  const arrival_plan arrivals = plan_arrivals(s);
  const nanos hard_stop =
      arrivals.end >= arrival_plan::never ? arrival_plan::never : arrivals.end + s.drain;
  // Without an end, what comes after max_buckets goes to the last bucket.
  const bucket_fit bucket =
      fit_bucket(options.bucket, hard_stop < arrival_plan::never ? hard_stop : 0, arrivals.end);
  recorder rec(s.workloads.size(), s.topics.size(),
               measure_window{s.warmup, arrivals.end, hard_stop}, bucket.width, s.failures);
  if (options.watch) rec.watch(options.watch->from, options.watch->to);
  std::optional<span_recorder> spans;
  if (options.trace.any() && options.spans) {
    spans.emplace(options.trace, options.spans);
    rec.trace_spans(&*spans);
  }
  // One per instance, the broker's last.
  std::vector<service_tally> tallies(static_cast<std::size_t>(instance_layout(s).total()) + 1);
  const auto failures = failure_schedules(s);
  for (auto& t : tallies) t.last_change = s.warmup;

  caf::actor_system_config cfg;
  if (options.plain_caf)
    cfg.set("scheduler.policy", caf::atom("testing"));
  else
    virtual_scheduler::install(cfg);
  run_result r;
  r.mode = d.mode;
  r.design = d.name;
  nanos end = 0;
  bool drained = true;
  {
    // Both outlive the actor system: actors hold pointers to them.
    run_status status;
    std::optional<run_context> context;
    caf::actor_system sys{cfg};
    // Never wait for actors in ~actor_system: in virtual time a pending timer keeps one alive.
    sys.await_actors_before_shutdown(false);
    std::unique_ptr<testing_loop> reference;
    if (options.plain_caf) reference = std::make_unique<testing_loop>(sys);
    event_loop& loop =
        reference ? static_cast<event_loop&>(*reference) : virtual_scheduler::of(sys);
    run_options ro;
    ro.max_in_flight = options.max_in_flight;
    ro.direct_feed = options.direct_feed;
    ro.force_event_driven = options.force_event_driven;
    ro.first_seq = options.first_seq;
    ro.plain_caf = options.plain_caf;
    ro.send_ahead = options.send_ahead;
    const auto& w = context.emplace(
        sys, s, p, failures, rec, tallies, status, ro,
        [&](caf::actor_system& in, const run_context* ctx) {
          std::vector<caf::actor> clients;
          for (std::size_t i = 0; i < s.workloads.size(); ++i)
            clients.push_back(spawn_client(
                in, ctx, client_options{static_cast<int>(i), arrivals.quota[i], arrivals.stop}));
          return clients;
        });
    // The loop, on the scheduler's own type (both are final): no virtual call per event.
    const auto stop_at = w.at(hard_stop);
    const auto drive = [&](auto& sched) {
      for (std::uint64_t step = 1;; ++step) {
        sched.run();
        if (!status.failure.empty()) return;
        if (sched.clock_empty()) return;
        // Idle: arrivals are over, nothing is open or busy, and nothing else happens now
        // (timers left, e.g. stale timeouts or later failures, are moot). Now is the clock, or
        // later when a directly fed service took arrivals and recorded replies ahead of it.
        const nanos reached =
            std::max(w.now_of_clock(sched.now()), std::min(status.last_direct_event, hard_stop));
        const auto next = sched.next_time();
        if (reached >= arrivals.end && idle(s, rec, tallies, reached, arrivals.end) &&
            next > w.at(reached))
          return;
        if (next > stop_at) {
          drained = false;
          return;
        }
        sched.deliver_next();
        if (options.cancel && step % 1024 == 0 && options.cancel->load(std::memory_order_relaxed)) {
          status.failure = "cancelled";
          return;
        }
        if (options.progress && step % (1 << 16) == 0)
          options.progress(w.now_of_clock(sched.now()), arrivals.end);
      }
    };
    if (reference)
      drive(*reference);
    else
      drive(static_cast<virtual_scheduler&>(loop));
    // The simulated span covers the arrival window even when the last event came earlier, and
    // what a directly fed service did without a message as if it had been events.
    if (status.direct_reply_late) drained = false;
    end = drained ? std::max({w.now_of_clock(loop.now()), std::min(arrivals.end, hard_stop),
                              std::min(status.last_direct_event, hard_stop)})
                  : hard_stop;
    r.events = status.events;
    context->shutdown(loop);
    r.error = status.failure;
  }
  r.sim_time_s = static_cast<double>(end) / 1e9;
  rec.census();
  if (spans) spans->finish(end);
  collect(s, p, rec, tallies, end, drained, r);
  if (spans) r.late_spans = spans->late();
  if (!bucket.warning.empty()) r.warnings.push_back(bucket.warning);
  r.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return r;
}

}  // namespace svcsim
