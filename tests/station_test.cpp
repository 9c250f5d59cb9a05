// Two kinds of station hold a service's workers (src/actors/station.hpp): the predictable one
// computes each job on arrival (Lindley recursion), the event-driven one runs it as frames.
// Which one a call-free service gets is a shortcut of the simulation, not of the model: with
// simulate_options::force_event_driven every report must be the same, but for `events` and
// `wall_time_s`. Checked on every scenario of scenarios/, in both modes.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "report_diff.hpp"
#include "scenarios/load/loader.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

TEST_CASE("stations: every scenario reports the same on the event-driven path only", "[repeats]") {
  for_each_shipped_scenario([](const scenario& s) {
    simulate_options forced;
    forced.force_event_driven = true;
    CHECK(report_without_costs(s, {}) == report_without_costs(s, forced));
  });
}

namespace {

// The scenario of `yaml`, loaded; its report both ways must be equal.
void same_both_ways(const std::string& yaml) {
  const auto loaded = parse_scenario(yaml, "s.yaml");
  REQUIRE(loaded.value);
  simulate_options forced, plain;
  forced.force_event_driven = true;
  plain.direct_feed = false;
  const auto reference = report_without_costs(*loaded.value, forced);
  CHECK(report_without_costs(*loaded.value, {}) == reference);
  CHECK(report_without_costs(*loaded.value, plain) == reference);
}

}  // namespace

// Found by review: the predictable station counted as dropped the jobs an outage would fail
// after the run had stopped (a crash after the drain limit; a hang without end, which fails
// nothing), where the event-driven one counts a job when the outage fails it.
TEST_CASE("stations: dropped counts only jobs an outage fails within the run") {
  const std::string head =
      "name: s\nservices: {api: {workers: 1, endpoints: {get: {work: 10ms}}}}\n"
      "workloads: [{name: w, target: api.get, arrivals: constant(200/s)}]\n";
  same_both_ways(head +
                 "duration: 1s\ndrain: 100ms\n"
                 "failures: [{service: api, kind: crash, at: 1500ms}]\n");
  same_both_ways(head +
                 "duration: 1s\ndrain: 1s\n"
                 "failures: [{service: api, kind: hang, at: 500ms}]\n");
  same_both_ways(head +
                 "duration: 1s\n"
                 "failures: [{service: api, kind: crash, at: 500ms, for: 100ms}]\n");
}

// Found by review: a run whose only source was a directly fed service was never seen idle
// (its arrivals and replies leave no event on the clock), so it ran on to a moot timer of
// another service, seconds later, and reported that as its simulated time.
TEST_CASE("stations: a directly fed run ends when its last reply is recorded") {
  const std::string yaml =
      "name: s\nrequests: 10\n"
      "services: {api: {endpoints: {get: {work: 1ms}}}, other: {endpoints: {get: {work: 1ms}}}}\n"
      "workloads: [{name: w, target: api.get, arrivals: constant(100/s)}]\n"
      "failures: [{service: other, kind: crash, at: 5s, for: 1s}]\n";
  same_both_ways(yaml);
  const auto loaded = parse_scenario(yaml, "s.yaml");
  REQUIRE(loaded.value);
  CHECK(simulate(*loaded.value, mode::sync).sim_time_s == Approx(0.091));
}
