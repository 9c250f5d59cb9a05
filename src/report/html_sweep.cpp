// The HTML page of a sweep (html_report.hpp, studies/sweep.hpp).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <sstream>

#include "report/format.hpp"
#include "report/html_page.hpp"
#include "report/html_report.hpp"
#include "report/markup.hpp"
#include "report/svg.hpp"
#include "report/sweep_report.hpp"
#include "report/table.hpp"

namespace svcsim {
namespace {

// The swept value of each point as a number ("150/s" is 150), the unit they share ("/s") and
// the key, when one key varies over the grid (the others hold one value each) and its every
// value is a number followed by the same unit; else no numbers (then the x axis is the point's
// index: "500us" and "1ms" are not 500 and 1 on one axis).
struct swept_numbers {
  std::vector<double> xs;
  std::string unit, key;
};

swept_numbers numeric_values(const sweep_result& sweep) {
  auto varying = varying_keys(sweep);
  if (sweep.keys.size() == 1 && varying.empty()) varying.push_back(0);  // a single point
  if (varying.size() != 1) return {};
  const std::size_t key = varying.front();
  swept_numbers out;
  out.key = sweep.keys[key];
  for (std::size_t k = 0; k < sweep.points.size(); ++k) {
    const auto& p = sweep.points[k];
    const char* text = p.values.size() > key ? p.values[key].c_str() : "";
    char* end = nullptr;
    const double x = std::strtod(text, &end);
    if (end == text || !std::isfinite(x) || (k > 0 && out.unit != end)) return {};
    out.unit = end;
    out.xs.push_back(x);
  }
  return out;
}

}  // namespace

std::string sweep_to_html(const sweep_result& sweep) {
  std::ostringstream body;
  body << "<h1>svcsim " << SVCSIM_VERSION << ": sweep of scenario " << escape(sweep.scenario)
       << "</h1>\n<p class=\"lead\">" << escape(sweep.summary) << "</p>\n<p class=\"muted\">seed "
       << sweep.seed << ", virtual clock; swept " << escape(join(sweep.keys)) << " over "
       << sweep.points.size() << " points; a knee is " << escape(knee_criteria(sweep)) << ".</p>\n";
  if (!sweep.error.empty())
    body << "<p><strong>error:</strong> " << escape(sweep.error) << "</p>\n";
  if (sweep.points.empty() || sweep.points.front().runs.runs.empty())
    return html_document("svcsim: sweep of " + sweep.scenario, body.str());

  const swept_numbers numbers = numeric_values(sweep);
  const std::vector<double>& xs = numbers.xs;
  const std::string& unit = numbers.unit;
  const auto x_of = [&](std::size_t k) { return xs.empty() ? static_cast<double>(k) : xs[k]; };
  const std::string x_label = xs.empty()     ? "point # (its values are in the tables)"
                              : unit.empty() ? numbers.key
                                             : numbers.key + " (" + unit + ")";
  const auto& first = sweep.points.front().runs;
  const auto& workloads = first.runs.front().workloads;
  const std::size_t modes = first.runs.size();

  // One line per mode and workload of `get` against the swept value; knees marked at `get`
  // of the first workload. On a log y scale when the values span more than `log_above` times
  // (p99 past a knee).
  const auto against = [&](const std::string& kind, const std::string& title,
                           const std::string& y_label,
                           const std::function<double(const run_result&, std::size_t)>& get,
                           double log_above) {
    chart c(kind, title, x_label, y_label);
    if (xs.empty()) c.x_index();
    double low = HUGE_VAL, high = 0;
    for (std::size_t w = 0; w < workloads.size(); ++w)
      for (std::size_t i = 0; i < modes; ++i) {
        points line;
        for (std::size_t k = 0; k < sweep.points.size(); ++k) {
          const double y =
              mean_over(sweep.points[k].runs, i, [&](const run_result& r) { return get(r, w); });
          line.emplace_back(x_of(k), y);
          if (y > 0 && std::isfinite(y)) low = std::min(low, y), high = std::max(high, y);
        }
        std::string name = to_string(first.runs[i].mode);
        if (workloads.size() > 1) name += " " + workloads[w].name;
        c.line(name, line, static_cast<int>(w * modes + i), first.runs[i].mode == mode::async);
      }
    if (high > log_above * low)
      c.log_y();
    else
      c.y_from_zero();
    for (std::size_t i = 0; i < sweep.knees.size() && i < modes; ++i) {
      const auto& knee = sweep.knees[i];
      if (knee.point < 0 || knee.point >= static_cast<int>(sweep.points.size())) continue;
      const double y = mean_over(sweep.points[knee.point].runs, i,
                                 [&](const run_result& r) { return get(r, 0); });
      c.mark(x_of(knee.point), y, std::string("knee ") + to_string(knee.mode), static_cast<int>(i));
    }
    return "<figure>" + c.svg() + "</figure>\n";
  };
  body << "<h2>Against " << escape(x_label) << "</h2>\n<div class=\"row\">\n"
       << against(
              "sweep-p99", "p99 latency of ok requests", "ms",
              [](const run_result& r, std::size_t w) { return p99_of(r, w); }, 20)
       << against(
              "sweep-availability", "availability", "% ok of answered",
              [](const run_result& r, std::size_t w) { return 100 * r.workloads[w].availability; },
              HUGE_VAL)
       << against(
              "sweep-completion", "p99 completion: until every side effect is done", "ms",
              [](const run_result& r, std::size_t w) {
                const auto& p = r.workloads[w].completion_ms;
                return p.count ? p.p99 : std::nan("");
              },
              20)
       << "</div>\n";

  // The knees, per mode the table of points (the text report's), then the warnings.
  body << "<h2>Knees</h2>\n<ul>\n";
  for (const auto& knee : sweep.knees)
    body << "<li>" << escape(knee_line(sweep, knee)) << "</li>\n";
  body << "</ul>\n";
  body << "<h2>Points</h2>\n";
  for (std::size_t i = 0; i < modes; ++i) {
    auto t = sweep_table_of(sweep, i);
    if (xs.empty()) {  // the x axis is the point's number: the table gives it
      t.header.insert(t.header.begin(), "#");
      const std::size_t per_point = std::max<std::size_t>(1, t.rows.size() / sweep.points.size());
      for (std::size_t k = 0; k < t.rows.size(); ++k)  // a row per point and workload
        t.rows[k].insert(t.rows[k].begin(), std::to_string(k / per_point));
    }
    body << "<h3>" << to_string(first.runs[i].mode) << "</h3>\n" << html_table(t.header, t.rows);
  }
  if (const auto warnings = sweep_warnings(sweep); !warnings.empty()) {
    body << "<h2>Warnings</h2>\n<ul class=\"warnings\">\n";
    for (const auto& w : warnings) body << "<li>" << escape(w) << "</li>\n";
    body << "</ul>\n";
  }
  return html_document("svcsim: sweep of " + sweep.scenario, body.str());
}

}  // namespace svcsim
