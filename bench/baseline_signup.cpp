// The yardstick of user-signup: the model of baseline_signup.hpp (the semantics are written
// there), timed. `make bench` divides user-signup's time per request in svcsim by this one's.
// Usage: baseline_signup FILE sync|async REQUESTS (yardstick_main.hpp).
#include "baseline_signup.hpp"

#include "yardstick_main.hpp"

int main(int argc, char** argv) {
  return svcsim::bench::yardstick_main(
      argc, argv, "baseline-signup",
      [](const svcsim::scenario& s, svcsim::mode m, std::int64_t n, std::uint64_t seed) {
        return svcsim::bench::run_signup(s, m, n, seed);
      });
}
