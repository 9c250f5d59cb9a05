// Static coupling of each service in one mode: whom it addresses directly (efferent, Ce) and
// how many parties address it (afferent, Ca). The broker counts as one party named "broker",
// with a coupling of its own (broker_coupling_of); clients are not counted. static_coupling()
// is the view of both modes the reports print, computed once; a run's results use
// coupling_of() and broker_coupling_of() on the plan it ran.
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

// The broker in one mode. Every service that publishes to it or consumes from it there depends
// on it (knows "broker"): ca is their number, known_by their names, sorted. It addresses
// nobody on its own (ce 0, knows empty), so its instability is 0. ca 0: nothing uses it in
// this mode (in sync mode only `publish` steps and their subscribers do).
struct broker_coupling : coupling {
  std::vector<std::string> known_by;  // sorted
};

broker_coupling broker_coupling_of(const plan& p);

// The longest chain of nested sync calls in this mode, as handler labels from the caller down
// ("gateway.checkout", "orders.create", ...); empty when nothing calls.
std::vector<std::string> longest_call_chain(const plan& p);

// The static view of a scenario in both modes, indexed by mode (sync, async).
struct coupling_view {
  std::vector<coupling> services[2];               // in scenario order
  broker_coupling broker[2];                       // as broker_coupling_of() gives it
  std::vector<std::string> longest_call_chain[2];  // as longest_call_chain() gives it
};

coupling_view static_coupling(const scenario& s);

}  // namespace svcsim
