#include "report/graph_report.hpp"

#include <sstream>

#include "report/format.hpp"

namespace svcsim {
namespace {

// A DOT string: quoted, with " and \ escaped.
std::string dot_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A Mermaid label: quoted, with " as its entity.
std::string mermaid_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("#quot;") : std::string(1, c);
  return out + "\"";
}

// A node's id: the party's name (DOT) or "sN" / "broker" (Mermaid, whose ids are plain words),
// after `prefix`.
std::string mermaid_id(const scenario& s, const std::string& prefix, int party) {
  return prefix + (party == s.broker_party() ? std::string("broker") : "s" + std::to_string(party));
}

}  // namespace

const std::vector<graph_format> graph_formats = {
    {"dot", graph_to_dot},
    {"mermaid", graph_to_mermaid},
};

std::string graph_to_dot(const scenario& s, const std::vector<dependency_graph>& graphs) {
  std::ostringstream out;
  out << "digraph " << dot_quoted(s.name) << " {\n  rankdir=LR;\n  node [shape=box];\n";
  const bool clusters = graphs.size() > 1;
  for (const auto& g : graphs) {
    const std::string mode = to_string(g.mode);
    const std::string prefix = clusters ? mode + "/" : "";
    const std::string indent = clusters ? "    " : "  ";
    if (clusters)
      out << "  subgraph " << dot_quoted("cluster_" + mode) << " {\n    label=" << dot_quoted(mode)
          << ";\n";
    // Node ids are the names, the broker's "(broker)", which no service name can be.
    const auto id = [&](int party) {
      return dot_quoted(prefix + (party == s.broker_party() ? "(broker)" : s.party_name(party)));
    };
    for (std::size_t i = 0; i < s.services.size(); ++i)
      out << indent << id(static_cast<int>(i)) << " [label=" << dot_quoted(s.services[i].name)
          << "];\n";
    if (g.broker) out << indent << id(s.broker_party()) << " [label=\"broker\", shape=cylinder];\n";
    for (const auto& e : g.edges)
      out << indent << id(e.from) << " -> " << id(e.to) << " [label=" << dot_quoted(join(e.labels))
          << "];\n";
    if (clusters) out << "  }\n";
  }
  out << "}\n";
  return out.str();
}

std::string graph_to_mermaid(const scenario& s, const std::vector<dependency_graph>& graphs) {
  std::ostringstream out;
  out << "flowchart LR\n";
  const bool subgraphs = graphs.size() > 1;
  for (const auto& g : graphs) {
    const std::string mode = to_string(g.mode);
    const std::string prefix = subgraphs ? mode + "_" : "";
    const std::string indent = subgraphs ? "    " : "  ";
    if (subgraphs) out << "  subgraph " << mode << "\n";
    for (std::size_t i = 0; i < s.services.size(); ++i)
      out << indent << mermaid_id(s, prefix, static_cast<int>(i)) << "["
          << mermaid_quoted(s.services[i].name) << "]\n";
    if (g.broker) out << indent << mermaid_id(s, prefix, s.broker_party()) << "[(\"broker\")]\n";
    for (const auto& e : g.edges)
      out << indent << mermaid_id(s, prefix, e.from) << " -->|" << mermaid_quoted(join(e.labels))
          << "| " << mermaid_id(s, prefix, e.to) << "\n";
    if (subgraphs) out << "  end\n";
  }
  return out.str();
}

}  // namespace svcsim
