// What `svcsim validate` prints: the scenario's services, topics and workloads as loaded, and
// per design (`views`: by default sync, then async) the load offered to each service, who must
// know whom and the longest chain of sync calls.
#pragma once

#include <string>

#include "engine/coupling.hpp"
#include "engine/offered_load.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

// One design's static view: its label, and of its plan offered_load_of(), coupling_of(),
// broker_coupling_of() and longest_call_chain().
struct design_view {
  std::string label;
  offered_load load;
  std::vector<coupling> services;
  broker_coupling broker;
  std::vector<std::string> longest_call_chain;
};

std::vector<design_view> design_views(const scenario& s, const std::vector<design>& designs);

std::string describe_scenario(const scenario& s, const std::vector<design_view>& views);

// The load of each workload in words, for a report's header: "signup: poisson 200/s for 60 s,
// the first 5 s not measured".
std::vector<std::string> load_lines(const scenario& s);

}  // namespace svcsim
