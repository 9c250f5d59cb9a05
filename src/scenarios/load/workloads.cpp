// Reading `workloads:`: the clients, open or closed loop, and the endpoint each one targets.
#include <unordered_map>

#include "scenarios/load/loader_parts.hpp"
#include "scenarios/load/suggest.hpp"
#include "scenarios/load/units.hpp"

namespace svcsim::detail {
namespace {

// `poisson(200/s)` or `constant(200/s)`.
void read_arrivals(const entry& e, workload& w) {
  const std::string s = text(e, "arrivals: poisson(200/s)");
  const auto open = s.find('(');
  if (open == std::string::npos || s.back() != ')')
    fail(e.value_pos(), "arrivals " + quoted(s) +
                            " must name a process and a rate; write e.g. "
                            "'arrivals: poisson(200/s)' or 'arrivals: constant(200/s)'");
  const std::string process = s.substr(0, open);
  if (process == "poisson") {
    w.arrivals = arrival_kind::poisson;
  } else if (process == "constant") {
    w.arrivals = arrival_kind::constant;
  } else {
    fail(e.value_pos(), "unknown arrival process " + quoted(process) + "; " +
                            suggestion(process, {"poisson", "constant"},
                                       "write e.g. 'arrivals: poisson(200/s)' or "
                                       "'arrivals: constant(200/s)'"));
  }
  auto rate = parse_rate(s.substr(open + 1, s.size() - open - 2));
  if (!rate.ok()) fail(e.value_pos(), rate.error);
  w.rate_per_s = rate.value;
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
  const fields f(it, "in " + label, {"name", "target", "arrivals", "users", "think"});
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
  if (arrivals) {
    read_arrivals(*arrivals, w);
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
