// Checked reading of a YAML tree for the scenario loader: every error becomes a scenario_error
// that names the line and column of the offending key or value and says what to write instead.
// Used only inside the loader (scenarios/loader.cpp catches scenario_error at its edge).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/distribution.hpp"
#include "scenarios/load/units.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim::detail {

// An error at a place in the scenario file; `message` is "WHAT IS WRONG; WHAT TO WRITE INSTEAD".
struct scenario_error {
  source_pos pos;
  std::string message;
};

[[noreturn]] void fail(source_pos at, std::string message);

// 1-based position of a node; `fallback` when the node has none.
source_pos position(const YAML::Node& n, source_pos fallback = {1, 1});
// 1-based position of a parser mark (yaml-cpp's are 0-based); `fallback` when it is null.
source_pos position(const YAML::Mark& m, source_pos fallback);

// "a list", "a mapping", "a single value" or "empty".
std::string kind_name(const YAML::Node& n);

// One `key: value` of a mapping, or a list item (then `key` is undefined).
struct entry {
  YAML::Node key;
  YAML::Node value;
  std::string name;  // the key as text
  source_pos key_pos() const;
  source_pos value_pos() const;  // the value; the key when the value is empty (no mark of its own)
  bool empty() const { return !value.IsDefined() || value.IsNull(); }
};

entry item(const YAML::Node& value);  // a list item as an entry

// The entries of a mapping in file order; keys must be plain names, none twice.
// `where` completes messages: "duplicate key 'x' in service 'users'".
std::vector<entry> entries(const entry& map, const std::string& where);

// A mapping whose keys are all in `allowed` (unknown ones get a did-you-mean).
class fields {
 public:
  fields(const entry& map, const std::string& where, std::vector<std::string> allowed);
  const entry* find(const std::string& key) const;  // nullptr when absent
  source_pos pos() const { return pos_; }           // of the mapping itself
  const std::vector<entry>& all() const { return entries_; }

 private:
  std::vector<entry> entries_;
  source_pos pos_;
};

// Type checks: fail with "`what` must be a mapping, not a list; `instead`".
void expect_map(const entry& e, const std::string& what, const std::string& instead);
void expect_list(const entry& e, const std::string& what, const std::string& instead);

// Readers of single values; `example` is a whole line to suggest, e.g. "workers: 4".
std::string text(const entry& e, const std::string& example);
std::int64_t integer(const entry& e, std::int64_t low, std::int64_t high,
                     const std::string& example);
std::uint64_t unsigned_integer(const entry& e, const std::string& example);
bool boolean(const entry& e);
std::string choice(const entry& e, const std::vector<std::string>& allowed);
nanos duration(const entry& e);
// A duration above zero: "'KEY' must be more than zero; write e.g. 'EXAMPLE'" + `hint`.
nanos positive_duration(const entry& e, const std::string& example, const std::string& hint = "");
distribution distribution_of(const entry& e, data_files* files = nullptr);

// Names: [a-z0-9_-]+ (scenario) and [A-Za-z0-9_-]+ (services, endpoints, workloads).
bool is_lower_name(const std::string& s);
bool is_name(const std::string& s);
// `s` turned into a valid name, for suggestions ("Users v2" -> "users-v2" when `lower`).
std::string as_name(const std::string& s, bool lower);

}  // namespace svcsim::detail
