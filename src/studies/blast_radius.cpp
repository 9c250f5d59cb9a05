#include "studies/blast_radius.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "studies/mean_ci.hpp"
#include "studies/replicate.hpp"

namespace svcsim {
namespace {

blast_cell cell_of(const run_result& r, std::size_t workload, const crash_window& w) {
  const auto& wr = r.workloads[workload];
  const auto& seen = r.watched[workload];
  blast_cell c;
  c.availability = wr.availability;
  if (wr.latency_ms.count) c.run_p99_ms = wr.latency_ms.p99;
  if (!std::isnan(seen.p99_ms)) c.p99_ms = seen.p99_ms;
  c.window_requests = seen.requests;
  c.window_ok = seen.ok;
  c.window_failed = seen.failed;
  if (seen.requests == 0) return c;
  const auto answered = seen.ok + seen.failed;
  c.window_availability = answered ? static_cast<double>(seen.ok) / answered : 0.0;
  if (seen.done == seen.requests)
    c.catch_up_s = static_cast<double>(std::max<nanos>(0, seen.last_done_ns - w.to)) / 1e9;
  return c;
}

// The mean of the values all replications have (none if one lacks it, with `all`), and the
// half-width of its 95% interval when there are several.
void pool(const std::vector<std::optional<double>>& xs, bool all, std::optional<double>& mean,
          std::optional<double>& hw) {
  std::vector<double> v;
  for (const auto& x : xs)
    if (x) v.push_back(*x);
  if (v.empty() || (all && v.size() < xs.size())) return;
  const auto m = mean_ci(v);
  mean = m.mean;
  if (m.n > 1) hw = m.half;
}

// One cell from the same cell of every replication.
blast_cell merge(const std::vector<blast_cell>& reps) {
  if (reps.size() == 1) return reps[0];
  blast_cell c;
  std::vector<std::optional<double>> avail, window, p99, run_p99, catch_up;
  for (const auto& r : reps) {
    avail.push_back(r.availability);
    window.push_back(r.window_availability);
    p99.push_back(r.p99_ms);
    run_p99.push_back(r.run_p99_ms);
    catch_up.push_back(r.catch_up_s);
    c.window_requests += r.window_requests;
    c.window_ok += r.window_ok;
    c.window_failed += r.window_failed;
  }
  std::optional<double> mean, unused;
  pool(avail, true, mean, c.availability_hw);
  c.availability = *mean;
  pool(window, false, c.window_availability, c.window_availability_hw);
  pool(p99, false, c.p99_ms, c.p99_ms_hw);
  pool(run_p99, false, c.run_p99_ms, unused);
  pool(catch_up, true, c.catch_up_s, c.catch_up_s_hw);  // one never done: none
  return c;
}

}  // namespace

blast_radius measure_blast_radius(const scenario& s, const crash_window& w, int jobs,
                                  const simulate_options& options, const runs_done& progress,
                                  int replications) {
  return measure_blast_radius(s, w, thread_executor(jobs), options, progress, replications);
}

blast_radius measure_blast_radius(const scenario& s, const crash_window& w,
                                  const run_executor& runs, const simulate_options& options,
                                  const runs_done& progress, int replications) {
  const auto wall_start = std::chrono::steady_clock::now();
  blast_radius b;
  b.window = w;
  b.static_view = static_coupling(s);
  // The baseline, then each service crashed, then the broker when anything may use it.
  const int variants = 1 + static_cast<int>(s.services.size()) + (s.topics.empty() ? 0 : 1);
  const int reps = std::max(1, replications);
  b.replications = reps;
  b.runs = 2 * variants * reps;
  std::vector<std::string> replaced(static_cast<std::size_t>(variants));
  for (int v = 1; v < variants; ++v) with_crash(s, v - 1, w, &replaced[v]);
  simulate_options watched = options;
  watched.progress = nullptr;
  watched.watch = send_interval{w.from, w.to};
  // Run k: variant k / (2 reps), mode (k / reps) % 2, replication k % reps.
  std::vector<run_spec> specs;
  for (int k = 0; k < b.runs; ++k)
    specs.push_back(
        {0, design_of((k / reps) % 2 ? mode::async : mode::sync), k % reps, k / (2 * reps) - 1});
  const auto results = runs.run_all(study{{s}, w, watched}, specs, progress);
  b.rows.resize(static_cast<std::size_t>(variants - 1));
  for (int k = 0; k < b.runs; ++k) {
    const auto& r = results[k];
    if (r.error.empty()) continue;
    const int v = k / (2 * reps), m = (k / reps) % 2;  // r.mode is unset when simulate() threw
    b.error = std::string("the ") + (m ? "async" : "sync") + " run " +
              (v == 0 ? std::string("with nothing crashed")
                      : "with " + s.party_name(v - 1) + " crashed") +
              (reps > 1 ? " (replication " + std::to_string(k % reps) + ")" : std::string()) +
              " stopped: " + r.error;
    return b;
  }
  for (int v = 0; v < variants; ++v) {
    blast_row& row = v == 0 ? b.baseline : b.rows[v - 1];
    row.failed = v - 1;
    row.replaced = replaced[v];
    for (int m = 0; m < 2; ++m) {
      const auto first = results.begin() + (2 * v + m) * reps;
      for (std::size_t i = 0; i < s.workloads.size(); ++i) {
        std::vector<blast_cell> cells;
        for (auto r = first; r != first + reps; ++r) cells.push_back(cell_of(*r, i, w));
        row.cells[m].push_back(merge(cells));
      }
      if (v == 0) b.warnings[m] = merged_warnings({first, first + reps});
    }
  }
  b.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return b;
}

std::vector<takedown> rank_takedowns(const blast_radius& b, mode m) {
  std::vector<takedown> out;
  for (const auto& row : b.rows) {
    takedown t{row.failed, {}};
    const auto& cells = row.cells[static_cast<int>(m)];
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (cells[i].down()) t.workloads.push_back(static_cast<int>(i));
    if (!t.workloads.empty()) out.push_back(std::move(t));
  }
  std::stable_sort(out.begin(), out.end(), [](const takedown& a, const takedown& b) {
    return a.workloads.size() > b.workloads.size();
  });
  return out;
}

std::vector<std::string> workload_names(const scenario& s, const takedown& t) {
  std::vector<std::string> names;
  for (int i : t.workloads) names.push_back(s.workloads[i].name);
  return names;
}

}  // namespace svcsim
