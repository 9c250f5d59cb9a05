// A sweep: one scenario run at every point of a grid of `--set KEY=V1,V2,...` values, in each
// mode, with replications, and where each mode's load starts to hurt (its knee). Model, grid
// and runs are kept apart: the grid is text (the values as the user wrote them), each point's
// scenario is loaded from the file with that point's overrides, and its runs are an ordinary
// report, so every report writer's code for runs serves a sweep's points as well.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actors/simulate.hpp"
#include "engine/results.hpp"
#include "studies/run_executor.hpp"

namespace svcsim {

// Where a mode's load starts to hurt: the first point (in grid order) at which p99 latency of
// a workload exceeds knee_factor x its value at the first point, or the availability of a
// workload drops below 99%, or a backlog stops draining.
enum class knee_sign { latency, availability, backlog };  // which criterion a knee met

struct sweep_knee {
  svcsim::mode mode = svcsim::mode::sync;
  int point = -1;   // index into sweep_result::points; -1: none within the grid
  std::string why;  // e.g. "p99 of signup 41.2 ms, 3.4x its 12.1 ms at 50/s"
  // For a backlog, what fell behind ("email", or "broker"); else the busiest service there.
  std::string bottleneck;
  knee_sign sign = knee_sign::latency;
};

struct sweep_result {
  std::string scenario;
  std::uint64_t seed = 1;
  std::vector<std::string> keys;  // the swept keys (dotted paths), in --set order
  struct point {
    std::vector<std::string> values;  // one per key, as written (ranges expanded: "150/s")
    report runs;  // one entry per mode (sync first), and replicas with replications > 1
  };
  std::vector<point> points;  // the grid, the last key varying fastest
  double knee_factor = 3;
  std::vector<sweep_knee> knees;  // one per mode, in the order of each point's runs
  // The knees in one sentence: "sync saturates at 180/s (email), async falls behind at 240/s
  // (email)".
  std::string summary;
  std::string error;  // a run stopped early: which one, and why
};

// A workload counts as unavailable below this availability (the knee's second criterion).
constexpr double knee_availability = 0.99;
// A service this busy at the first point already saturates there: that point is the knee,
// as no later p99 could be measured against an unsaturated one.
constexpr double knee_utilization = 0.99;

struct sweep_options {
  std::vector<svcsim::mode> modes{svcsim::mode::sync, svcsim::mode::async};
  int replications = 1;
  int jobs = 1;                            // threads, without `executor`
  const run_executor* executor = nullptr;  // where the runs go; none: `jobs` threads
  double knee_factor = 3;
  simulate_options simulation;  // as the executor shares it out
  runs_done progress;
};

// Runs every point's scenario (`scenarios`, loaded with that point's settings, in grid
// order; `values`: per point one value per key) in every mode, `replications` times each
// (seeds as replicate() gives them); the result does not depend on where they run. Fills the knees
// and the summary, or `error` when a run stopped.
sweep_result run_sweep(const std::vector<scenario>& scenarios, const std::vector<std::string>& keys,
                       const std::vector<std::vector<std::string>>& values,
                       const sweep_options& options);

// The knee of the mode of `run` (an index into each point's report::runs).
sweep_knee find_knee(const sweep_result& r, std::size_t run);

// A point as people read it: its value alone when one key varies over the grid ("150/s"),
// else "key=value, ..." of the keys that vary.
std::string point_name(const sweep_result& r, int point);

// The mean of `get` over the replications of run `run` at a point that measured it (NaN:
// none did); the run alone without replications.
double mean_over(const report& point, std::size_t run,
                 const std::function<double(const run_result&)>& get);

// A workload's p99 latency in a run; NaN when it had no ok request.
double p99_of(const run_result& r, std::size_t workload);

// The keys whose value differs between the grid's points, in key order.
std::vector<std::size_t> varying_keys(const sweep_result& r);

// The busiest service of run `run` at a point, by utilization (the mean over replications),
// the broker included when modelled: its name and utilization; {"", 0} without services.
std::pair<std::string, double> busiest_service(const report& point, std::size_t run);

// The sentence of sweep_result::summary from its knees, each with the verb of its sign (p99
// "saturates", availability "loses requests", backlog "falls behind"; left out when the mode
// before said the same): "sync saturates at 180/s (email), async at 240/s (broker)"; "async
// holds up to 600/s" without a knee; with several keys the modes are apart by "; " ("sync
// saturates at a=1, b=2 (email); async holds up to a=2, b=4").
std::string knee_summary(const sweep_result& r);

}  // namespace svcsim
