#include "report/json_report.hpp"

#include "engine/replicate.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <vector>

namespace svcsim {
namespace {

using json = nlohmann::ordered_json;

json to_json(const percentiles& p) {
  return json{{"mean", p.mean}, {"p50", p.p50},   {"p90", p.p90},
              {"p99", p.p99},   {"p999", p.p999}, {"max", p.max}};
}

json to_json(const run_result& r) {
  json run{{"mode", to_string(r.mode)},
           {"sim_time_s", r.sim_time_s},
           {"wall_time_s", r.wall_time_s},
           {"events", r.events},
           {"measured_s", r.measured_s}};
  json workloads = json::object();
  for (const auto& w : r.workloads)
    workloads[w.name] = json{{"requests", w.requests},
                             {"ok", w.ok},
                             {"failed", w.failed},
                             {"unfinished", w.unfinished},
                             {"incomplete", w.incomplete},
                             {"availability", w.availability},
                             {"throughput_rps", w.throughput_rps},
                             {"latency_ms", to_json(w.latency_ms)},
                             {"completion_ms", to_json(w.completion_ms)}};
  json services = json::object();
  for (const auto& s : r.services)
    services[s.name] = json{{"served", s.served},
                            {"rejected", s.rejected},
                            {"errors", s.errors},
                            {"utilization", s.utilization},
                            {"queue_mean", s.queue_mean},
                            {"queue_max", s.queue_max},
                            {"ce", s.ce},
                            {"ca", s.ca},
                            {"knows", s.knows}};
  json topics = json::object();
  for (const auto& t : r.topics)
    topics[t.name] = json{{"published", t.published},     {"delivered", t.delivered},
                          {"lost", t.lost},               {"redelivered", t.redelivered},
                          {"backlog_max", t.backlog_max}, {"lag_ms", to_json(t.lag_ms)}};
  run["workloads"] = std::move(workloads);
  run["services"] = std::move(services);
  run["topics"] = std::move(topics);
  run["warnings"] = r.warnings;
  return run;
}

// Replications into one: every number becomes the mean over them, with a sibling
// `NAME_ci95: [lo, hi]`; everything else is taken from the first.
json aggregate(const std::vector<json>& xs) {
  const json& first = xs.front();
  if (first.is_number()) {
    double sum = 0;
    for (const auto& x : xs) sum += x.get<double>();
    return sum / static_cast<double>(xs.size());
  }
  if (!first.is_object()) return first;
  json out = json::object();
  for (const auto& [key, value] : first.items()) {
    std::vector<json> parts;
    for (const auto& x : xs) parts.push_back(x.at(key));
    out[key] = aggregate(parts);
    if (!value.is_number()) continue;
    const double mean = out[key].get<double>();
    double squares = 0;
    for (const auto& p : parts) squares += (p.get<double>() - mean) * (p.get<double>() - mean);
    const int n = static_cast<int>(parts.size());
    const double half = ci95_half_width(std::sqrt(squares / (n - 1)), n);
    out[key + "_ci95"] = json::array({mean - half, mean + half});
  }
  return out;
}

}  // namespace

std::string to_json(const report& r) {
  json runs = json::array();
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    if (r.replicas.empty()) {
      runs.push_back(to_json(r.runs[i]));
      continue;
    }
    std::vector<json> parts;
    for (const auto& rep : r.replicas[i]) parts.push_back(to_json(rep));
    runs.push_back(aggregate(parts));
  }
  json out{{"svcsim", SVCSIM_VERSION}, {"scenario", r.scenario}, {"seed", r.seed},
           {"clock", r.clock}};
  if (!r.replicas.empty()) out["replications"] = r.replicas.front().size();
  out["runs"] = std::move(runs);
  return out.dump(2) + "\n";
}

}  // namespace svcsim
