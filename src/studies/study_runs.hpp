// A study (replications, a sweep, a coupling study) as independent runs: the scenarios it runs
// (a sweep's points; one otherwise), a coupling study's crash window, the options every run
// shares, and one run_spec per run. A run's result depends on its study and spec only, never on
// where or when it runs, so a study hands its runs to any run_executor (threads here, or worker
// nodes) and merges their results in spec order.
#pragma once

#include <cstdint>
#include <vector>

#include "actors/simulate.hpp"
#include "studies/crash_window.hpp"

namespace svcsim {

// The seed of replication i: the scenario's own for i = 0, so one replication is the plain
// run; the others derived from it.
std::uint64_t replication_seed(std::uint64_t seed, int replication);

struct run_spec {
  int point = 0;  // which of study::scenarios
  svcsim::design design;
  int replication = 0;  // seeded replication_seed(the scenario's seed, replication)
  int crashed = -1;     // the party with_crash() crashes in study::window; -1: none
  bool traced = false;  // records spans (study::options.trace, .spans); else they are unused
};

struct study {
  std::vector<scenario> scenarios;
  crash_window window;       // when a spec crashes a party
  simulate_options options;  // every run's; an executor may share max_in_flight out
};

// Runs `spec` of `st` with `options` (st.options, or an executor's share of them): an
// exception (out of memory, say) becomes run_result::error, and only replication 0 keeps its
// timeline (the reports show replication 0's).
run_result run_one(const study& st, const run_spec& spec, const simulate_options& options);

}  // namespace svcsim
