#include "engine/dependency_graph.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace svcsim {

dependency_graph dependency_graph_of(const plan& p) {
  const scenario& s = *p.source;
  const int broker = s.broker_party();
  std::map<std::pair<int, int>, std::set<std::string>> edges;
  for (std::size_t i = 0; i < p.services.size(); ++i)
    for (const auto& h : p.services[i].handlers)
      for_each_op(h.ops, [&](const op& o) {
        if (o.kind == op_kind::call && o.service != static_cast<int>(i)) {
          const auto& callee = s.services[o.service];
          const auto endpoints = static_cast<int>(callee.endpoints.size());
          edges[{static_cast<int>(i), o.service}].insert(
              o.handler < endpoints
                  ? callee.endpoints[o.handler].name
                  : "on " + s.topics[callee.subscriptions[o.handler - endpoints].topic].name);
        }
        if (o.kind == op_kind::publish)
          edges[{static_cast<int>(i), broker}].insert(s.topics[o.topic].name);
      });
  dependency_graph g;
  g.mode = p.mode;
  for (std::size_t t = 0; t < p.topics.size(); ++t) {
    if (!p.topics[t].brokered) continue;
    g.broker = true;
    for (const auto& [service, subscription] : s.topics[t].subscribers)
      edges[{broker, service}].insert(s.topics[t].name);
  }
  for (auto& [ends, labels] : edges)
    g.edges.push_back({ends.first, ends.second, {labels.begin(), labels.end()}});
  return g;
}

}  // namespace svcsim
