// Independent simulations spread over threads. Each runs in its own actor system and writes
// only its own result, so the results do not depend on the number of threads.
#pragma once

#include <functional>

#include "actors/simulate.hpp"

namespace svcsim {

// Runs task(i, options) once for each i in [0, n), on up to `jobs` threads, in no set order.
// With one thread `options` is passed whole; with several, without `progress`, and with
// max_in_flight shared out between the threads (they share the machine's memory).
void run_parallel(int n, int jobs, const simulate_options& options,
                  const std::function<void(int, const simulate_options&)>& task);

// simulate(), with an exception (out of memory, say) turned into run_result::error.
run_result simulate_caught(const scenario& s, const design& d, const simulate_options& options);

}  // namespace svcsim
