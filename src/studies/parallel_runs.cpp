#include "studies/parallel_runs.hpp"

#include <algorithm>
#include <atomic>
#include <new>
#include <thread>
#include <vector>

namespace svcsim {

void run_parallel(int n, int jobs, const simulate_options& options,
                  const std::function<void(int, const simulate_options&)>& task) {
  jobs = std::max(1, std::min(jobs, n));
  if (jobs == 1) {
    for (int i = 0; i < n; ++i) task(i, options);
    return;
  }
  simulate_options shared = options;
  shared.progress = nullptr;
  shared.max_in_flight = std::max<std::size_t>(1, options.max_in_flight / jobs);
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int j = 0; j < jobs; ++j)
    workers.emplace_back([&] {
      for (int i; (i = next.fetch_add(1)) < n;) task(i, shared);
    });
  for (auto& w : workers) w.join();
}

run_result simulate_caught(const scenario& s, const design& d, const simulate_options& options) {
  run_result r;
  try {
    r = simulate(s, d, options);
  } catch (const std::bad_alloc&) {
    r.error = "out of memory";
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

}  // namespace svcsim
