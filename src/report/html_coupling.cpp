// The HTML page of `coupling` (html_report.hpp): the blast radius as a heat map, then the
// static coupling per mode and what each crash takes down.
#include <sstream>

#include "report/format.hpp"
#include "report/html_page.hpp"
#include "report/html_report.hpp"
#include "report/markup.hpp"

namespace svcsim {
namespace {

constexpr mode both_modes[] = {mode::sync, mode::async};

std::string seconds(nanos t) { return fmt("%.3f s", static_cast<double>(t) / 1e9); }
std::string catch_up(double s) { return fmt("%.3f", s); }

// The heat map's class of an availability: a0 (at least 99.9%) to a4 (below 50%).
const char* heat_class(const std::optional<double>& availability) {
  if (!availability) return "";
  const double a = *availability;
  return a >= 0.999 ? "a0" : a >= down_below ? "a1" : a >= 0.9 ? "a2" : a >= 0.5 ? "a3" : "a4";
}

std::string heat_map(const scenario& s, const blast_radius& b) {
  std::ostringstream out;
  out << "<table class=\"heat-map\"><thead><tr><th rowspan=\"2\">crashed</th>";
  for (const auto& w : s.workloads) out << "<th colspan=\"2\">" << escape(w.name) << "</th>";
  out << "</tr><tr>";
  for (std::size_t i = 0; i < s.workloads.size(); ++i)
    for (mode m : both_modes) out << "<th>" << to_string(m) << "</th>";
  out << "</tr></thead><tbody>\n";
  const auto row = [&](const std::string& title, const blast_row& r) {
    out << "<tr><th>" << escape(title) << "</th>";
    for (std::size_t i = 0; i < s.workloads.size(); ++i)
      for (mode m : both_modes) {
        const auto& c = r.cells[static_cast<int>(m)][i];
        out << "<td class=\"heat " << heat_class(c.window_availability) << "\" title=\"p99 "
            << escape(value_cell(c.p99_ms, c.p99_ms_hw, ms)) << " ms";
        if (m == mode::async)
          out << ", catch-up " << escape(value_cell(c.catch_up_s, c.catch_up_s_hw, catch_up))
              << " s";
        out << "\">" << escape(value_cell(c.window_availability, c.window_availability_hw, pct))
            << "</td>";
      }
    out << "</tr>\n";
  };
  row("nothing", b.baseline);
  for (const auto& r : b.rows) row(s.party_name(r.failed), r);
  out << "</tbody></table>\n";
  return out.str();
}

std::string static_view(const scenario& s, const blast_radius& b) {
  std::string out = "<h2>Static coupling</h2>\n<div class=\"row\">\n";
  for (mode m : both_modes) {
    const auto& view = b.static_view;
    std::vector<std::vector<std::string>> rows;
    const auto line = [&](const std::string& name, const coupling& c) {
      rows.push_back({name, std::to_string(c.ce), std::to_string(c.ca),
                      fmt("%.2f", c.instability()), join(c.knows)});
    };
    for (std::size_t i = 0; i < s.services.size(); ++i)
      line(s.services[i].name, view.services[static_cast<int>(m)][i]);
    if (const auto& br = view.broker[static_cast<int>(m)]; br.ca > 0) line("broker", br);
    out += "<div><h3>" + std::string(to_string(m)) + " mode</h3>\n" +
           html_table({"service", "ce", "ca", "instability", "knows"}, rows) +
           "<p>longest chain of sync calls: " +
           escape(join(view.longest_call_chain[static_cast<int>(m)], " → ", "none")) + "</p>\n";
    const auto ranked = rank_takedowns(b, m);
    out += "<p>what a crash takes down (below " + fmt("%.0f", 100 * down_below) +
           "% availability in the window): " + (ranked.empty() ? "nothing" : "") + "</p>\n";
    if (!ranked.empty()) out += "<ul>\n";
    for (const auto& t : ranked) {
      const auto names = workload_names(s, t);
      out += "<li>" + escape(s.party_name(t.service)) + ": " + std::to_string(t.workloads.size()) +
             " of " + std::to_string(s.workloads.size()) + " (" + escape(join(names)) + ")</li>\n";
    }
    if (!ranked.empty()) out += "</ul>\n";
    out += "</div>\n";
  }
  return out + "</div>\n";
}

}  // namespace

std::string coupling_to_html(const scenario& s, const blast_radius& b) {
  std::ostringstream body;
  const auto& w = b.window;
  body << "<h1>svcsim " << SVCSIM_VERSION << ": coupling of scenario " << escape(s.name)
       << "</h1>\n<p class=\"lead\">seed " << s.seed << ", virtual clock; each service"
       << (b.rows.size() > s.services.size() ? " and the broker" : "") << " crashed in turn from "
       << seconds(w.from) << " to " << seconds(w.to) << " of the arrivals (0 to "
       << seconds(w.arrivals_end) << "), " << b.runs << " runs"
       << (b.replications > 1
               ? ", " + std::to_string(b.replications) + " replications each, means ± 95% interval"
               : std::string())
       << ".</p>\n";
  if (!s.settings.empty()) {
    body << "<ul>\n";
    for (const auto& set : s.settings) body << "<li>set: " << escape(set) << "</li>\n";
    body << "</ul>\n";
  }
  std::string warned;
  for (mode m : both_modes)
    for (const auto& text : b.warnings[static_cast<int>(m)])
      warned +=
          "<li>(" + std::string(to_string(m)) + ", nothing crashed) " + escape(text) + "</li>\n";
  if (!warned.empty())
    body << "<h2>Warnings</h2>\n<ul class=\"warnings\">\n" << warned << "</ul>\n";
  body << "<h2>Blast radius</h2>\n<p>Availability of the requests sent in the crash window, per "
          "workload and mode (hover a cell for its p99 latency and, in async, how long after the "
          "window its requests were done). Colour: <span class=\"a0\">&nbsp;≥ 99.9%&nbsp;</span> "
          "<span class=\"a1\">&nbsp;≥ 99%&nbsp;</span> <span class=\"a2\">&nbsp;≥ 90%&nbsp;</span> "
          "<span class=\"a3\">&nbsp;≥ 50%&nbsp;</span> <span class=\"a4\">&nbsp;below 50%&nbsp;"
          "</span>; a workload is down below "
       << fmt("%.0f", 100 * down_below) << "%.</p>\n"
       << heat_map(s, b);
  for (const auto& r : b.rows)
    if (!r.replaced.empty())
      body << "<p class=\"muted\">" << escape(s.party_name(r.failed))
           << ": in place of its own failure in the window: " << escape(r.replaced) << "</p>\n";
  body << static_view(s, b);
  return html_document("svcsim: coupling of " + s.name, body.str());
}

}  // namespace svcsim
