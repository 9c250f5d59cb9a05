#include "studies/replicate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <string>
#include <utility>

namespace svcsim {

std::vector<run_result> replicate(const scenario& s, mode m, int replications, int jobs,
                                  const simulate_options& options,
                                  const std::function<void(int, int)>& done) {
  return replicate(s, design_of(m), replications, thread_executor(jobs), options, done);
}

std::vector<run_result> replicate(const scenario& s, const design& d, int replications,
                                  const run_executor& runs, const simulate_options& options,
                                  const runs_done& done) {
  std::vector<run_spec> specs;
  for (int i = 0; i < replications; ++i)
    specs.push_back({0, d, i, -1, i == 0 && options.spans != nullptr});
  study st;
  st.scenarios = {s};
  st.options = options;
  auto out = runs.run_all(st, specs, done);
  if (replications > 1)
    for (int i = 0; i < replications; ++i) {
      auto& error = out[static_cast<std::size_t>(i)].error;
      if (!error.empty())
        error = "replication " + std::to_string(i) + " (--seed " +
                std::to_string(replication_seed(s.seed, i)) + "): " + error;
    }
  return out;
}

namespace {

// A warning split at its numbers: the text between them (one more piece than numbers) and the
// numbers as written. A number starts with a digit not inside a name ("s3", "w-1" are text), may
// have a fraction and an exponent, and may be followed by a unit ("10ms": 10 and "ms").
struct split_warning {
  std::vector<std::string> text;
  std::vector<std::string> numbers;
};

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

split_warning split(const std::string& w) {
  split_warning out{{""}, {}};
  std::size_t i = 0;
  while (i < w.size()) {
    const bool in_name = i > 0 && (name_char(w[i - 1]) || w[i - 1] == '.' ||
                                   (w[i - 1] == '-' && i > 1 && name_char(w[i - 2])));  // "w-1"
    if (!digit(w[i]) || in_name) {
      out.text.back() += w[i++];
      continue;
    }
    std::size_t j = i;
    while (j < w.size() && digit(w[j])) ++j;
    if (j + 1 < w.size() && w[j] == '.' && digit(w[j + 1]))
      for (++j; j < w.size() && digit(w[j]);) ++j;
    if (j + 1 < w.size() && w[j] == 'e') {
      std::size_t k = j + 1;
      if (k < w.size() && (w[k] == '+' || w[k] == '-')) ++k;
      if (k < w.size() && digit(w[k]))
        for (j = k; j < w.size() && digit(w[j]);) ++j;
    }
    if (j < w.size() && w[j] == '_') {  // "1_000" is a name
      out.text.back() += w.substr(i, j - i);
      i = j;
      continue;
    }
    out.numbers.push_back(w.substr(i, j - i));
    out.text.emplace_back();
    i = j;
  }
  return out;
}

}  // namespace

std::vector<std::string> merged_warnings(const std::vector<run_result>& runs) {
  // Warnings alike but for their numbers, in order of first appearance: the runs that gave one,
  // and per number its least and greatest value as written.
  struct group {
    split_warning first;
    std::vector<std::pair<std::string, std::string>> range;  // lo, hi
    bool varies = false;
    int runs = 0;
    int last_run = -1;
  };
  std::vector<group> groups;
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const auto& w : runs[r].warnings) {
      auto parts = split(w);
      // Never two warnings of one run in a group: they are about different things.
      auto it = std::find_if(groups.begin(), groups.end(), [&](const group& g) {
        return g.first.text == parts.text && g.last_run != static_cast<int>(r);
      });
      if (it == groups.end()) {
        group g;
        for (const auto& n : parts.numbers) g.range.emplace_back(n, n);
        g.first = std::move(parts);
        groups.push_back(std::move(g));
        it = std::prev(groups.end());
      } else {
        for (std::size_t k = 0; k < parts.numbers.size(); ++k) {
          const auto& n = parts.numbers[k];
          auto& [lo, hi] = it->range[k];
          if (n != it->first.numbers[k]) it->varies = true;
          if (std::strtod(n.c_str(), nullptr) < std::strtod(lo.c_str(), nullptr)) lo = n;
          if (std::strtod(n.c_str(), nullptr) > std::strtod(hi.c_str(), nullptr)) hi = n;
        }
      }
      if (it->last_run != static_cast<int>(r)) {
        it->last_run = static_cast<int>(r);
        ++it->runs;
      }
    }
  std::vector<std::string> out;
  const auto n = static_cast<int>(runs.size());
  for (const auto& g : groups) {
    std::string w = g.first.text[0];
    for (std::size_t k = 0; k < g.range.size(); ++k) {
      const auto& [lo, hi] = g.range[k];
      w += (lo == hi ? lo : lo + ".." + hi) + g.first.text[k + 1];
    }
    if (n > 1 && (g.runs < n || g.varies))
      w += " (in " + std::to_string(g.runs) + " of " + std::to_string(n) + " replications" +
           (g.varies ? ", numbers vary" : "") + ")";
    out.push_back(std::move(w));
  }
  return out;
}

report report_of_runs(const scenario& s, std::vector<std::vector<run_result>> per_mode) {
  report r;
  r.scenario = s.name;
  r.seed = s.seed;
  r.settings = s.settings;
  for (auto& reps : per_mode) {
    reps.front().warnings = merged_warnings(reps);  // the reports show replication 0's
    r.runs.push_back(reps.front());
    if (reps.size() > 1) r.replicas.push_back(std::move(reps));
  }
  return r;
}

}  // namespace svcsim
