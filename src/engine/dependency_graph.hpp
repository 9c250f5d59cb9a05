// Who depends on whom in one mode, as a graph to draw (svcsim graph): the services as nodes,
// in scenario order; one edge per caller and callee with the endpoints called (a sync
// notify's call to a subscriber is labelled "on TOPIC"); when some topic goes through the
// broker in this mode, the broker as a node, one edge per publisher labelled with the topics
// it publishes, and one per subscriber labelled with the topics delivered to it.
// Invariants: edges are sorted by (from, to), one per pair; labels are distinct and sorted;
// no service calls itself in an edge (it couples it to nobody, as in coupling.hpp).
#pragma once

#include <string>
#include <vector>

#include "engine/plan.hpp"

namespace svcsim {

struct graph_edge {
  int from = -1, to = -1;  // a service's index, or scenario::broker_party() for the broker
  std::vector<std::string> labels;
};

struct dependency_graph {
  svcsim::mode mode = svcsim::mode::sync;
  bool broker = false;  // the broker is a node: some topic goes through it
  std::vector<graph_edge> edges;
};

dependency_graph dependency_graph_of(const plan& p);

}  // namespace svcsim
