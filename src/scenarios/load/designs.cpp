// Designs: `mode` on notify steps and under `topics:`, the file's `designs:`, and `--design`;
// and the other settings of a topic under `topics:` (partitions).
#include "scenarios/load/designs.hpp"

#include "scenarios/load/loader_parts.hpp"
#include "scenarios/load/suggest.hpp"

namespace svcsim {
namespace {

std::vector<std::string> topic_names(const scenario& s) {
  std::vector<std::string> names;
  for (const auto& t : s.topics) names.push_back(t.name);
  return names;
}

// What to write instead of a topic the scenario does not have: a near name, or the names.
std::string topic_hint(const scenario& s, const std::string& name) {
  const auto names = topic_names(s);
  return suggestion(name, names,
                    names.empty() ? "the scenario has no topics (a topic is one some service "
                                    "subscribes to, or some step publishes)"
                                  : "the topics are " + join_names(names, true));
}

mode other(mode m) { return m == mode::sync ? mode::async : mode::sync; }

}  // namespace

namespace detail {

mode mode_of(const entry& e) {
  return choice(e, {"sync", "async"}) == "sync" ? mode::sync : mode::async;
}

void read_topics(const entry& topics, scenario& s) {
  expect_map(topics, "'topics'",
             "write each topic with its settings, e.g. 'user.created: {mode: async}'");
  for (const entry& e : entries(topics, "in topics")) {
    const int t = s.find_topic(e.name);
    if (t < 0)
      fail(e.key_pos(), "topic " + quoted(e.name) +
                            " under topics is neither subscribed nor published; " +
                            topic_hint(s, e.name));
    const std::string where = "topic " + quoted(e.name);
    expect_map(e, where, "write its settings, e.g. 'mode: async' or 'partitions: 8'");
    const fields f(e, "in " + where, {"mode", "partitions"});
    if (const entry* m = f.find("mode")) s.topics[t].pinned = mode_of(*m);
    if (const entry* p = f.find("partitions"))
      s.topics[t].partitions = static_cast<int>(integer(*p, 1, max_partitions, "partitions: 8"));
  }
}

namespace {

// `sync: [topics]` or `async: [topics]` of design d: pins each topic to m.
void pin_topics(const entry& list, mode m, const scenario& s, design& d) {
  const std::string where = quoted(list.name) + " of design " + quoted(d.name);
  expect_list(list, where,
              "write the topics to pin as a list, e.g. '" + list.name + ": [user.created]'");
  if (list.empty()) return;
  for (const auto& node : list.value) {
    const entry it = item(node);
    const std::string name = text(it, "- user.created");
    const int t = s.find_topic(name);
    if (t < 0)
      fail(it.value_pos(), "topic " + quoted(name) + " in " + where +
                               " is neither subscribed nor published; " + topic_hint(s, name));
    for (const auto& [topic, pinned] : d.pins)
      if (topic == t)
        fail(it.value_pos(), "topic " + quoted(name) + " is pinned twice in design " +
                                 quoted(d.name) + " (" + to_string(pinned) + " and " +
                                 to_string(m) + "); keep it in one list");
    d.pins.emplace_back(t, m);
  }
}

}  // namespace

void read_designs(const entry& designs, scenario& s) {
  const std::string example = "'events-for-email: {mode: sync, async: [user.created]}'";
  expect_map(designs, "'designs'",
             "write each design as a name with its mode and pinned topics, e.g. " + example);
  const auto list = entries(designs, "in designs");
  if (list.empty())
    fail(designs.value_pos(),
         "'designs' is empty; declare at least one, e.g. " + example + ", or remove it");
  for (const entry& e : list) {
    if (e.name == "sync" || e.name == "async")
      fail(e.key_pos(), "design name " + quoted(e.name) + " is a mode's name, which '--design " +
                            e.name + "' already means; name it otherwise, e.g. " +
                            quoted("all-" + e.name));
    if (!is_name(e.name))
      fail(e.key_pos(), "design name " + quoted(e.name) +
                            " may use only letters, digits, '_' and '-'; write e.g. " +
                            quoted(as_name(e.name, false)));
    design d;
    d.name = e.name;
    d.mode = s.default_mode;
    expect_map(e, "design " + quoted(e.name),
               "write its mode and pinned topics, e.g. 'mode: sync' and 'async: [user.created]'");
    const fields f(e, "in design " + quoted(e.name), {"mode", "sync", "async"});
    if (const entry* m = f.find("mode")) d.mode = mode_of(*m);
    for (mode m : {mode::sync, mode::async})
      if (const entry* topics = f.find(to_string(m))) pin_topics(*topics, m, s, d);
    s.designs.push_back(std::move(d));
  }
}

}  // namespace detail

std::optional<design> parse_design(const scenario& s, const std::string& text, std::string* error) {
  const auto refuse = [&](const std::string& what) {
    *error = "--design " + quoted(text) + ": " + what;
    return std::nullopt;
  };
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    design d;
    if (text == "sync" || text == "async") {
      d.mode = text == "sync" ? mode::sync : mode::async;
      d.name = text;
      return d;
    }
    std::vector<std::string> names{"sync", "async"};
    for (const auto& named : s.designs) {
      if (named.name == text) return named;
      names.push_back(named.name);
    }
    return refuse(
        "no design " + quoted(text) + "; " +
        suggestion(
            text, names,
            "write sync, async, MODE:TOPIC,... (e.g. 'async:user.created')" +
                std::string(s.designs.empty() ? ""
                                              : " or a design of the file: " +
                                                    join_names(std::vector<std::string>(
                                                                   names.begin() + 2, names.end()),
                                                               true, "or"))));
  }
  const std::string pinned = text.substr(0, colon);
  if (pinned != "sync" && pinned != "async")
    return refuse(quoted(pinned) + " is not a mode; " +
                  suggestion(pinned, {"sync", "async"},
                             "write sync:TOPIC,... or async:TOPIC,..., e.g. 'async:user.created'"));
  design d;
  d.name = text;
  const mode m = pinned == "sync" ? mode::sync : mode::async;
  d.mode = other(m);
  std::size_t start = colon + 1;
  while (true) {
    const auto comma = text.find(',', start);
    const std::string name =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name.empty())
      return refuse("a topic name is missing after " + quoted(text.substr(0, start)) +
                    "; name each topic to pin, e.g. '" + pinned + ":user.created'");
    const int t = s.find_topic(name);
    if (t < 0) return refuse("no topic " + quoted(name) + "; " + topic_hint(s, name));
    d.pins.emplace_back(t, m);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return d;
}

}  // namespace svcsim
