// `svcsim graph`: the dependency graphs of dependency_graph.hpp as text for docs and slides,
// in Graphviz DOT or a Mermaid flowchart. One graph: its nodes and edges at the top level;
// several (both modes): one cluster (DOT) or subgraph (Mermaid) per mode, in the order given,
// with node ids prefixed by the mode. The broker is a cylinder. The output depends only on the
// scenario, so it is the same bytes every time.
#pragma once

#include <string>
#include <vector>

#include "engine/dependency_graph.hpp"

namespace svcsim {

struct graph_format {
  const char* name;  // --format NAME
  std::string (*write)(const scenario& s, const std::vector<dependency_graph>& graphs);
};

// The first is the default.
extern const std::vector<graph_format> graph_formats;

std::string graph_to_dot(const scenario& s, const std::vector<dependency_graph>& graphs);
std::string graph_to_mermaid(const scenario& s, const std::vector<dependency_graph>& graphs);

}  // namespace svcsim
