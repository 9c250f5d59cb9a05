#include "scenarios/load/yaml_reader.hpp"

#include <cctype>
#include <charconv>
#include <limits>
#include <unordered_map>

#include "scenarios/load/overrides.hpp"
#include "scenarios/load/suggest.hpp"
#include "scenarios/load/units.hpp"

namespace svcsim::detail {
namespace {

std::string key_label(const entry& e) { return e.name.empty() ? "this value" : quoted(e.name); }

}  // namespace

void fail(source_pos at, std::string message) { throw scenario_error{at, std::move(message)}; }

source_pos position(const YAML::Mark& m, source_pos fallback) {
  if (m.is_null() || m.line < 0 || m.column < 0) return fallback;
  return {m.line + 1, m.column + 1};
}

source_pos position(const YAML::Node& n, source_pos fallback) {
  if (const int set = setting_of(n)) return {0, 0, set};
  return n.IsDefined() ? position(n.Mark(), fallback) : fallback;
}

std::string kind_name(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "empty";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "a single value";
}

source_pos entry::key_pos() const { return position(key, position(value)); }

source_pos entry::value_pos() const {
  // An empty value's mark points past it (often at the next line), so use the key instead.
  if (empty() && key.IsDefined()) return key_pos();
  return position(value, key_pos());
}

entry item(const YAML::Node& value) {
  entry e;
  e.value = value;
  return e;
}

std::vector<entry> entries(const entry& map, const std::string& where) {
  std::vector<entry> out;
  if (map.empty()) return out;
  std::unordered_map<std::string, source_pos> seen;
  for (auto it = map.value.begin(); it != map.value.end(); ++it) {
    entry e;
    e.key = it->first;
    e.value = it->second;
    if (!e.key.IsScalar())
      fail(position(e.key, map.value_pos()),
           "a key " + where + " is " + kind_name(e.key) + "; write keys as plain names");
    e.name = e.key.Scalar();
    const auto [first, inserted] = seen.emplace(e.name, e.key_pos());
    if (!inserted)
      fail(e.key_pos(), "duplicate key " + quoted(e.name) + " " + where + " (first on line " +
                            std::to_string(first->second.line) + "); keep only one");
    out.push_back(std::move(e));
  }
  return out;
}

fields::fields(const entry& map, const std::string& where, std::vector<std::string> allowed)
    : entries_(entries(map, where)), pos_(map.value_pos()) {
  for (const entry& e : entries_) {
    bool known = false;
    for (const auto& a : allowed) known = known || a == e.name;
    if (known) continue;
    if (e.name.find(')') != std::string::npos && e.name.find('(') == std::string::npos)
      fail(e.key_pos(), "unknown key " + quoted(e.name) + " " + where +
                            "; inside { } a comma "
                            "ends a value, so quote values that hold commas, e.g. 'work: "
                            "\"uniform(1ms, 3ms)\"'");
    fail(e.key_pos(),
         "unknown key " + quoted(e.name) + " " + where + "; " +
             suggestion(e.name, allowed,
                        "use one of " + join_names(allowed, false, "or", allowed.size())));
  }
}

const entry* fields::find(const std::string& key) const {
  for (const entry& e : entries_)
    if (e.name == key) return &e;
  return nullptr;
}

void expect_map(const entry& e, const std::string& what, const std::string& instead) {
  if (e.empty() || e.value.IsMap()) return;
  fail(e.value_pos(), what + " must be a mapping, not " + kind_name(e.value) + "; " + instead);
}

void expect_list(const entry& e, const std::string& what, const std::string& instead) {
  if (e.empty() || e.value.IsSequence()) return;
  fail(e.value_pos(), what + " must be a list, not " + kind_name(e.value) + "; " + instead);
}

std::string text(const entry& e, const std::string& example) {
  if (e.empty()) fail(e.value_pos(), key_label(e) + " has no value; write e.g. '" + example + "'");
  if (!e.value.IsScalar())
    fail(e.value_pos(), key_label(e) + " must be a single value, not " + kind_name(e.value) +
                            "; write e.g. '" + example + "'");
  return e.value.Scalar();
}

std::int64_t integer(const entry& e, std::int64_t low, std::int64_t high,
                     const std::string& example) {
  const std::string s = text(e, example);
  std::int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  const bool ok = r.ec == std::errc() && r.ptr == s.data() + s.size() && v >= low && v <= high;
  if (!ok) {
    const std::string range = high == std::numeric_limits<std::int64_t>::max()
                                  ? "of at least " + std::to_string(low)
                                  : "from " + std::to_string(low) + " to " + std::to_string(high);
    fail(e.value_pos(), key_label(e) + " must be a whole number " + range + ", not " + quoted(s) +
                            "; write e.g. '" + example + "'");
  }
  return v;
}

std::uint64_t unsigned_integer(const entry& e, const std::string& example) {
  const std::string s = text(e, example);
  std::uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0])) || r.ec != std::errc() ||
      r.ptr != s.data() + s.size())
    fail(e.value_pos(), key_label(e) + " must be a non-negative whole number, not " + quoted(s) +
                            "; write e.g. '" + example + "'");
  return v;
}

bool boolean(const entry& e) {
  const std::string example = e.name + ": true";
  const std::string s = text(e, example);
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  fail(e.value_pos(), key_label(e) + " must be true or false, not " + quoted(s) + "; write e.g. '" +
                          example + "'");
}

std::string choice(const entry& e, const std::vector<std::string>& allowed) {
  const std::string example = e.name + ": " + allowed.front();
  const std::string s = text(e, example);
  for (const auto& a : allowed)
    if (s == a) return s;
  fail(e.value_pos(), key_label(e) + " must be " + join_names(allowed, false, "or") + ", not " +
                          quoted(s) + "; " +
                          suggestion(s, allowed, "write e.g. '" + example + "'"));
}

nanos duration(const entry& e) {
  auto d = parse_duration(text(e, e.name + ": 2ms"));
  if (!d.ok()) fail(e.value_pos(), d.error);
  return d.value;
}

nanos positive_duration(const entry& e, const std::string& example, const std::string& hint) {
  const nanos d = duration(e);
  if (d == 0)
    fail(e.value_pos(),
         key_label(e) + " must be more than zero; write e.g. '" + example + "'" + hint);
  return d;
}

distribution distribution_of(const entry& e, data_files* files) {
  auto d = parse_distribution(text(e, e.name + ": exp(2ms)"), files);
  if (!d.ok()) fail(e.value_pos(), d.error);
  return d.value;
}

bool is_lower_name(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!(std::islower(c) || std::isdigit(c) || c == '_' || c == '-')) return false;
  return true;
}

bool is_name(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == '_' || c == '-')) return false;
  return true;
}

std::string as_name(const std::string& s, bool lower) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '-')
      out += static_cast<char>(lower ? std::tolower(c) : c);
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "my-name" : out;
}

}  // namespace svcsim::detail
