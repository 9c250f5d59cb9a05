#include "studies/replicate.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "studies/parallel_runs.hpp"

namespace svcsim {

std::uint64_t replication_seed(std::uint64_t seed, int replication) {
  if (replication == 0) return seed;
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(replication);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<run_result> replicate(const scenario& s, mode m, int replications, int jobs,
                                  const simulate_options& options) {
  std::vector<run_result> out(static_cast<std::size_t>(replications));
  run_parallel(replications, jobs, options, [&](int i, const simulate_options& options) {
    scenario copy = s;
    copy.seed = replication_seed(s.seed, i);
    auto& result = out[static_cast<std::size_t>(i)];
    result = simulate_caught(copy, m, options);
    if (i > 0) result.timeline = {};  // the reports show replication 0's
    if (!result.error.empty() && replications > 1)
      result.error = "replication " + std::to_string(i) + " (--seed " + std::to_string(copy.seed) +
                     "): " + result.error;
  });
  return out;
}

std::vector<std::string> merged_warnings(const std::vector<run_result>& runs) {
  std::vector<std::pair<std::string, int>> seen;  // in order of first appearance
  for (const auto& run : runs)
    for (const auto& w : run.warnings) {
      auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == w; });
      if (it == seen.end())
        seen.emplace_back(w, 1);
      else
        ++it->second;
    }
  std::vector<std::string> out;
  for (const auto& [w, k] : seen)
    out.push_back(runs.size() > 1 && k < static_cast<int>(runs.size())
                      ? w + " (in " + std::to_string(k) + " of " + std::to_string(runs.size()) +
                            " replications)"
                      : w);
  return out;
}

}  // namespace svcsim
