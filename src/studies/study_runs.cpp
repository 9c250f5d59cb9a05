#include "studies/study_runs.hpp"

#include <new>
#include <string>

namespace svcsim {

std::uint64_t replication_seed(std::uint64_t seed, int replication) {
  if (replication == 0) return seed;
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(replication);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

run_result run_one(const study& st, const run_spec& spec, const simulate_options& options) {
  const scenario& base = st.scenarios.at(static_cast<std::size_t>(spec.point));
  std::string replaced;
  scenario s = spec.crashed < 0 ? base : with_crash(base, spec.crashed, st.window, &replaced);
  s.seed = replication_seed(base.seed, spec.replication);
  simulate_options o = options;
  if (!spec.traced) {
    o.trace = {};
    o.spans = nullptr;
  }
  run_result r;
  try {
    r = simulate(s, spec.design, o);
  } catch (const std::bad_alloc&) {
    r.error = "out of memory";
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  if (spec.replication > 0) r.timeline = {};
  return r;
}

}  // namespace svcsim
