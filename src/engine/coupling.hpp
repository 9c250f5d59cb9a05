// Static coupling of each service in one mode: whom it addresses directly (efferent, Ce) and
// how many parties address it (afferent, Ca). The broker counts as one party named "broker";
// clients are not counted. static_coupling() is the view of both modes the reports print,
// computed once; a run's results use coupling_of() on the plan it ran.
#pragma once

#include <string>
#include <vector>

#include "engine/plan.hpp"

namespace svcsim {

struct coupling {
  int ce = 0, ca = 0;
  std::vector<std::string> knows;  // sorted
  // Ce / (Ca + Ce): 0 when only addressed (stable), 1 when it only addresses others; 0 alone.
  double instability() const { return ce + ca ? static_cast<double>(ce) / (ce + ca) : 0; }
};

std::vector<coupling> coupling_of(const plan& p);

// The longest chain of nested sync calls in this mode, as handler labels from the caller down
// ("gateway.checkout", "orders.create", ...); empty when nothing calls.
std::vector<std::string> longest_call_chain(const plan& p);

// The static view of a scenario in both modes, indexed by mode (sync, async).
struct coupling_view {
  std::vector<coupling> services[2];               // in scenario order
  std::vector<std::string> longest_call_chain[2];  // as longest_call_chain() gives it
};

coupling_view static_coupling(const scenario& s);

}  // namespace svcsim
