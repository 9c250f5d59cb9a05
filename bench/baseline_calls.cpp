// The yardstick of call graphs: the model of baseline_calls.hpp (the semantics are written
// there), timed. `make bench` divides order-checkout's time per request in svcsim by this one's.
// Usage: baseline_calls FILE sync|async REQUESTS (yardstick_main.hpp).
#include "baseline_calls.hpp"

#include "yardstick_main.hpp"

int main(int argc, char** argv) {
  return svcsim::bench::yardstick_main(
      argc, argv, "baseline-calls",
      [](const svcsim::scenario& s, svcsim::mode m, std::int64_t n, std::uint64_t seed) {
        return svcsim::bench::run_calls(s, m, n, seed);
      });
}
