// The yardstick of user-signup: the model of baseline_signup.hpp (the semantics are written
// there), timed. `make bench` divides user-signup's time per request in svcsim by this one's.
// Usage: baseline_signup FILE sync|async REQUESTS. Like svcsim_bench with REQUESTS: the file's
// seed, no warm-up, REQUESTS arrivals. Prints the row of svcsim_bench (name baseline-signup) on
// stdout, and the mean latency and completion on stderr (so that the work cannot be optimised
// away, and to compare with svcsim's).
#include "baseline_signup.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "scenarios/load/loader.hpp"

int main(int argc, char** argv) {
  const std::string m = argc == 4 ? argv[2] : "";
  const long long requests = argc == 4 ? std::atoll(argv[3]) : 0;
  if ((m != "sync" && m != "async") || requests <= 0) {
    std::fprintf(stderr, "usage: baseline_signup FILE sync|async REQUESTS\n");
    return 2;
  }
  const auto loaded = svcsim::load_scenario(argv[1]);
  if (!loaded.value) {
    std::fprintf(stderr, "%s\n", loaded.error.c_str());
    return 2;
  }
  const auto& s = *loaded.value;
  const auto wall_start = std::chrono::steady_clock::now();
  svcsim::bench::signup_result r;
  try {
    r = svcsim::bench::run_signup(s, m == "async" ? svcsim::mode::async : svcsim::mode::sync,
                                  requests, s.seed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::fprintf(stderr,
               "baseline-signup %s: mean latency %.4f ms, mean completion %.4f ms over %lld "
               "requests\n",
               m.c_str(), r.latency_ms, r.completion_ms, static_cast<long long>(r.done));
  std::printf("%-16s %-5s %10lld %8.2f %12.0f %12.0f %8.1f\n", "baseline-signup", m.c_str(),
              static_cast<long long>(r.done), wall, r.done / wall, r.events / wall,
              usage.ru_maxrss / 1024.0);
  return 0;
}
