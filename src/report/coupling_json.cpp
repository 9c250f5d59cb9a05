#include <nlohmann/json.hpp>

#include "report/coupling_report.hpp"
#include "report/metrics.hpp"

namespace svcsim {
namespace {

using json = nlohmann::ordered_json;

template <class T>
json or_null(const std::optional<T>& x) {
  return x ? json(*x) : json(nullptr);
}

// Adds `key`_ci95: [lo, hi] after `key` when there is a half-width.
void interval(json& cell, const std::string& key, const std::optional<double>& hw) {
  if (!hw || !cell[key].is_number()) return;
  const double x = cell[key].get<double>();
  cell[key + "_ci95"] = json::array({x - *hw, x + *hw});
}

// {"sync": {workload: {...}}, "async": {...}}
json cells(const scenario& s, const blast_row& row) {
  json out = json::object();
  for (mode m : {mode::sync, mode::async}) {
    json workloads = json::object();
    for (std::size_t i = 0; i < s.workloads.size(); ++i) {
      const auto& c = row.cells[static_cast<int>(m)][i];
      json cell;
      for (const auto& metric : blast_metrics) {
        std::visit(
            [&](auto field) {
              if constexpr (std::is_member_function_pointer_v<decltype(field)>)
                cell[metric.key] = (c.*field)();
              else if constexpr (std::is_same_v<decltype(field),
                                                std::optional<double> blast_cell::*>)
                cell[metric.key] = or_null(c.*field);
              else
                cell[metric.key] = c.*field;
            },
            metric.field);
        if (metric.half_width) interval(cell, metric.key, c.*metric.half_width);
      }
      workloads[s.workloads[i].name] = std::move(cell);
    }
    out[to_string(m)] = std::move(workloads);
  }
  return out;
}

json static_view(const scenario& s, const coupling_view& view, mode m) {
  json services = json::object();
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    const auto& c = view.services[static_cast<int>(m)][i];
    services[s.services[i].name] =
        json{{"ce", c.ce}, {"ca", c.ca}, {"instability", c.instability()}, {"knows", c.knows}};
  }
  // The broker, always: with ca 0 and known_by [] where nothing uses it in this mode.
  const auto& b = view.broker[static_cast<int>(m)];
  return json{{"services", std::move(services)},
              {"longest_call_chain", view.longest_call_chain[static_cast<int>(m)]},
              {"broker", json{{"ce", b.ce},
                              {"ca", b.ca},
                              {"instability", b.instability()},
                              {"knows", b.knows},
                              {"known_by", b.known_by}}}};
}

json takedowns(const scenario& s, const blast_radius& b, mode m) {
  json out = json::array();
  for (const auto& t : rank_takedowns(b, m)) {
    const auto names = workload_names(s, t);
    out.push_back(json{{"service", s.party_name(t.service)}, {"workloads", names}});
  }
  return out;
}

}  // namespace

std::string coupling_to_json(const scenario& s, const blast_radius& b) {
  json out{{"svcsim", SVCSIM_VERSION},    {"scenario", s.name}, {"seed", s.seed},
           {"clock", "virtual"},          {"runs", b.runs},     {"replications", b.replications},
           {"wall_time_s", b.wall_time_s}};
  if (!s.settings.empty()) out["set"] = s.settings;
  out["window"] = json{{"from_s", static_cast<double>(b.window.from) / 1e9},
                       {"to_s", static_cast<double>(b.window.to) / 1e9},
                       {"arrivals_end_s", static_cast<double>(b.window.arrivals_end) / 1e9},
                       {"default", b.window.by_default}};
  out["down_below"] = down_below;
  out["baseline"] = cells(s, b.baseline);
  out["warnings"] = json{{"sync", b.warnings[0]}, {"async", b.warnings[1]}};  // the baseline's
  json rows = json::array();
  for (const auto& row : b.rows) {
    json entry{{"failed", s.party_name(row.failed)}};
    if (!row.replaced.empty()) entry["replaces"] = row.replaced;
    entry.update(cells(s, row));
    rows.push_back(std::move(entry));
  }
  out["blast_radius"] = std::move(rows);
  out["static"] = json{{"sync", static_view(s, b.static_view, mode::sync)},
                       {"async", static_view(s, b.static_view, mode::async)}};
  out["takes_down"] =
      json{{"sync", takedowns(s, b, mode::sync)}, {"async", takedowns(s, b, mode::async)}};
  return out.dump(2) + "\n";
}

}  // namespace svcsim
