#include <algorithm>
#include <sstream>

#include "report/coupling_report.hpp"
#include "report/format.hpp"

namespace svcsim {
namespace {

constexpr int value_width = 13;

// The first column: wide enough for "NAME crashed" and every workload's name, at least 18.
int label_width(const scenario& s) {
  std::size_t w = 18;
  for (const auto& svc : s.services) w = std::max(w, svc.name.size() + 9);
  for (const auto& load : s.workloads) w = std::max(w, load.name.size() + 3);
  return static_cast<int>(w);
}

std::string seconds(nanos t) { return fmt("%.3f s", static_cast<double>(t) / 1e9); }

std::string catch_up(double s) { return fmt("%.3f", s); }

void header(std::ostringstream& out, const scenario& s, const blast_radius& b) {
  const auto& w = b.window;
  out << "svcsim " << SVCSIM_VERSION << " - coupling of scenario " << s.name << ", seed " << s.seed
      << ", virtual clock\n";
  for (const auto& set : s.settings) out << "  set: " << set << "\n";
  out << "  crash window: " << seconds(w.from) << " to " << seconds(w.to)
      << (w.by_default ? ", the middle tenth of" : ", centred in") << " the arrivals (0 to "
      << seconds(w.arrivals_end) << ")\n";
  const bool broker = b.rows.size() > s.services.size();
  out << "  " << b.runs << " runs (nothing crashed, then each of " << s.services.size()
      << " services" << (broker ? " and the broker" : "") << "; sync and async"
      << (b.replications > 1
              ? "; " + std::to_string(b.replications) + " replications each, means ± 95% interval"
              : std::string())
      << ") in " << fmt("%.2f", b.wall_time_s) << " s\n";
  for (mode m : {mode::sync, mode::async})
    for (const auto& text : b.warnings[static_cast<int>(m)])
      out << "  warning (" << to_string(m) << ", nothing crashed): " << text << "\n";
}

void block(std::ostringstream& out, const scenario& s, const std::string& title,
           const blast_row& row, bool replicated) {
  const int label = label_width(s);
  const int width = value_width + (replicated ? 5 : 0);
  out << "\n" << pad(title, label);
  for (const char* column : {"avail sync", "avail async", "p99 sync", "p99 async", "catch-up"})
    out << lpad(column, width);
  out << "\n";
  if (!row.replaced.empty())
    out << "  (in place of its own failure in the window: " << row.replaced << ")\n";
  for (std::size_t i = 0; i < s.workloads.size(); ++i) {
    const auto &sync = row.cells[0][i], &async = row.cells[1][i];
    out << "  " << pad(s.workloads[i].name, label - 2)
        << lpad(value_cell(sync.window_availability, sync.window_availability_hw, pct), width)
        << lpad(value_cell(async.window_availability, async.window_availability_hw, pct), width)
        << lpad(value_cell(sync.p99_ms, sync.p99_ms_hw, ms), width)
        << lpad(value_cell(async.p99_ms, async.p99_ms_hw, ms), width)
        << lpad(value_cell(async.catch_up_s, async.catch_up_s_hw, catch_up), width) << "\n";
  }
}

void static_view(std::ostringstream& out, const scenario& s, const coupling_view& view) {
  out << "\ncoupling: whom each service must know (ce), how many know it (ca), and its "
         "instability ce/(ca+ce)\n";
  const int label = label_width(s);
  std::string chains;
  for (mode m : {mode::sync, mode::async}) {
    const auto& couplings = view.services[static_cast<int>(m)];
    out << pad(to_string(m), label) << lpad("ce", 6) << lpad("ca", 6)
        << lpad("instability", value_width) << "  knows\n";
    const auto row = [&](const std::string& name, const coupling& c) {
      out << "  " << pad(name, label - 2) << lpad(std::to_string(c.ce), 6)
          << lpad(std::to_string(c.ca), 6) << lpad(fmt("%.2f", c.instability()), value_width)
          << "  " << join(c.knows) << "\n";
    };
    for (std::size_t i = 0; i < s.services.size(); ++i) row(s.services[i].name, couplings[i]);
    // The broker, in the modes where some service uses it.
    if (const auto& b = view.broker[static_cast<int>(m)]; b.ca > 0) row("broker", b);
    chains += "  " + pad(std::string(to_string(m)) + ":", 7) +
              join(view.longest_call_chain[static_cast<int>(m)], " -> ", "none") + "\n";
  }
  out << "\nlongest chain of sync calls\n" << chains;
}

void ranking(std::ostringstream& out, const scenario& s, const blast_radius& b) {
  out << "\nwhat a crash takes down (workloads below " << fmt("%.0f", 100 * down_below)
      << "% availability in the window), most first\n";
  for (mode m : {mode::sync, mode::async}) {
    const auto ranked = rank_takedowns(b, m);
    out << "  " << to_string(m) << (ranked.empty() ? ": none" : "") << "\n";
    for (const auto& t : ranked) {
      const auto names = workload_names(s, t);
      out << "    " << pad(s.party_name(t.service), label_width(s) - 4) << t.workloads.size()
          << " of " << s.workloads.size() << ": " << join(names) << "\n";
    }
  }
}

}  // namespace

std::string coupling_to_text(const scenario& s, const blast_radius& b) {
  std::ostringstream out;
  header(out, s, b);
  out << "\nblast radius: of the requests sent in the window, per workload\n"
         "  avail     the share answered ok; below "
      << fmt("%.0f", 100 * down_below)
      << "% the workload is down\n"
         "  p99       latency in ms of those answered ok (-: none was)\n"
         "  catch-up  seconds from the window's end until the last of them, and all it caused,\n"
         "            was done, in async mode (-: one never was)\n";
  const bool replicated = b.replications > 1;
  block(out, s, "nothing crashed", b.baseline, replicated);
  for (const auto& row : b.rows)
    block(out, s, s.party_name(row.failed) + " crashed", row, replicated);
  static_view(out, s, b.static_view);
  ranking(out, s, b);
  return out.str();
}

}  // namespace svcsim
