// One benchmark run in its own process (so peak memory is its own): loads a scenario, sets
// `requests` to N (arrivals no longer bounded by `duration`), simulates one mode and prints a
// row: scenario, mode, requests, wall seconds, requests/s, simulated events/s, peak RSS (MB).
#include "engine/engine.hpp"
#include "scenarios/loader.hpp"

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: svcsim_bench FILE sync|async REQUESTS\n");
    return 2;
  }
  auto loaded = svcsim::load_scenario(argv[1]);
  if (!loaded.value) {
    std::fprintf(stderr, "%s\n", loaded.error.c_str());
    return 2;
  }
  auto& s = *loaded.value;
  s.requests = std::atoll(argv[3]);
  s.duration.reset();
  s.warmup = 0;
  const auto m = std::string(argv[2]) == "async" ? svcsim::mode::async : svcsim::mode::sync;
  const auto r = svcsim::simulate(s, m);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::int64_t done = 0;
  for (const auto& w : r.workloads) done += w.ok + w.failed;
  std::printf("%-16s %-5s %10lld %8.2f %12.0f %12.0f %8.1f\n", s.name.c_str(), argv[2],
              static_cast<long long>(done), r.wall_time_s, done / r.wall_time_s,
              r.events / r.wall_time_s, usage.ru_maxrss / 1024.0);
  return 0;
}
