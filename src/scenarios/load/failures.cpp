// Reading `failures:`: which service is in trouble, how, and when.
#include <algorithm>

#include "scenarios/load/loader_parts.hpp"
#include "scenarios/load/suggest.hpp"
#include "scenarios/load/units.hpp"

namespace svcsim::detail {
namespace {

constexpr double max_slow_factor = 1e6;

struct kind_form {
  const char* name;
  failure_kind kind;
  const char* argument;  // nullptr: takes none
  const char* example;
};

const kind_form kind_forms[] = {
    {"crash", failure_kind::crash, nullptr, "crash"},
    {"hang", failure_kind::hang, nullptr, "hang"},
    {"slow", failure_kind::slow, "a factor", "slow(5)"},
    {"errors", failure_kind::errors, "a probability", "errors(10%)"},
};

const kind_form* find_kind(const std::string& name) {
  for (const kind_form& k : kind_forms)
    if (name == k.name) return &k;
  return nullptr;
}

// The argument of `slow(K)` or `errors(P)`, into f.
void read_kind_argument(const entry& e, const std::string& argument, failure& f) {
  if (f.kind == failure_kind::slow) {
    if (!parse_number(argument, f.factor) || f.factor <= 0 || f.factor > max_slow_factor)
      fail(e.value_pos(), "slow factor " + quoted(argument) +
                              " must be a number above 0 and at most 1000000; write e.g. 'kind: "
                              "slow(5)' for work that takes 5 times as long");
    return;
  }
  const auto p = parse_probability(argument);
  if (!p.ok()) fail(e.value_pos(), p.error);
  if (p.value == 0)
    fail(e.value_pos(), quoted(e.value.Scalar()) +
                            " would fail no request; write a probability above 0, e.g. 'kind: "
                            "errors(10%)'");
  f.probability = p.value;
}

// `crash`, `hang`, `slow(K)` or `errors(P)`.
void read_kind(const entry& e, failure& f) {
  const std::string s = text(e, "kind: crash");
  const auto open = s.find('(');
  const std::string name = s.substr(0, open);
  const kind_form* k = find_kind(name);
  if (!k) {
    std::vector<std::string> names;
    for (const kind_form& form : kind_forms) names.push_back(form.name);
    fail(e.value_pos(), "unknown failure kind " + quoted(name) + "; " +
                            suggestion(name, names, "use crash, hang, slow(5) or errors(10%)"));
  }
  f.kind = k->kind;
  if (!k->argument) {
    if (open != std::string::npos)
      fail(e.value_pos(), "failure kind " + quoted(s) + ": " + name +
                              " takes no argument; write 'kind: " + name + "'");
    return;
  }
  if (open == std::string::npos || s.back() != ')')
    fail(e.value_pos(), "failure kind " + quoted(s) + " needs " + k->argument +
                            " in parentheses; write e.g. 'kind: " + k->example + "'");
  read_kind_argument(e, s.substr(open + 1, s.size() - open - 2), f);
}

// "email, 20s..30s", or "email, 25s.." for one that lasts until the end.
std::string window_text(const scenario& s, const failure& f) {
  return s.failure_party(f) + ", " + format_duration(f.at) + ".." +
         (f.length ? format_duration(f.end()) : "");
}

// `instance: N` (1-based) of a failure of `service`: its 0-based index.
int read_instance(const entry& e, const std::string& label, const scenario& s, int service) {
  if (service == s.broker_party())
    fail(e.key_pos(),
         label + " names an instance of the broker, which has none; remove 'instance'");
  const auto& svc = s.services[service];
  const std::string range = svc.instances == 1 ? "write 'instance: 1' or leave it out"
                                               : "write 1 to " + std::to_string(svc.instances) +
                                                     ", or leave it out to fail every instance";
  const std::int64_t n =
      integer(e, std::numeric_limits<int>::min(), std::numeric_limits<int>::max(), "instance: 1");
  if (n < 1 || n > svc.instances)
    fail(e.value_pos(), label + " names instance " + std::to_string(n) + " of " + quoted(svc.name) +
                            ", which has " + std::to_string(svc.instances) +
                            (svc.instances == 1 ? " instance" : " instances") + "; " + range);
  return static_cast<int>(n - 1);
}

struct numbered {
  failure f;
  int number;  // 1-based, in file order
};

failure read_failure(const entry& it, const std::string& label, scenario& s) {
  expect_map(it, label, "write e.g. '- {service: email, kind: crash, at: 20s}'");
  const fields f(it, "in " + label, {"service", "instance", "kind", "at", "for"});
  failure out;
  out.pos = f.pos();
  const entry* service = f.find("service");
  if (!service) fail(f.pos(), label + " has no service; add e.g. 'service: email'");
  const entry* kind = f.find("kind");
  if (!kind) fail(f.pos(), label + " has no kind; add e.g. 'kind: crash'");
  const entry* at = f.find("at");
  if (!at) fail(f.pos(), label + " has no start; add e.g. 'at: 20s'");
  const std::string name = text(*service, "service: email");
  out.service = s.find_service(name);
  if (out.service < 0 && name == "broker") out.service = s.broker_party();
  if (out.service < 0) {
    std::vector<std::string> names;
    for (const auto& svc : s.services) names.push_back(svc.name);
    names.push_back("broker");
    fail(service->value_pos(),
         label + " names unknown service " + quoted(name) + "; " +
             suggestion(name, names, "name one of " + join_names(names, true, "or")));
  }
  if (const entry* i = f.find("instance")) out.instance = read_instance(*i, label, s, out.service);
  read_kind(*kind, out);
  if (out.service == s.broker_party() && out.kind == failure_kind::slow && !s.broker_costs())
    warn(s, kind->value_pos(),
         label +
             " slows the broker's work, but it has none, so it has no effect; give the "
             "broker work, e.g. 'work: {publish: exp(200us), deliver: exp(50us)}'");
  out.at = duration(*at);
  if (const entry* e = f.find("for"))
    out.length = positive_duration(*e, "for: 10s", ", or leave it out to last until the end");
  if (s.duration && out.at >= *s.duration)
    warn(s, at->value_pos(),
         label + " (" + name + ") starts at " + format_duration(out.at) +
             ", when arrivals have ended (duration " + format_duration(*s.duration) +
             "), so only what is still running then meets it; start it earlier to see its "
             "effect on the requests");
  return out;
}

// Fails on the overlap of failures a and b.
[[noreturn]] void fail_overlap(const numbered& a, const numbered& b, const scenario& s) {
  const numbered& later = a.number > b.number ? a : b;
  const numbered& other = a.number > b.number ? b : a;
  const std::string hint = b.f.at > a.f.at
                               ? "end failure #" + std::to_string(a.number) + " when failure #" +
                                     std::to_string(b.number) +
                                     " starts, with 'for: " + format_duration(b.f.at - a.f.at) +
                                     "', or move one of them"
                               : "start them at different times";
  fail(later.f.pos, "failure #" + std::to_string(later.number) + " (" + window_text(s, later.f) +
                        ") overlaps failure #" + std::to_string(other.number) + " (" +
                        window_text(s, other.f) + "); " +
                        (a.f.instance < 0 && b.f.instance < 0 ? "a service" : "an instance") +
                        " has one failure at a time, so " + hint);
}

// Whether failures a and b (of one service) can hold for the same instance.
bool share_an_instance(const failure& a, const failure& b) {
  return a.instance < 0 || b.instance < 0 || a.instance == b.instance;
}

// Fails when two windows that hold for one instance overlap; `list` is sorted by service, then
// start.
void check_overlaps(const std::vector<numbered>& list, const scenario& s) {
  for (std::size_t i = 0; i < list.size(); ++i)
    for (std::size_t j = i + 1; j < list.size(); ++j) {
      const numbered& a = list[i];
      const numbered& b = list[j];
      if (a.f.service != b.f.service || b.f.at >= a.f.end()) break;
      if (share_an_instance(a.f, b.f)) fail_overlap(a, b, s);
    }
}

}  // namespace

void read_failures(const entry& failures, scenario& s) {
  expect_list(failures, "'failures'",
              "write one failure per '- ' item, e.g. '- {service: email, kind: crash, at: 20s}'");
  if (failures.empty()) return;
  std::vector<numbered> list;
  for (const auto& node : failures.value) {
    const int number = static_cast<int>(list.size()) + 1;
    list.push_back({read_failure(item(node), "failure #" + std::to_string(number), s), number});
  }
  std::stable_sort(list.begin(), list.end(), [](const numbered& x, const numbered& y) {
    return x.f.service != y.f.service ? x.f.service < y.f.service : x.f.at < y.f.at;
  });
  check_overlaps(list, s);
  for (numbered& n : list) s.failures.push_back(std::move(n.f));
}

}  // namespace svcsim::detail
