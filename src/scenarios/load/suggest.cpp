#include "scenarios/load/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>

namespace svcsim {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// edit_distance(a, b) when it is at most `bound`, else bound + 1. A common beginning and end
// are skipped, only the cells near the diagonal are computed, and it stops as soon as a row
// exceeds the bound, so comparing a name with thousands of candidates stays cheap.
int distance_within(std::string_view a, std::string_view b, int bound) {
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int big = bound + 1;
  if (std::abs(n - m) > bound) return big;
  std::vector<int> before(m + 1, big), prev(m + 1, big), cur(m + 1, big);
  for (int j = 0; j <= std::min(m, bound); ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    const int lo = std::max(1, i - bound), hi = std::min(m, i + bound);
    cur[0] = i <= bound ? i : big;
    cur[lo - 1] = lo == 1 ? cur[0] : big;  // left of the band
    if (hi < m) cur[hi + 1] = big;         // right of it, read by the next row
    int row_min = cur[0];
    for (int j = lo; j <= hi; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d = std::min(d, before[j - 2] + 1);
      cur[j] = std::min(d, big);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > bound) return big;
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

// Longer words get no suggestion: nobody misspells them by hand, and comparing them costs.
constexpr std::size_t max_suggested_length = 64;

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
  if (word.size() > max_suggested_length) return std::nullopt;
  const std::string w = lower(word);
  const int limit = std::max(1, std::min(3, static_cast<int>(word.size()) / 3));
  std::optional<std::string> best;
  int best_distance = limit + 1;
  for (const auto& c : candidates) {
    if (c.empty() || c == word) continue;
    // Each edit changes the length by at most one.
    const std::size_t gap = std::max(c.size(), word.size()) - std::min(c.size(), word.size());
    if (gap > static_cast<std::size_t>(limit)) continue;
    // Long names are compared case-blind first: 'Workers' is surely 'workers'.
    const std::string lc = lower(c);
    const int dist = lc == w ? 0 : distance_within(w, lc, best_distance - 1);
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  return best;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates,
                       const std::string& otherwise) {
  const auto near = closest_name(word, candidates);
  return near ? "did you mean " + quoted(*near) + "?" : otherwise;
}

std::string join_names(const std::vector<std::string>& names, bool quoted, const char* conjunction,
                       std::size_t max) {
  auto item = [&](const std::string& s) { return quoted ? "'" + s + "'" : s; };
  std::string out;
  const std::size_t shown = std::min(names.size(), max);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0)
      out += (i + 1 == names.size()) ? std::string(" ") + conjunction + " " : std::string(", ");
    out += item(names[i]);
  }
  if (shown < names.size()) out += ", ...";
  return out;
}

}  // namespace svcsim
