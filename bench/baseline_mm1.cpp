// The yardstick of `make bench`: a minimal M/M/1 (lambda 800/s, mean service 1ms, as
// bench/mm1.yaml) on a std::priority_queue of events, with a FIFO waiting line and the engine's
// random streams (svcsim::rng, exponential draws rounded to whole nanoseconds). bench/run divides
// every benchmark's time per request by this one's, so that machine noise cancels.
// Prints the row of svcsim_bench (name baseline-mm1, mode -) on stdout, and the mean sojourn on
// stderr (so that the work cannot be optimised away; M/M/1 theory: 1/(mu - lambda) = 5 ms).
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <queue>
#include <tuple>
#include <vector>

#include "engine/random.hpp"

namespace {

using nanos = std::int64_t;

struct event {
  nanos at;
  std::uint64_t seq;  // ties in time go in the order they were scheduled
  bool arrival;       // else a departure
  bool operator>(const event& o) const { return std::tie(at, seq) > std::tie(o.at, o.seq); }
};

}  // namespace

int main(int argc, char** argv) {
  const long long customers = argc > 1 ? std::atoll(argv[1]) : 1000000;
  if (argc > 2 || customers <= 0) {
    std::fprintf(stderr, "usage: baseline_mm1 [CUSTOMERS]\n");
    return 2;
  }
  const auto wall_start = std::chrono::steady_clock::now();
  const double gap_ns = 1e9 / 800, work_ns = 1e6;
  auto arrivals = svcsim::rng::for_party(1, "workload:load");
  auto service = svcsim::rng::for_party(1, "service:server");

  std::priority_queue<event, std::vector<event>, std::greater<>> events;
  std::deque<nanos> waiting;  // arrival times, FIFO
  std::uint64_t seq = 0;
  double next_arrival = arrivals.exponential(gap_ns);
  long long sent = 1, done = 0, handled = 0;
  events.push({std::llround(next_arrival), seq++, true});
  bool busy = false;
  nanos in_service = 0;  // arrival time of the customer being served
  double sojourn_ns = 0;
  while (!events.empty()) {
    const event e = events.top();
    events.pop();
    ++handled;
    if (e.arrival) {
      if (busy) {
        waiting.push_back(e.at);
      } else {
        busy = true;
        in_service = e.at;
        events.push({e.at + std::llround(service.exponential(work_ns)), seq++, false});
      }
      if (sent < customers) {
        next_arrival += arrivals.exponential(gap_ns);
        events.push({std::llround(next_arrival), seq++, true});
        ++sent;
      }
    } else {
      sojourn_ns += static_cast<double>(e.at - in_service);
      ++done;
      busy = !waiting.empty();
      if (busy) {
        in_service = waiting.front();
        waiting.pop_front();
        events.push({e.at + std::llround(service.exponential(work_ns)), seq++, false});
      }
    }
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::fprintf(stderr, "baseline-mm1: mean sojourn %.4f ms over %lld customers\n",
               sojourn_ns / static_cast<double>(done) / 1e6, done);
  std::printf("%-16s %-5s %10lld %8.2f %12.0f %12.0f %8.1f\n", "baseline-mm1", "-", done, wall,
              done / wall, handled / wall, usage.ru_maxrss / 1024.0);
  return 0;
}
