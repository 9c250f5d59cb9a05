// The blast radius of each service's failure: the scenario run with one service (or the
// broker) crashed for a window, for every one in turn, in both modes, beside a baseline run with
// nothing more failed. What each workload keeps of its availability tells how far a failure
// spreads; how long async takes after the window to finish what was sent in it tells the price of
// the decoupling. The static view (who knows whom, engine/coupling.hpp) comes along, computed once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actors/simulate.hpp"
#include "engine/coupling.hpp"
#include "studies/crash_window.hpp"
#include "studies/run_executor.hpp"

namespace svcsim {

// A workload is down while a service is crashed when the availability of its requests sent in
// the window is below this.
constexpr double down_below = 0.99;

// One workload in one variant and mode: one run, or the means over the replications (counts
// are summed); then the *_hw fields are the half-widths of 95% confidence intervals.
struct blast_cell {
  double availability = 1;  // over the measured run, as run_result has it
  // Of the requests sent in the window: ok / (ok + failed); when none was answered 0; none
  // when none was sent.
  std::optional<double> window_availability;
  std::optional<double> p99_ms;      // latency of the window's ok requests; none when none was ok
  std::optional<double> run_p99_ms;  // latency over the measured run; none when nothing was ok
  // From the window's end until the last request sent in it, and all it caused, was done (0
  // when that was before); none when none was sent, or one never was (lost or unfinished).
  std::optional<double> catch_up_s;
  std::int64_t window_requests = 0, window_ok = 0, window_failed = 0;
  std::optional<double> availability_hw, window_availability_hw, p99_ms_hw, catch_up_s_hw;
  bool down() const { return window_availability && *window_availability < down_below; }
};

// One scenario variant in both modes: per workload, indexed [mode][workload].
struct blast_row {
  int failed = -1;       // the crashed service, or broker_party(); -1 for the baseline
  std::string replaced;  // what with_crash() left out
  std::vector<blast_cell> cells[2];
};

struct blast_radius {
  crash_window window;
  coupling_view static_view;  // static_coupling() of the scenario
  blast_row baseline;
  // One per service, in scenario order, then the broker's when the scenario has topics.
  std::vector<blast_row> rows;
  std::vector<std::string> warnings[2];  // the baseline runs', per mode
  int runs = 0;
  int replications = 1;  // of every variant and mode
  double wall_time_s = 0;
  std::string error;  // a run stopped early: which one, and why
};

// Runs the baseline and every service's crash in both modes, `replications` times each (seeds
// as replicate() gives them), on `runs` (results do not depend on where they run), calling
// `progress(done, total)` after each run.
blast_radius measure_blast_radius(const scenario& s, const crash_window& w,
                                  const run_executor& runs, const simulate_options& options = {},
                                  const runs_done& progress = nullptr, int replications = 1);
// The same on `jobs` threads.
blast_radius measure_blast_radius(const scenario& s, const crash_window& w, int jobs,
                                  const simulate_options& options = {},
                                  const runs_done& progress = nullptr, int replications = 1);

// The services whose crash takes down at least one workload in mode `m`, most workloads first
// (ties in scenario order), each with the workloads it takes down.
struct takedown {
  int service = -1;
  std::vector<int> workloads;
};
std::vector<takedown> rank_takedowns(const blast_radius& b, mode m);

// The names of the workloads a takedown takes down, in its order.
std::vector<std::string> workload_names(const scenario& s, const takedown& t);

}  // namespace svcsim
