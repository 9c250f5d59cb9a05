// One benchmark run in its own process (so peak memory is its own): loads a scenario, simulates
// one mode and prints a row: scenario, mode, requests done, wall seconds, requests/s, simulated
// events/s, peak RSS (MB). REQUESTS > 0 sets `requests` to it and drops `duration` (arrivals are
// bounded by the count only); REQUESTS = 0 keeps the file's `duration` and `requests`, as a
// closed loop needs (its clients stop at the end of `duration`, never after a count).
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "actors/simulate.hpp"
#include "scenarios/load/loader.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: svcsim_bench FILE sync|async REQUESTS (0: the file's)\n");
    return 2;
  }
  auto loaded = svcsim::load_scenario(argv[1]);
  if (!loaded.value) {
    std::fprintf(stderr, "%s\n", loaded.error.c_str());
    return 2;
  }
  auto& s = *loaded.value;
  const long long requests = std::atoll(argv[3]);
  const bool closed_loop = std::any_of(s.workloads.begin(), s.workloads.end(),
                                       [](const svcsim::workload& w) { return w.users > 0; });
  if (requests > 0 && closed_loop) {
    std::fprintf(stderr,
                 "svcsim_bench: %s has a closed loop, which only `duration` ends; "
                 "pass REQUESTS 0 to keep the file's duration\n",
                 argv[1]);
    return 2;
  }
  if (requests > 0) {
    s.requests = requests;
    s.duration.reset();
  }
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
