// Static coupling of each service in one mode: whom it addresses directly (efferent, Ce) and
// how many parties address it (afferent, Ca). The broker counts as one party named "broker";
// clients are not counted.
#pragma once

#include "engine/plan.hpp"

#include <string>
#include <vector>

namespace svcsim {

struct coupling {
  int ce = 0, ca = 0;
  std::vector<std::string> knows;  // sorted
};

std::vector<coupling> coupling_of(const plan& p);

}  // namespace svcsim
