#include <nlohmann/json.hpp>

#include "report/json_print.hpp"
#include "report/json_report.hpp"
#include "report/sweep_report.hpp"

namespace svcsim {

std::string sweep_to_json(const sweep_result& r) {
  using json = nlohmann::ordered_json;
  const report& first = r.points.front().runs;
  json out{{"svcsim", SVCSIM_VERSION},
           {"scenario", r.scenario},
           {"seed", r.seed},
           {"clock", first.clock},
           {"keys", r.keys}};
  if (!first.replicas.empty()) out["replications"] = first.replicas.front().size();
  out["knee_factor"] = r.knee_factor;
  json points = json::array();
  for (const auto& point : r.points) {
    json values = json::object();
    for (std::size_t i = 0; i < r.keys.size(); ++i) values[r.keys[i]] = point.values[i];
    points.push_back(json{{"values", std::move(values)}, {"runs", runs_to_json(point.runs)}});
  }
  out["points"] = std::move(points);
  json knees = json::array();
  for (const auto& k : r.knees) {
    json knee{{"mode", to_string(k.mode)}};
    if (k.point >= 0) {
      knee["point"] = k.point;
      json values = json::object();
      for (std::size_t i = 0; i < r.keys.size(); ++i)
        values[r.keys[i]] = r.points[static_cast<std::size_t>(k.point)].values[i];
      knee["values"] = std::move(values);
      knee["why"] = k.why;
      knee["bottleneck"] = k.bottleneck;
    } else {
      knee["point"] = nullptr;
    }
    knees.push_back(std::move(knee));
  }
  out["knees"] = std::move(knees);
  out["summary"] = r.summary;
  return print_json(out) + "\n";
}

}  // namespace svcsim
