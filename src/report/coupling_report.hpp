// What `svcsim coupling` prints: the blast radius of each service's crash (blast_radius.hpp),
// then the static view per mode (ce, ca, instability, knows; the longest sync call chain) and
// the services ranked by the workloads their crash takes down. As text for people, or as JSON.
#pragma once

#include <string>

#include "studies/blast_radius.hpp"

namespace svcsim {

std::string coupling_to_text(const scenario& s, const blast_radius& b);
std::string coupling_to_json(const scenario& s, const blast_radius& b);

}  // namespace svcsim
