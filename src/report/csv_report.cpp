#include "report/csv_report.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>

#include "report/metric_rows.hpp"
#include "report/metrics.hpp"
#include "studies/mean_ci.hpp"

namespace svcsim {
namespace {

constexpr const char* header = "run,mode,replication,entity_kind,entity,metric,value,ci_lo,ci_hi\n";

void line(std::ostringstream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(fields[i]);
  out << "\n";
}

std::string number_or_empty(const std::optional<double>& x) {
  return x ? csv_number(*x) : std::string();
}

}  // namespace

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_number(double x) {
  if (std::isnan(x)) return "";
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, x).ptr;
  return std::string(buf, end);
}

namespace {

// The rows of a report's runs, each after the cells of `lead`.
void run_rows(std::ostringstream& out, const report& r, const std::vector<std::string>& lead) {
  const auto put = [&](std::vector<std::string> fields) {
    fields.insert(fields.begin(), lead.begin(), lead.end());
    line(out, fields);
  };
  const auto rows = metric_rows(r.runs.front());
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    const std::string mode = r.runs[i].label();  // a design's name, when it has one
    for (const auto& row : rows) {
      const auto xs = values_of(row, r, i);
      if (r.replicas.empty()) {
        put({r.scenario, mode, "", row.kind, row.entity, row.key, csv_number(xs[0]), "", ""});
        continue;
      }
      const auto m = mean_ci(xs);
      const bool some = m.n > 0;
      put({r.scenario, mode, "", row.kind, row.entity, row.key, csv_number(m.mean),
           some ? csv_number(m.mean - m.half) : "", some ? csv_number(m.mean + m.half) : ""});
      for (std::size_t k = 0; k < xs.size(); ++k)
        put({r.scenario, mode, std::to_string(k), row.kind, row.entity, row.key, csv_number(xs[k]),
             "", ""});
    }
  }
}

}  // namespace

std::string to_csv(const report& r) {
  std::ostringstream out;
  out << header;
  run_rows(out, r, {});
  return out.str();
}

std::string sweep_to_csv(const sweep_result& r) {
  std::ostringstream out;
  for (const auto& key : r.keys) out << csv_field(key) << ",";
  out << header;
  for (const auto& point : r.points) run_rows(out, point.runs, point.values);
  return out.str();
}

std::string coupling_to_csv(const scenario& s, const blast_radius& b) {
  std::ostringstream out;
  out << header;
  const auto variant = [&](const std::string& run, const blast_row& row) {
    for (mode m : {mode::sync, mode::async})
      for (std::size_t i = 0; i < s.workloads.size(); ++i) {
        const auto& c = row.cells[static_cast<int>(m)][i];
        for (const auto& metric : blast_metrics) {
          const auto x = value_of(c, metric);
          std::string lo, hi;  // the 95% interval, when the metric has one
          if (metric.half_width && x && c.*metric.half_width) {
            const double hw = *(c.*metric.half_width);
            lo = csv_number(*x - hw);
            hi = csv_number(*x + hw);
          }
          line(out, {run, to_string(m), "", "workload", s.workloads[i].name, metric.key,
                     number_or_empty(x), lo, hi});
        }
      }
  };
  variant("nothing crashed", b.baseline);
  for (const auto& row : b.rows) variant(s.party_name(row.failed) + " crashed", row);
  return out.str();
}

}  // namespace svcsim
