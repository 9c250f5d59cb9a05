// Reading `workloads:`: the clients, open or closed loop, and the endpoint each one targets.
#include <unordered_map>

#include "scenarios/load/loader_parts.hpp"
#include "scenarios/load/suggest.hpp"
#include "scenarios/load/units.hpp"

namespace svcsim::detail {
namespace {

const char* const arrivals_example =
    "write e.g. 'arrivals: poisson(200/s)' or 'arrivals: constant(200/s)'";

// `poisson(200/s)` or `constant(200/s)`; a bare `poisson` or `constant` when `profiled` (the
// rate comes from `rate:` or `daily:`).
void read_arrivals(const entry& e, workload& w, bool profiled) {
  const std::string s = text(e, "arrivals: poisson(200/s)");
  const auto open = s.find('(');
  if (profiled && open != std::string::npos)
    fail(e.value_pos(), "arrivals " + quoted(s) +
                            " names a rate, and so does the workload's profile; name the "
                            "process only, e.g. 'arrivals: poisson'");
  if (!profiled && (open == std::string::npos || s.back() != ')'))
    fail(e.value_pos(), "arrivals " + quoted(s) + " must name a process and a rate; " +
                            arrivals_example +
                            (s == "poisson" || s == "constant"
                                 ? ", or add a profile ('rate: [{for: 10m, rate: 100/s}]')"
                                 : ""));
  const std::string process = profiled ? s : s.substr(0, open);
  if (process == "poisson") {
    w.arrivals = arrival_kind::poisson;
  } else if (process == "constant") {
    w.arrivals = arrival_kind::constant;
  } else {
    fail(e.value_pos(), "unknown arrival process " + quoted(process) + "; " +
                            suggestion(process, {"poisson", "constant"},
                                       profiled ? "write 'arrivals: poisson' or 'arrivals: "
                                                  "constant'"
                                                : arrivals_example));
  }
  if (profiled) return;
  auto rate = parse_rate(s.substr(open + 1, s.size() - open - 2));
  if (!rate.ok()) fail(e.value_pos(), rate.error);
  w.rate_per_s = rate.value;
}

// A rate of a profile: as for arrivals, or zero (`0/s`: a pause).
double profile_rate(const entry& e, const std::string& example) {
  const std::string s = text(e, example);
  if (s == "0" || s == "0/s") return 0;
  auto rate = parse_rate(s);
  if (!rate.ok()) fail(e.value_pos(), rate.error);
  return rate.value;
}

// `rate: [{for: 10m, rate: 100/s}, {for: 5m, from: 100/s, to: 400/s}, ...]`.
rate_profile read_steps(const entry& e, const std::string& label) {
  const std::string instead =
      "write a list of steps, e.g. 'rate: [{for: 10m, rate: 100/s}, {for: 5m, from: 100/s, to: "
      "400/s}]'";
  expect_list(e, "'rate' of " + label, instead);
  if (e.value.size() == 0) fail(e.value_pos(), "'rate' of " + label + " is empty; " + instead);
  rate_profile p;
  nanos total = 0;  // the steps' lengths so far
  int number = 0;
  for (const auto& node : e.value) {
    const entry step = item(node);
    const std::string which = "step #" + std::to_string(++number) + " of " + label;
    expect_map(step, which, "write e.g. '{for: 10m, rate: 100/s}'");
    const fields f(step, "in " + which, {"for", "rate", "from", "to"});
    const entry* length = f.find("for");
    if (!length) fail(f.pos(), which + " has no length; add e.g. 'for: 10m'");
    rate_step r;
    r.length_ns = positive_duration(*length, "for: 10m");
    const entry* rate = f.find("rate");
    const entry* from = f.find("from");
    const entry* to = f.find("to");
    if (rate && (from || to))
      fail((from ? from : to)->key_pos(),
           which + " has both rate (a step) and " + (from ? "from" : "to") +
               " (a ramp); keep one, e.g. 'rate: 100/s' or 'from: 100/s, to: 400/s'");
    if (rate) {
      r.from_per_s = r.to_per_s = profile_rate(*rate, "rate: 100/s");
    } else if (from && to) {
      r.from_per_s = profile_rate(*from, "from: 100/s");
      r.to_per_s = profile_rate(*to, "to: 400/s");
    } else {
      fail(f.pos(), which +
                        " has no rate; add e.g. 'rate: 100/s', or 'from: 100/s, to: 400/s' "
                        "for a ramp");
    }
    p.steps.push_back(r);
    total += r.length_ns;  // each at most 10 years: no overflow before the check
    if (total > max_duration_ns)
      fail(length->value_pos(), "the steps of " + label +
                                    " last more than 10 years in all; shorten them (the profile "
                                    "repeats until duration)");
  }
  p.finish();
  if (p.peak() <= 0)
    fail(e.value_pos(), "every step of " + label +
                            " has rate 0, so it would never send; give one step a rate above "
                            "zero, e.g. 'rate: 100/s'");
  return p;
}

// `daily: {peak: 400/s, low: 50/s, period: 24h}`: low at the start of each period, peak at its
// middle, a sinusoid between.
rate_profile read_daily(const entry& e, const std::string& label) {
  const std::string example = "'daily: {peak: 400/s, low: 50/s, period: 24h}'";
  expect_map(e, "'daily' of " + label, "write e.g. " + example);
  const fields f(e, "in 'daily' of " + label, {"peak", "low", "period"});
  rate_profile p;
  p.daily = true;
  const entry* peak = f.find("peak");
  const entry* low = f.find("low");
  const entry* period = f.find("period");
  if (!peak || !low)
    fail(f.pos(), "'daily' of " + label + " has no " + (peak ? "low" : "peak") +
                      " rate; write e.g. " + example);
  p.peak_per_s = profile_rate(*peak, "peak: 400/s");
  p.low_per_s = profile_rate(*low, "low: 50/s");
  if (p.peak_per_s <= 0)
    fail(peak->value_pos(), "'daily' of " + label +
                                " has peak 0, so it would never send; give it a peak above zero, "
                                "e.g. " +
                                example);
  if (p.low_per_s > p.peak_per_s)
    fail(low->value_pos(), "'daily' of " + label + " has low " + quoted(low->value.Scalar()) +
                               " above peak " + quoted(peak->value.Scalar()) +
                               "; write a low of at most the peak, e.g. " + example);
  p.period_ns = 24LL * 3600 * 1000000000;
  if (period) p.period_ns = positive_duration(*period, "period: 24h");
  return p;
}

void resolve_target(const entry& e, const scenario& s, workload& w) {
  const auto dot = w.target.find('.');
  const std::string service_name = w.target.substr(0, dot);
  const std::string endpoint_name = w.target.substr(dot + 1);
  w.service = s.find_service(service_name);
  if (w.service < 0) {
    std::vector<std::string> names;
    for (const auto& svc : s.services) names.push_back(svc.name);
    fail(e.value_pos(),
         "workload " + quoted(w.name) + " targets unknown service " + quoted(service_name) + "; " +
             suggestion(service_name, names, "target one of " + join_names(names, true, "or")));
  }
  const service& svc = s.services[w.service];
  w.endpoint = svc.find_endpoint(endpoint_name);
  if (w.endpoint >= 0) return;
  std::vector<std::string> names;
  for (const auto& ep : svc.endpoints) names.push_back(ep.name);
  fail(e.value_pos(),
       "workload " + quoted(w.name) + " targets unknown endpoint " + quoted(endpoint_name) +
           " of service " + quoted(svc.name) + "; " +
           suggestion(endpoint_name, names,
                      names.empty() ? "add it under " + svc.name + "'s endpoints"
                                    : "its endpoints are " + join_names(names, true)));
}

// `seen`: the workload names so far, with where they stood, to refuse a name used twice.
workload read_workload(const entry& it, int number, const scenario& s, data_files& files,
                       std::unordered_map<std::string, source_pos>& seen) {
  const std::string fallback = "workload #" + std::to_string(number);
  expect_map(it, fallback,
             "write e.g. '- {name: signup, target: users.create, arrivals: "
             "poisson(200/s)}'");
  std::string label = fallback;
  if (it.value.IsMap()) {
    const YAML::Node name = it.value["name"];
    if (name.IsDefined() && name.IsScalar()) label = "workload " + quoted(name.Scalar());
  }
  const fields f(it, "in " + label,
                 {"name", "target", "arrivals", "rate", "daily", "users", "think"});
  workload w;
  w.pos = f.pos();
  const entry* name = f.find("name");
  if (!name) fail(f.pos(), fallback + " has no name; add e.g. 'name: signup'");
  w.name = text(*name, "name: signup");
  if (!is_name(w.name))
    fail(name->value_pos(), "workload name " + quoted(w.name) +
                                " may use only letters, digits, "
                                "'_' and '-'; write e.g. " +
                                quoted(as_name(w.name, false)));
  const auto [first, inserted] = seen.emplace(w.name, name->value_pos());
  if (!inserted)
    fail(name->value_pos(), "workload name " + quoted(w.name) + " is used twice (first on line " +
                                std::to_string(first->second.line) +
                                "); give each workload "
                                "its own name");
  const entry* target = f.find("target");
  if (!target) fail(f.pos(), label + " has no target; add e.g. 'target: users.create'");
  w.target = text(*target, "target: users.create");
  if (!is_call_target(w.target))
    fail(target->value_pos(), "workload target " + quoted(w.target) +
                                  " must be "
                                  "service.endpoint; write e.g. 'target: users.create'");
  resolve_target(*target, s, w);
  const entry* arrivals = f.find("arrivals");
  const entry* users = f.find("users");
  const entry* think = f.find("think");
  if (arrivals && (users || think))
    fail((users ? users : think)->key_pos(),
         label + " has both arrivals (open loop) and " + (users ? "users" : "think") +
             " (closed loop); keep one, e.g. 'arrivals: poisson(200/s)' or 'users: 50' with "
             "'think: exp(1s)'");
  const entry* steps = f.find("rate");
  const entry* daily = f.find("daily");
  if (steps && daily)
    fail(daily->key_pos(), label +
                               " has both rate (steps) and daily; keep one, e.g. 'rate: [{for: "
                               "10m, rate: 100/s}]' or 'daily: {peak: 400/s, low: 50/s}'");
  const entry* profile = steps ? steps : daily;
  if (profile && !arrivals)
    fail(profile->key_pos(), label +
                                 " has a rate profile but no arrivals; add 'arrivals: "
                                 "poisson' (or 'arrivals: constant') beside it");
  if (arrivals) {
    read_arrivals(*arrivals, w, profile != nullptr);
    if (profile) {
      w.profile = steps ? read_steps(*steps, label) : read_daily(*daily, label);
      w.rate_per_s = w.profile->mean_per_s();
    }
    return w;
  }
  if (!users)
    fail(f.pos(), label +
                      " has no arrivals; add e.g. 'arrivals: poisson(200/s)', or 'users: "
                      "50' with 'think: exp(1s)' for a closed loop");
  if (!think)
    fail(users->key_pos(), label + " has users but no think time; add e.g. 'think: exp(1s)'");
  w.users = integer(*users, 1, 1000000, "users: 50");
  w.think = distribution_of(*think, &files);
  if (w.think.mean() <= 0)
    fail(think->value_pos(), "think time " + quoted(think->value.Scalar()) +
                                 " has a mean of "
                                 "zero, so a user could send without end in no time; give it a "
                                 "mean above zero, e.g. 'think: exp(1s)'");
  return w;
}

}  // namespace

void read_workloads(const entry& workloads, scenario& s, data_files& files) {
  expect_list(workloads, "'workloads'",
              "write one workload per '- ' item, e.g. '- {name: signup, target: users.create, "
              "arrivals: poisson(200/s)}'");
  if (workloads.empty() || workloads.value.size() == 0)
    fail(workloads.value_pos(),
         "'workloads' is empty; add at least one, e.g. '- {name: signup, "
         "target: users.create, arrivals: poisson(200/s)}'");
  std::unordered_map<std::string, source_pos> seen;
  int number = 0;
  for (const auto& node : workloads.value) {
    s.workloads.push_back(read_workload(item(node), ++number, s, files, seen));
  }
}

}  // namespace svcsim::detail
