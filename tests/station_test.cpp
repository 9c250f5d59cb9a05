// Two kinds of station hold a service's workers (src/actors/station.hpp): the predictable one
// computes each job on arrival (Lindley recursion), the event-driven one runs it as frames.
// Which one a call-free service gets is a shortcut of the simulation, not of the model: with
// simulate_options::force_event_driven every report must be the same, but for `events` and
// `wall_time_s`. Checked on every scenario of scenarios/, in both modes.
#include <catch2/catch.hpp>

#include "report_diff.hpp"
#include "scenarios/load/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

using namespace svcsim;
using namespace svcsim::testing;

TEST_CASE("stations: every scenario reports the same on the event-driven path only") {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(SVCSIM_SOURCE_DIR "/scenarios"))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const auto& f : files) {
    CAPTURE(f);
    const auto loaded = load_scenario(f);
    REQUIRE(loaded.value);
    simulate_options forced;
    forced.force_event_driven = true;
    CHECK(report_without_costs(*loaded.value, {}) == report_without_costs(*loaded.value, forced));
  }
}
