#include "engine/coupling.hpp"

#include <algorithm>
#include <functional>
#include <tuple>
#include <utility>

namespace svcsim {
namespace {

// Whether the service addresses the broker in this mode: to publish, or to take deliveries.
bool uses_broker(const service_plan& sp) { return sp.publishes || sp.consumes; }

}  // namespace

std::vector<coupling> coupling_of(const plan& p) {
  const auto& services = p.source->services;
  std::vector<coupling> out(services.size());
  for (std::size_t i = 0; i < services.size(); ++i) {
    const auto& sp = p.services[i];
    for (int callee : sp.calls) {
      if (callee == static_cast<int>(i)) continue;  // calling itself couples it to nobody
      out[i].knows.push_back(services[callee].name);
      ++out[callee].ca;
    }
    if (uses_broker(sp)) out[i].knows.push_back("broker");
    if (sp.consumes) ++out[i].ca;
  }
  for (auto& c : out) {
    std::sort(c.knows.begin(), c.knows.end());
    c.ce = static_cast<int>(c.knows.size());
  }
  return out;
}

broker_coupling broker_coupling_of(const plan& p) {
  broker_coupling out;
  for (std::size_t i = 0; i < p.services.size(); ++i)
    if (uses_broker(p.services[i])) out.known_by.push_back(p.source->services[i].name);
  std::sort(out.known_by.begin(), out.known_by.end());
  out.ca = static_cast<int>(out.known_by.size());
  return out;
}

namespace {

// Calls made by a handler's ops, nested parallels included.
void callees(const std::vector<op>& ops, std::vector<std::pair<int, int>>& out) {
  for_each_op(ops, [&](const op& o) {
    if (o.kind == op_kind::call) out.emplace_back(o.service, o.handler);
  });
}

}  // namespace

std::vector<std::string> longest_call_chain(const plan& p) {
  // Depth of each handler's deepest chain, memoised; the loader refuses cycles of calls.
  std::vector<std::vector<int>> depth(p.services.size());
  std::vector<std::vector<std::pair<int, int>>> next_of(p.services.size());
  for (std::size_t s = 0; s < p.services.size(); ++s) {
    depth[s].assign(p.services[s].handlers.size(), -1);
    next_of[s].assign(p.services[s].handlers.size(), {-1, -1});
  }
  std::function<int(int, int)> deepest = [&](int s, int h) {
    if (depth[s][h] >= 0) return depth[s][h];
    std::vector<std::pair<int, int>> calls;
    callees(p.services[s].handlers[h].ops, calls);
    int best = 0;
    for (auto [cs, ch] : calls) {
      const int d = 1 + deepest(cs, ch);
      if (d > best) {
        best = d;
        next_of[s][h] = {cs, ch};
      }
    }
    return depth[s][h] = best;
  };
  int best = 0, start_s = -1, start_h = -1;
  for (std::size_t s = 0; s < p.services.size(); ++s)
    for (std::size_t h = 0; h < p.services[s].handlers.size(); ++h)
      if (const int d = deepest(static_cast<int>(s), static_cast<int>(h)); d > best) {
        best = d;
        start_s = static_cast<int>(s);
        start_h = static_cast<int>(h);
      }
  std::vector<std::string> chain;
  for (int s = start_s, h = start_h; s >= 0;) {
    chain.push_back(p.source->handler_label(s, h));
    std::tie(s, h) = next_of[s][h];
  }
  return chain;
}

coupling_view static_coupling(const scenario& s) {
  coupling_view v;
  for (mode m : {mode::sync, mode::async}) {
    const plan p = compile(s, m);
    v.services[static_cast<int>(m)] = coupling_of(p);
    v.broker[static_cast<int>(m)] = broker_coupling_of(p);
    v.longest_call_chain[static_cast<int>(m)] = longest_call_chain(p);
  }
  return v;
}

}  // namespace svcsim
