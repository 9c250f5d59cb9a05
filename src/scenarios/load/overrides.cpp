#include "scenarios/load/overrides.hpp"

#include <utility>

#include "scenarios/load/suggest.hpp"
#include "scenarios/load/yaml_reader.hpp"

namespace svcsim {

setting parse_setting(const std::string& text, std::string* error) {
  const auto eq = text.find('=');
  error->clear();
  if (eq == std::string::npos || eq == 0) {
    *error = "--set " + quoted(text) +
             " is not KEY=VALUE; write e.g. --set services.email.workers=2 or --set "
             "workloads.signup.rate=100/s";
    return {};
  }
  setting s{text.substr(0, eq), text.substr(eq + 1)};
  std::size_t start = 0;
  for (int parts = 1;; ++parts) {
    if (parts > max_key_parts) {
      *error = "--set: a key has more than " + std::to_string(max_key_parts) +
               " dotted parts; write the path of one value, e.g. services.email.workers=2";
      return {};
    }
    const auto dot = s.key.find('.', start);
    const auto part = s.key.substr(start, dot == std::string::npos ? dot : dot - start);
    if (part.empty()) {
      *error = "--set " + quoted(text) +
               ": the key has an empty part; write a dotted path of names, e.g. "
               "services.email.workers=2";
      return {};
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return s;
}

namespace detail {
namespace {

// The nodes the settings put in the tree, with their setting's 1-based index.
thread_local std::vector<std::pair<YAML::Node, int>> placed;

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::string joined(const std::vector<std::string>& parts, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += (i > from ? "." : "") + parts[i];
  return out;
}

// `name(ARGS)` with the arguments replaced by `rate`; "" when `text` is not of that form.
std::string with_rate(const std::string& text, const std::string& rate) {
  const auto open = text.find('(');
  if (open == std::string::npos || open == 0 || text.back() != ')') return "";
  return text.substr(0, open) + "(" + rate + ")";
}

class applier {
 public:
  applier(const setting& s, int index) : s_(s), index_(index), parts_(split_key(s.key)) {}

  void apply(YAML::Node root) {
    YAML::Node node = root;  // moved down with reset(): assigning would overwrite the tree
    std::size_t i = 0;
    while (i < parts_.size()) {
      const std::string path = joined(parts_, 0, i);
      if (node.IsMap()) {
        // The longest run of parts that is a key here (keys such as topics may hold dots).
        // Looked up on a const node: a missing key adds nothing to the tree.
        const YAML::Node& here = node;
        std::size_t end = parts_.size();
        for (; end > i; --end)
          if (here[joined(parts_, i, end)].IsDefined()) break;
        if (end == i) return add(node, i);
        const std::string key = joined(parts_, i, end);
        if (end == parts_.size()) return replace(node, key);
        node.reset(node[key]);
        i = end;
      } else if (node.IsSequence()) {
        node.reset(item(node, i));
        if (++i == parts_.size())
          fail({0, 0, index_}, quoted(s_.key) +
                                   " is an item of a list in the file; --set replaces single "
                                   "values only, e.g. " +
                                   s_.key + ".KEY=VALUE");
      } else {
        fail({0, 0, index_}, quoted(path) + " is " + kind_name(node) +
                                 ", which has no keys; --set sets a single value, e.g. " + path +
                                 "=VALUE");
      }
    }
  }

 private:
  // A list's item by its `name`, or by its index.
  YAML::Node item(const YAML::Node& list, std::size_t i) {
    const std::string& want = parts_[i];
    const std::string path = joined(parts_, 0, i);
    std::vector<std::string> names;
    for (const auto& it : list) {
      if (!it.IsMap()) continue;
      const YAML::Node& item = it;
      const YAML::Node name = item["name"];  // const: none when the item has no name
      if (name.IsDefined() && name.IsScalar()) {
        if (name.Scalar() == want) return it;
        names.push_back(name.Scalar());
      }
    }
    if (!want.empty() && want.find_first_not_of("0123456789") == std::string::npos &&
        want.size() < 7 && std::stoul(want) < list.size())
      return list[std::stoul(want)];
    fail({0, 0, index_},
         "no item " + quoted(want) + " in " + quoted(path) + "; " +
             suggestion(want, names,
                        !names.empty() ? "its items are " + join_names(names, true, "and")
                        : list.size() == 0
                            ? "it has no items"
                            : "it has " + std::to_string(list.size()) + " item" +
                                  (list.size() == 1
                                       ? ": index 0"
                                       : "s: index 0 to " + std::to_string(list.size() - 1))));
  }

  // parts_[i] is absent from `map`: the last key is added, unless the rate of a workload's
  // arrivals is meant; a missing parent is an error.
  void add(YAML::Node map, std::size_t i) {
    if (i + 1 != parts_.size()) {
      std::vector<std::string> keys;
      for (const auto& kv : map) keys.push_back(kv.first.Scalar());
      const std::string path = joined(parts_, 0, i);
      fail({0, 0, index_},
           "no key " + quoted(parts_[i]) +
               (path.empty() ? " at the top level" : " in " + quoted(path)) + ", so " +
               quoted(s_.key) + " has no place to go; " +
               suggestion(parts_[i], keys,
                          keys.empty() ? "it has no keys"
                                       : "its keys are " + join_names(keys, true, "and")));
    }
    const YAML::Node& fields = map;
    if (parts_[i] == "rate" && i == 2 && parts_[0] == "workloads") {
      const std::string w = joined(parts_, 0, 2);
      if (fields["daily"].IsDefined())
        fail({0, 0, index_}, quoted(w) +
                                 " has a daily profile, not one rate; set its peak or low, "
                                 "e.g. " +
                                 w + ".daily.peak=400/s");
      if (fields["users"].IsDefined())
        fail({0, 0, index_}, quoted(w) +
                                 " is a closed loop: its users set its load, not a rate; "
                                 "set e.g. " +
                                 w + ".users=100");
      if (fields["arrivals"].IsScalar()) {
        const std::string arrivals = with_rate(fields["arrivals"].Scalar(), s_.value);
        if (!arrivals.empty()) return put(map, "arrivals", arrivals);
      }
    }
    put(map, parts_[i], s_.value);
  }

  void replace(YAML::Node map, const std::string& key) {
    const YAML::Node old = map[key];
    if (old.IsMap() || old.IsSequence())
      fail({0, 0, index_}, quoted(s_.key) + " is " + kind_name(old) +
                               " in the file; --set replaces single values only, e.g. " +
                               (old.IsMap() && old.size() > 0
                                    ? s_.key + "." + old.begin()->first.Scalar() + "=VALUE"
                                : old.IsMap() ? s_.key + ".KEY=VALUE"
                                              : s_.key + ".ITEM.KEY=VALUE (ITEM: a name or an "
                                                         "index from 0)"));
    put(map, key, s_.value);
  }

  // map[key] = a plain scalar, in the key's place (or added at the end).
  void put(YAML::Node map, const std::string& key, const std::string& value) {
    YAML::Node fresh(value);
    fresh.SetTag("?");
    map[key] = fresh;
    placed.emplace_back(fresh, index_);
  }

  const setting& s_;
  int index_;
  std::vector<std::string> parts_;
};

}  // namespace

void apply_settings(YAML::Node& root, const std::vector<setting>& settings) {
  placed.clear();
  if (settings.empty()) return;
  if (!root.IsMap()) return;  // read_scenario() says what the file should be
  for (std::size_t i = 0; i < settings.size(); ++i)
    applier(settings[i], static_cast<int>(i) + 1).apply(root);
}

void forget_settings() { placed.clear(); }

int setting_of(const YAML::Node& n) {
  if (placed.empty() || !n.IsDefined()) return 0;
  for (const auto& [node, index] : placed)
    if (node.is(n)) return index;
  return 0;
}

}  // namespace detail
}  // namespace svcsim
