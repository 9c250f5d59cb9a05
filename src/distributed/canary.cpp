#include "distributed/canary.hpp"

#include "actors/simulate.hpp"
#include "distributed/result_codec.hpp"
#include "scenarios/load/loader.hpp"

namespace svcsim {
namespace {

constexpr const char* canary_scenario = R"(name: canary
seed: 7
requests: 400
network:
  latency: 200us
broker:
  latency: 1ms
services:
  front:
    workers: 2
    endpoints:
      order:
        work: exp(2ms)
        steps:
          - call: stock.reserve
          - notify: order.placed
  stock:
    workers: 1
    endpoints:
      reserve:
        work: lognormal(1ms, 0.5ms)
  mail:
    workers: 1
    subscribes:
      order.placed:
        work: uniform(1ms, 3ms)
workloads:
  - name: orders
    target: front.order
    arrivals: poisson(300/s)
failures:
  - service: stock
    kind: crash
    at: 200ms
    for: 100ms
)";

std::uint64_t fnv1a(const std::string& bytes, std::uint64_t h) {
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

std::uint64_t compute() {
  const auto loaded = parse_scenario(canary_scenario, "canary.yaml");
  if (!loaded.value) return 0;  // never: canary_test loads it
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (mode m : {mode::sync, mode::async}) {
    run_result r = simulate(*loaded.value, m);
    r.wall_time_s = 0;
    h = fnv1a(encode(r), h);
  }
  return h;
}

}  // namespace

std::uint64_t engine_canary() {
  static const std::uint64_t value = compute();
  return value;
}

}  // namespace svcsim
