// `--set KEY=VALUE`: one value of a scenario file replaced (or added) before the loader reads
// it, so that every check of the loader applies to it as to the file's own values.
//
// KEY is a dotted path into the YAML tree: a mapping's key by name (`services.email.workers`;
// a key that holds dots, such as a topic's name, is matched whole), a list item by its `name`
// (`workloads.signup.arrivals`) or by its index from 0 (`failures.0.at`). The last key may be
// absent (it is added), its parent may not. The value replaced must be a single value (a YAML
// scalar, or empty); VALUE is taken as one, never parsed as YAML. One key is special:
// `workloads.W.rate` on a workload without `rate` whose `arrivals` names a rate
// (`poisson(200/s)`) replaces that rate (`poisson(VALUE)`); on a `daily:` or closed-loop
// workload it is refused with what to set instead. A list item whose name is a number is found
// by that name before its index. When several settings set one key, the last wins.
//
// Errors and warnings about a value a setting put there name the setting instead of a file
// position ("--set services.email.workers=zero: error: ..."): the loader's position() asks
// setting_of() which setting a node came from.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace svcsim {

struct setting {
  std::string key;    // dotted path
  std::string value;  // as written
  std::string text() const { return key + "=" + value; }
};

// Most dotted parts a key may have (the deepest path of the format has 7).
constexpr int max_key_parts = 32;

// "KEY=VALUE" split at its first '='; "" in `error` when fine, else what to write.
setting parse_setting(const std::string& text, std::string* error);

namespace detail {

// Applies `settings` to `root` in order; a bad path throws scenario_error at the setting
// (source_pos::set). Nodes it puts in the tree are known to setting_of() until the next call
// on this thread, or forget_settings() (the loader calls both once per file).
void apply_settings(YAML::Node& root, const std::vector<setting>& settings);

// Lets go of the nodes apply_settings() put in the tree (and so of the tree).
void forget_settings();

// The 1-based index of the setting that put `n` in the tree on this thread, or 0.
int setting_of(const YAML::Node& n);

}  // namespace detail
}  // namespace svcsim
