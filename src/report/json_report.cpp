#include "report/json_report.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "report/json_print.hpp"
#include "report/metrics.hpp"
#include "studies/mean_ci.hpp"

namespace svcsim {
namespace {

using json = nlohmann::ordered_json;

// `nothing_as_null`: with nothing measured, every field is null instead of 0 (so that a
// replication without data does not pull the mean over replications towards 0).
json to_json(const percentiles& p, bool nothing_as_null) {
  json out = json::object();
  for (const auto& part : percentile_parts)
    out[part.key] = p.count == 0 && nothing_as_null ? json(nullptr) : json(p.*part.field);
  return out;
}

// One entity's metrics, keyed as the table says.
template <class T>
json to_json(const T& entity, const std::vector<metric<T>>& metrics, bool nothing_as_null) {
  json out = json::object();
  for (const auto& m : metrics)
    out[m.key] = std::visit(
        [&](auto member) -> json {
          using field = decltype(member);
          if constexpr (std::is_same_v<field, percentiles T::*>) {
            return to_json(entity.*member, nothing_as_null);
          } else if constexpr (std::is_same_v<field, std::vector<subscription_result> T::*>) {
            json all = json::object();
            for (const auto& sub : entity.*member)
              all[sub.name] = to_json(sub, subscription_metrics.metrics, nothing_as_null);
            return all;
          } else if constexpr (std::is_same_v<field, std::vector<service_result> T::*>) {
            json all = json::object();
            for (const auto& one : entity.*member)
              all[one.name] = to_json(one, instance_metrics.metrics, nothing_as_null);
            return all;
          } else {
            return json(entity.*member);
          }
        },
        m.field);
  return out;
}

json with_nulls(const std::vector<double>& xs) {  // NaN: nothing there
  json out = json::array();
  for (double x : xs) out.push_back(std::isnan(x) ? json(nullptr) : json(x));
  return out;
}

// Columnar: one array per series, indexed like t_s.
json to_json(const timeline& tl, const run_result& r) {
  json workloads = json::object();
  for (std::size_t i = 0; i < tl.workloads.size() && i < r.workloads.size(); ++i) {
    const auto& w = tl.workloads[i];
    workloads[r.workloads[i].name] = json{{"sent", w.sent},
                                          {"ok", w.ok},
                                          {"failed", w.failed},
                                          {"p50_ms", with_nulls(w.p50_ms)},
                                          {"p99_ms", with_nulls(w.p99_ms)}};
    if (!w.rate_per_s.empty()) workloads[r.workloads[i].name]["rate_per_s"] = w.rate_per_s;
  }
  // Per topic its series, and beside them, per topic and subscribing service, its
  // subscriptions': every object holds only arrays, one table each.
  const auto series = [](const delivery_timeline& t) {
    return json{{"backlog_max", t.backlog_max}, {"delivered", t.delivered}, {"lost", t.lost}};
  };
  json topics = json::object(), subscriptions = json::object();
  for (std::size_t i = 0; i < tl.topics.size() && i < r.topics.size(); ++i) {
    const auto& t = tl.topics[i];
    topics[r.topics[i].name] = series(t);
    json subs = json::object();
    for (std::size_t k = 0; k < t.subscriptions.size() && k < r.topics[i].subscriptions.size(); ++k)
      subs[r.topics[i].subscriptions[k].name] = series(t.subscriptions[k]);
    subscriptions[r.topics[i].name] = std::move(subs);
  }
  return json{{"bucket_s", tl.bucket_s},
              {"t_s", tl.t_s},
              {"workloads", std::move(workloads)},
              {"topics", std::move(topics)},
              {"subscriptions", std::move(subscriptions)}};
}

// Without the timeline, which replications do not average.
json to_json(const run_result& r, bool nothing_as_null = false) {
  json run{{"mode", to_string(r.mode)}};
  if (!r.design.empty()) run["design"] = r.design;
  run["sim_time_s"] = r.sim_time_s;
  run["wall_time_s"] = r.wall_time_s;
  run["events"] = r.events;
  run["measured_s"] = r.measured_s;
  for_each_entity([&](const auto& kind) {
    json all = json::object();
    for (const auto& entity : r.*kind.list)
      all[entity.name] = to_json(entity, kind.metrics, nothing_as_null);
    run[kind.key] = std::move(all);
  });
  // Who depends on the broker in this mode, as a service's ce, ca and knows (ca 0: nobody).
  const auto& b = r.broker_coupling;
  run["broker_coupling"] =
      json{{"ce", b.ce}, {"ca", b.ca}, {"knows", b.knows}, {"known_by", b.known_by}};
  run["warnings"] = r.warnings;
  return run;
}

std::vector<double> numbers_in(const std::vector<json>& xs) {
  std::vector<double> out;
  for (const auto& x : xs)
    if (x.is_number()) out.push_back(x.get<double>());
  return out;
}

// Replications into one: every number becomes the mean over the replications that have it
// (null is "nothing measured"), with a sibling `NAME_ci95: [lo, hi]`; everything else is
// taken from the first.
json aggregate(const std::vector<json>& xs) {
  const json& first = xs.front();
  if (!first.is_object()) {
    const auto numbers = numbers_in(xs);
    if (numbers.empty()) return first;
    return mean_ci(numbers).mean;
  }
  json out = json::object();
  for (const auto& [key, value] : first.items()) {
    std::vector<json> parts;
    for (const auto& x : xs) parts.push_back(x.at(key));
    out[key] = aggregate(parts);
    const auto numbers = numbers_in(parts);
    if (value.is_object() || value.is_array() || value.is_string() || numbers.empty()) continue;
    const auto m = mean_ci(numbers);
    out[key + "_ci95"] = json::array({m.mean - m.half, m.mean + m.half});
  }
  return out;
}

}  // namespace

nlohmann::ordered_json runs_to_json(const report& r) {
  json runs = json::array();
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    json run;
    if (r.replicas.empty()) {
      run = to_json(r.runs[i]);
    } else {
      std::vector<json> parts;
      for (const auto& rep : r.replicas[i]) parts.push_back(to_json(rep, true));
      run = aggregate(parts);
    }
    run["timeline"] = to_json(r.runs[i].timeline, r.runs[i]);  // replication 0's
    runs.push_back(std::move(run));
  }
  return runs;
}

std::string to_json(const report& r) {
  json out{
      {"svcsim", SVCSIM_VERSION}, {"scenario", r.scenario}, {"seed", r.seed}, {"clock", r.clock}};
  if (!r.settings.empty()) out["set"] = r.settings;
  if (!r.replicas.empty()) out["replications"] = r.replicas.front().size();
  out["runs"] = runs_to_json(r);
  return print_json(out) + "\n";
}

}  // namespace svcsim
