// Where each service's instances stand among a run's parties (run_context.hpp): the instances
// of service i are parties first(i) .. first(i) + count(i) - 1, services in scenario order,
// and all of them come before the broker, which is party total(). With one instance per
// service, party i is service i, as before instances existed.
#pragma once

#include <string>
#include <vector>

#include "scenarios/scenario.hpp"

namespace svcsim {

class instance_layout {
 public:
  explicit instance_layout(const scenario& s);

  int first(int service) const { return first_[service]; }
  int count(int service) const { return first_[service + 1] - first_[service]; }
  int total() const { return first_.back(); }
  int service_of(int party) const { return service_of_[party]; }
  int index_of(int party) const { return party - first_[service_of_[party]]; }
  // "email" for a service of one instance, "email#2" for the second of several.
  std::string name(const scenario& s, int party) const;

 private:
  std::vector<int> first_;  // per service, then total()
  std::vector<int> service_of_;
};

}  // namespace svcsim
