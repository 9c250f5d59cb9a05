#include "studies/run_executor.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace svcsim {

simulate_options thread_share(const simulate_options& options, int threads) {
  if (threads <= 1) return options;
  simulate_options shared = options;
  shared.progress = nullptr;
  shared.max_in_flight = std::max<std::size_t>(1, options.max_in_flight / threads);
  return shared;
}

std::vector<run_result> thread_executor::run_all(const study& st,
                                                 const std::vector<run_spec>& specs,
                                                 const runs_done& done) const {
  const int n = static_cast<int>(specs.size());
  const int threads = std::max(1, std::min(jobs_, n));
  const simulate_options options = thread_share(st.options, threads);
  std::vector<run_result> out(specs.size());
  std::mutex done_lock;
  int ended = 0;
  std::atomic<int> next{0};
  auto work = [&] {
    for (int i; (i = next.fetch_add(1)) < n;) {
      out[static_cast<std::size_t>(i)] = run_one(st, specs[static_cast<std::size_t>(i)], options);
      if (!done) continue;
      std::lock_guard<std::mutex> lock(done_lock);
      done(++ended, n);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace svcsim
