// Where a study's runs go. Each run_spec runs exactly once and the results come back in spec
// order, so a study's result does not depend on the executor, its threads or its nodes.
#pragma once

#include <functional>
#include <vector>

#include "studies/study_runs.hpp"

namespace svcsim {

// (runs ended so far, runs in all), after each run, one call at a time.
using runs_done = std::function<void(int, int)>;

class run_executor {
 public:
  virtual ~run_executor() = default;
  virtual std::vector<run_result> run_all(const study& st, const std::vector<run_spec>& specs,
                                          const runs_done& done) const = 0;
};

// This process's threads: up to `jobs` runs at once. With one thread each run gets the study's
// options whole; with several, without `progress` and with max_in_flight shared out between
// the threads (they share the machine's memory).
class thread_executor final : public run_executor {
 public:
  explicit thread_executor(int jobs) : jobs_(jobs) {}
  std::vector<run_result> run_all(const study& st, const std::vector<run_spec>& specs,
                                  const runs_done& done) const override;

 private:
  const int jobs_;
};

// st.options as each of `threads` threads running at once should use them (thread_executor).
simulate_options thread_share(const simulate_options& options, int threads);

}  // namespace svcsim
