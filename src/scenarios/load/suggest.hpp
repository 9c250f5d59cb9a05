// "Did you mean ...?" for scenario errors: the closest allowed name to a misspelt one, and
// readable lists of names ("a, b and c") for when nothing is close; and quoting for messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace svcsim {

// 'text', as messages show a name or value.
inline std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
int edit_distance(const std::string& a, const std::string& b);

// The candidate closest to `word`, if it is close enough to be a likely misspelling
// (same letters in another case, or at most about one edit per three letters).
std::optional<std::string> closest_name(const std::string& word,
                                        const std::vector<std::string>& candidates);

// "did you mean 'x'?" when a candidate is close to `word` (see closest_name), else `otherwise`.
std::string suggestion(const std::string& word, const std::vector<std::string>& candidates,
                       const std::string& otherwise);

// "'a', 'b' and 'c'" (quoted) or "a, b or c" (plain, conjunction "or"); long lists end
// with ", ...".
std::string join_names(const std::vector<std::string>& names, bool quoted,
                       const char* conjunction = "and", std::size_t max = 12);

}  // namespace svcsim
