#include "scenarios/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace svcsim {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

int edit_distance(const std::string& a, const std::string& b) {
  // Optimal string alignment distance: Levenshtein plus adjacent transpositions.
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::optional<std::string> closest_name(const std::string& word,
                                        const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  const int limit = std::max(1, std::min(3, static_cast<int>(word.size()) / 3));
  std::optional<std::string> best;
  int best_distance = limit + 1;
  for (const auto& c : candidates) {
    if (c.empty() || c == word) continue;
    // Long names are compared case-blind first: 'Workers' is surely 'workers'.
    const int dist = lower(c) == w ? 0 : edit_distance(w, lower(c));
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  return best;
}

std::string join_names(const std::vector<std::string>& names, bool quoted,
                       const char* conjunction, std::size_t max) {
  auto item = [&](const std::string& s) { return quoted ? "'" + s + "'" : s; };
  std::string out;
  const std::size_t shown = std::min(names.size(), max);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? std::string(" ") + conjunction + " " : std::string(", ");
    out += item(names[i]);
  }
  if (shown < names.size()) out += ", ...";
  return out;
}

}  // namespace svcsim
