#include <cmath>

#include "report/format.hpp"
#include "report/metric_rows.hpp"
#include "report/sweep_report.hpp"
#include "report/table.hpp"
#include "studies/mean_ci.hpp"

namespace svcsim {
namespace {

// The mean over the replications of the metric `key` of an entity; NaN: nothing measured.
double mean_of(const std::vector<metric_row>& rows, const report& point, std::size_t run,
               const std::string& kind, const std::string& entity, const std::string& key) {
  for (const auto& row : rows)
    if (row.kind == kind && row.entity == entity && row.key == key) {
      const auto m = mean_ci(values_of(row, point, run));
      return m.n ? m.mean : std::nan("");
    }
  return std::nan("");
}

std::string shown(double x, std::string (*show)(double)) { return std::isnan(x) ? "-" : show(x); }

}  // namespace

sweep_table sweep_table_of(const sweep_result& r, std::size_t run) {
  sweep_table t;
  t.header = r.keys;
  const auto& first = r.points.front().runs.runs[run];
  const bool several = first.workloads.size() > 1;
  if (several) t.header.push_back("workload");
  t.left.assign(t.header.size(), true);
  for (const char* h : {"p50 ms", "p99 ms", "completion p99 ms", "availability", "busiest",
                        "utilization", "largest backlog"}) {
    t.header.push_back(h);
    t.left.push_back(h == std::string("busiest") || h == std::string("largest backlog"));
  }
  const auto rows = metric_rows(first);
  for (const auto& point : r.points) {
    const report& rep = point.runs;
    const auto [busiest, utilization] = busiest_service(rep, run);
    std::string backlog = "-";
    double most = -1;
    for (const auto& topic : first.topics) {
      const double b = mean_of(rows, rep, run, "topic", topic.name, "backlog_max");
      if (!std::isnan(b) && b > 0 && b > most) {
        most = b;
        backlog = topic.name + " " + (rep.replicas.empty() ? whole(b) : num(b));
      }
    }
    for (const auto& w : first.workloads) {
      std::vector<std::string> cells = point.values;
      if (several) cells.push_back(w.name);
      const auto get = [&](const char* key) {
        return mean_of(rows, rep, run, "workload", w.name, key);
      };
      cells.push_back(shown(get("latency_ms.p50"), ms));
      cells.push_back(shown(get("latency_ms.p99"), ms));
      cells.push_back(shown(get("completion_ms.p99"), ms));
      cells.push_back(get("requests") > 0 ? shown(get("availability"), pct) : "-");
      cells.push_back(busiest.empty() ? "-" : busiest);
      cells.push_back(busiest.empty() ? "-" : pct(utilization));
      cells.push_back(backlog);
      t.rows.push_back(std::move(cells));
    }
  }
  return t;
}

}  // namespace svcsim
