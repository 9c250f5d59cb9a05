#include "engine/instances.hpp"

namespace svcsim {

instance_layout::instance_layout(const scenario& s) {
  first_.push_back(0);
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    for (int k = 0; k < s.services[i].instances; ++k) service_of_.push_back(static_cast<int>(i));
    first_.push_back(first_.back() + s.services[i].instances);
  }
}

std::string instance_layout::name(const scenario& s, int party) const {
  const auto& svc = s.services[service_of(party)];
  return svc.instances == 1 ? svc.name : instance_name(svc.name, index_of(party));
}

}  // namespace svcsim
