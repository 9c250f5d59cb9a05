#include "report/json_report.hpp"

#include <nlohmann/json.hpp>

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

}  // namespace

std::string to_json(const report& r) {
  json runs = json::array();
  for (const auto& run : r.runs) runs.push_back(to_json(run));
  json out{{"svcsim", SVCSIM_VERSION},
           {"scenario", r.scenario},
           {"seed", r.seed},
           {"clock", r.clock},
           {"runs", std::move(runs)}};
  return out.dump(2) + "\n";
}

}  // namespace svcsim
