// A dependency graph (engine/dependency_graph.hpp) drawn as SVG for the HTML report, laid out
// by our own deterministic rule, no Graphviz: each party in the column of its call depth (the
// longest chain of edges leading to it, so in async publishers are left of the broker and
// subscribers right of it), columns centred on each other, parties in scenario order within a
// column. Sync calls are solid arrows, edges to or from the broker dashed ones; each edge is
// labelled with what it carries (endpoints, topics).
#pragma once

#include <string>
#include <vector>

#include "engine/dependency_graph.hpp"

namespace svcsim {

// `services`: the names of the services, in scenario order (the broker is party
// services.size()). The SVG's class is "chart graph".
std::string graph_svg(const dependency_graph& g, const std::vector<std::string>& services,
                      const std::string& title);

}  // namespace svcsim
