#include "report/md_report.hpp"

#include <sstream>

#include "report/failure_text.hpp"
#include "report/format.hpp"
#include "report/table.hpp"

namespace svcsim {
namespace {

void warnings(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& ws) {
  if (ws.empty()) return;
  out << "\n**Warnings**\n\n";
  for (const auto& [mode, text] : ws) out << "- (" << mode << ") " << text << "\n";
}

std::string seconds3(double s) { return fmt("%.3f", s); }

}  // namespace

std::string to_markdown(const report& r) {
  table t(r, false, table::style::markdown);
  auto& out = t.out();
  out << "### svcsim " << SVCSIM_VERSION << " - scenario " << r.scenario << ", seed " << r.seed
      << ", " << r.clock << " clock";
  if (!r.replicas.empty())
    out << ", " << r.replicas.front().size()
        << " replications (mean ± half-width of the 95% confidence interval)";
  out << "\n\n";
  for (const auto& set : r.settings) out << "- set: " << set << "\n";
  for (const auto& run : r.runs)
    out << "- " << run.label() << ": " << fmt("%.3f", run.sim_time_s) << " s simulated ("
        << fmt("%.3f", run.measured_s) << " s measured), " << run.events << " events\n";
  std::vector<std::pair<std::string, std::string>> ws;
  for (const auto& run : r.runs)
    for (const auto& w : run.warnings) ws.emplace_back(run.label(), w);
  warnings(out, ws);
  metric_tables(t, r);
  // Around each failure: the text report's section as it is, in a block.
  if (std::string failures = failure_text(r); !failures.empty()) {
    failures.erase(0, failures.find_first_not_of('\n'));
    out << "\n#### around failures\n\n```text\n" << failures << "```\n";
  }
  out << "\n#### coupling: whom each service must know\n\n| service |";
  for (const auto& run : r.runs) out << " " << run.label() << " |";
  out << "\n| --- |";
  for (std::size_t i = 0; i < r.runs.size(); ++i) out << " --- |";
  out << "\n";
  const auto& first = r.runs.front();
  for (std::size_t i = 0; i < first.services.size(); ++i) {
    out << "| " << first.services[i].name << " |";
    for (const auto& run : r.runs) out << " " << join(run.services[i].knows) << " |";
    out << "\n";
  }
  bool broker = false;
  for (const auto& run : r.runs) broker = broker || run.broker_coupling.ca > 0;
  if (!broker) return out.str();
  out << "| *the broker is known by* |";
  for (const auto& run : r.runs) out << " " << join(run.broker_coupling.known_by) << " |";
  out << "\n";
  return out.str();
}

std::string coupling_to_markdown(const scenario& s, const blast_radius& b) {
  std::ostringstream out;
  const auto& w = b.window;
  out << "### svcsim " << SVCSIM_VERSION << " - coupling of scenario " << s.name << ", seed "
      << s.seed << ", virtual clock\n\n"
      << "- crash window: " << fmt("%.3f", static_cast<double>(w.from) / 1e9) << " s to "
      << fmt("%.3f", static_cast<double>(w.to) / 1e9) << " s of the arrivals (0 to "
      << fmt("%.3f", static_cast<double>(w.arrivals_end) / 1e9) << " s)\n- " << b.runs << " runs"
      << (b.replications > 1
              ? ", " + std::to_string(b.replications) + " replications each, means ± 95% interval"
              : std::string())
      << "\n";
  for (const auto& set : s.settings) out << "- set: " << set << "\n";
  std::vector<std::pair<std::string, std::string>> ws;
  for (mode m : {mode::sync, mode::async})
    for (const auto& text : b.warnings[static_cast<int>(m)])
      ws.emplace_back(std::string(to_string(m)) + ", nothing crashed", text);
  warnings(out, ws);
  out << "\n#### blast radius: of the requests sent in the window, per workload\n\n"
         "| crashed | workload | avail sync | avail async | p99 ms sync | p99 ms async | "
         "catch-up s async |\n"
         "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n";
  const auto block = [&](const std::string& title, const blast_row& row) {
    for (std::size_t i = 0; i < s.workloads.size(); ++i) {
      const auto &sync = row.cells[0][i], &async = row.cells[1][i];
      out << "| " << title << " | " << s.workloads[i].name << " | "
          << value_cell(sync.window_availability, sync.window_availability_hw, pct) << " | "
          << value_cell(async.window_availability, async.window_availability_hw, pct) << " | "
          << value_cell(sync.p99_ms, sync.p99_ms_hw, ms) << " | "
          << value_cell(async.p99_ms, async.p99_ms_hw, ms) << " | "
          << value_cell(async.catch_up_s, async.catch_up_s_hw, seconds3) << " |\n";
    }
  };
  block("nothing", b.baseline);
  for (const auto& row : b.rows) block(s.party_name(row.failed), row);
  for (mode m : {mode::sync, mode::async}) {
    const auto& view = b.static_view;
    out << "\n#### coupling in " << to_string(m)
        << " mode\n\n| service | ce | ca | instability | knows |\n"
           "| --- | ---: | ---: | ---: | --- |\n";
    const auto line = [&](const std::string& name, const coupling& c) {
      out << "| " << name << " | " << c.ce << " | " << c.ca << " | " << fmt("%.2f", c.instability())
          << " | " << join(c.knows) << " |\n";
    };
    for (std::size_t i = 0; i < s.services.size(); ++i)
      line(s.services[i].name, view.services[static_cast<int>(m)][i]);
    if (const auto& br = view.broker[static_cast<int>(m)]; br.ca > 0) line("broker", br);
    out << "\nlongest chain of sync calls: "
        << join(view.longest_call_chain[static_cast<int>(m)], " → ", "none") << "\n";
  }
  out << "\n#### what a crash takes down (below " << fmt("%.0f", 100 * down_below)
      << "% availability in the window)\n\n";
  for (mode m : {mode::sync, mode::async}) {
    const auto ranked = rank_takedowns(b, m);
    out << "- " << to_string(m) << (ranked.empty() ? ": none" : "") << "\n";
    for (const auto& t : ranked) {
      const auto names = workload_names(s, t);
      out << "  - " << s.party_name(t.service) << ": " << t.workloads.size() << " of "
          << s.workloads.size() << " (" << join(names) << ")\n";
    }
  }
  return out.str();
}

}  // namespace svcsim
