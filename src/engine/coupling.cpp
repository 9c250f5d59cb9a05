#include "engine/coupling.hpp"

#include <algorithm>

namespace svcsim {

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
    if (sp.publishes || sp.consumes) out[i].knows.push_back("broker");
    if (sp.consumes) ++out[i].ca;
  }
  for (auto& c : out) {
    std::sort(c.knows.begin(), c.knows.end());
    c.ce = static_cast<int>(c.knows.size());
  }
  return out;
}

}  // namespace svcsim
