// The command line of a yardstick (baseline_signup, baseline_calls): FILE sync|async REQUESTS.
// Like svcsim_bench with REQUESTS: the file's seed, no warm-up, REQUESTS arrivals. Prints the
// row of svcsim_bench (under the yardstick's name) on stdout, and the mean latency and
// completion on stderr (so that the work cannot be optimised away, and to compare with
// svcsim's). Exit status 2 on bad usage, a bad file or a scenario the yardstick does not take,
// 1 when the run fails.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

#include "scenarios/load/loader.hpp"

namespace svcsim::bench {

// `run(scenario, mode, requests, seed)` simulates and returns a result with done, latency_ms,
// completion_ms and events.
template <class Run>
int yardstick_main(int argc, char** argv, const char* name, Run run) {
  const std::string m = argc == 4 ? argv[2] : "";
  const long long requests = argc == 4 ? std::atoll(argv[3]) : 0;
  if ((m != "sync" && m != "async") || requests <= 0) {
    std::fprintf(stderr, "usage: %s FILE sync|async REQUESTS\n", argv[0]);
    return 2;
  }
  const auto loaded = load_scenario(argv[1]);
  if (!loaded.value) {
    std::fprintf(stderr, "%s\n", loaded.error.c_str());
    return 2;
  }
  const auto& s = *loaded.value;
  const auto wall_start = std::chrono::steady_clock::now();
  decltype(run(s, mode::sync, requests, s.seed)) r;
  try {
    r = run(s, m == "async" ? mode::async : mode::sync, requests, s.seed);
  } catch (const std::invalid_argument& e) {  // a scenario it does not take
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {  // a run that cannot end well
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::fprintf(stderr, "%s %s: mean latency %.4f ms, mean completion %.4f ms over %lld requests\n",
               name, m.c_str(), r.latency_ms, r.completion_ms, static_cast<long long>(r.done));
  std::printf("%-16s %-5s %10lld %8.2f %12.0f %12.0f %8.1f\n", name, m.c_str(),
              static_cast<long long>(r.done), wall, r.done / wall, r.events / wall,
              usage.ru_maxrss / 1024.0);
  return 0;
}

}  // namespace svcsim::bench
