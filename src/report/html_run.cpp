// The HTML page of `run` and `compare` (html_report.hpp).
#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include "report/failure_text.hpp"
#include "report/format.hpp"
#include "report/graph_svg.hpp"
#include "report/html_page.hpp"
#include "report/html_report.hpp"
#include "report/markup.hpp"
#include "report/svg.hpp"
#include "report/table.hpp"
#include "report/text_report.hpp"
#include "studies/describe_failure.hpp"

namespace svcsim {
namespace {

// "sync mode", or "design NAME" for a run of a named design.
std::string in_words(const run_result& run) {
  return run.design.empty() ? run.label() + " mode" : "design " + run.design;
}

// The end of a run's timeline: the run's end (its last bucket may reach past it).
double timeline_end(const run_result& run) { return run.sim_time_s; }

// The part of bucket `k` inside the run: a whole bucket but for the last, cut by the run's end.
double covered(const run_result& run, std::size_t k) {
  const auto& tl = run.timeline;
  return std::clamp(run.sim_time_s - tl.t_s[k], 0.0, tl.bucket_s);
}

// A chart against simulated time from 0 to `end`, the run's failure windows shaded and named.
chart over_time(const run_result& run, const std::string& kind, const std::string& title,
                const std::string& y_label, double end) {
  chart c(kind, title, "simulated time s", y_label);
  c.x_span(0, end);
  c.y_from_zero();
  for (const auto& w : run.timeline.windows)
    c.band(w.at_s, w.failure.length ? w.end_s : end,
           failed_party(run, w.failure) + " " + failure_kind_text(w.failure));
  return c;
}

// One series per bucket, at the middle of its part inside the run: `value(k, seconds)` (NaN:
// none), `seconds` that part's length (a rate divides by it). A last bucket less than half
// inside the run is left out: a few replies in a sliver of a second are no rate.
points per_bucket(const run_result& run, const std::function<double(std::size_t, double)>& value) {
  const auto& tl = run.timeline;
  points out;
  for (std::size_t k = 0; k < tl.t_s.size(); ++k) {
    const double seconds = covered(run, k);
    if (seconds < tl.bucket_s / 2) continue;
    out.emplace_back(tl.t_s[k] + seconds / 2, value(k, seconds));
  }
  return out;
}

// The highest finite y of the series, over every run (so that the modes share a scale).
double highest(const report& r, const std::function<points(const run_result&)>& series_of) {
  double top = 0;
  for (const auto& run : r.runs)
    for (const auto& [x, y] : series_of(run))
      if (std::isfinite(y)) top = std::max(top, y);
  return top;
}

std::string header(const report& r) {
  std::ostringstream out;
  out << "<h1>svcsim " << SVCSIM_VERSION << ": scenario " << escape(r.scenario) << "</h1>\n"
      << "<p class=\"lead\">seed " << r.seed << ", " << escape(r.clock) << " clock";
  if (!r.replicas.empty())
    out << ", " << r.replicas.front().size()
        << " replications (tables: mean ± half-width of the 95% interval; charts: replication 0)";
  out << "</p>\n<ul>\n";
  for (const auto& set : r.settings) out << "<li>set: " << escape(set) << "</li>\n";
  for (const auto& load : r.loads) out << "<li>load " << escape(load) << "</li>\n";
  for (const auto& run : r.runs)
    out << "<li>" << escape(run.label()) << ": " << fmt("%.3f", run.sim_time_s) << " s simulated ("
        << fmt("%.3f", run.measured_s) << " s measured), " << run.events << " events</li>\n";
  out << "</ul>\n";
  return out.str();
}

std::string latency_cdf(const report& r) {
  chart c("cdf", "latency of ok requests: share at most x", "latency ms", "share of requests");
  c.log_x();
  c.y_from_zero();
  c.y_max(1);
  c.if_empty(r.runs.size() > 1 ? "no ok request in any mode: no latency to draw"
                               : "no ok request in " + r.runs[0].label() + ": no latency to draw");
  const auto& workloads = r.runs.front().workloads;
  for (std::size_t w = 0; w < workloads.size(); ++w)
    for (std::size_t i = 0; i < r.runs.size(); ++i) {
      const auto& run = r.runs[i];
      std::string name = run.label();
      if (workloads.size() > 1) name += " " + workloads[w].name;
      c.line(name, run.workloads[w].latency_cdf, static_cast<int>(w * r.runs.size() + i),
             run.mode == mode::async);
    }
  if (!c.drawn()) return "<h2>Latency</h2>\n" + c.svg();
  return "<h2>Latency</h2>\n<figure>" + c.svg() +
         "<figcaption>For each latency x, the share of ok requests answered within x "
         "(measured window)." +
         (r.runs.size() > 1 ? " Solid: sync, dashed: async." : "") +
         (c.clamped()
              ? " Latencies of 0 ms are drawn at the axis's left end (a log scale has no 0)."
              : "") +
         "</figcaption></figure>\n";
}

// One row of charts, one per mode, all on the same y scale. With one mode, its chart alone:
// timelines() puts them side by side.
std::string chart_row(const report& r, const std::string& heading,
                      const std::function<std::string(const run_result&)>& chart_of) {
  if (r.runs.size() == 1) return "<figure>" + chart_of(r.runs.front()) + "</figure>\n";
  std::string out = "<h3>" + heading + "</h3>\n<div class=\"row\">\n";
  for (const auto& run : r.runs) out += "<figure>" + chart_of(run) + "</figure>\n";
  return out + "</div>\n";
}

std::string timelines(const report& r) {
  const auto& first = r.runs.front();
  const auto& workloads = first.workloads;
  double end = 0;
  for (const auto& run : r.runs) end = std::max(end, timeline_end(run));
  const auto titled = [](const run_result& run, const std::string& what) {
    return what + " (" + run.label() + ")";
  };
  const std::string intro =
      "<h2>Over time</h2>\n<p class=\"muted\">Per " + fmt("%g", first.timeline.bucket_s) +
      " s bucket of simulated time, warm-up included" +
      (r.replicas.empty() ? "" : ", replication 0") +
      (first.timeline.windows.empty() ? "" : ". Shaded: the scenario's failure windows") +
      ".</p>\n";
  // With one mode, its charts side by side in one row.
  const auto framed = [&](const std::string& charts) {
    return intro + (r.runs.size() > 1 ? charts : "<div class=\"row\">\n" + charts + "</div>\n");
  };
  std::string out;

  // Throughput, and the offered rate of a rate profile as steps.
  const auto ok_per_s = [&](const run_result& run, std::size_t w) {
    const auto& tl = run.timeline;
    return per_bucket(run, [&](std::size_t k, double seconds) {
      return static_cast<double>(tl.workloads[w].ok[k]) / seconds;
    });
  };
  const auto offered = [&](const run_result& run, std::size_t w) {
    const auto& tl = run.timeline;
    points out;
    const auto& rate = tl.workloads[w].rate_per_s;
    for (std::size_t k = 0; k < rate.size(); ++k) out.emplace_back(tl.t_s[k], rate[k]);
    if (!rate.empty()) out.emplace_back(timeline_end(run), rate.back());
    return out;
  };
  const double rate_top = highest(r, [&](const run_result& run) {
    points all;
    for (std::size_t w = 0; w < workloads.size(); ++w) {
      for (const auto& p : ok_per_s(run, w)) all.push_back(p);
      for (const auto& p : offered(run, w)) all.push_back(p);
    }
    return all;
  });
  out += chart_row(r, "Throughput", [&](const run_result& run) {
    auto c = over_time(run, "throughput", titled(run, "ok replies per second"), "ok/s", end);
    c.y_max(rate_top);
    for (std::size_t w = 0; w < workloads.size(); ++w) {
      if (!run.timeline.workloads[w].rate_per_s.empty())
        c.line("offered " + workloads[w].name, offered(run, w), static_cast<int>(w), true, true);
      c.line(workloads[w].name, ok_per_s(run, w), static_cast<int>(w));
    }
    return c.svg();
  });

  const auto p99 = [&](const run_result& run, std::size_t w) {
    const auto& tl = run.timeline;
    return per_bucket(run, [&](std::size_t k, double) { return tl.workloads[w].p99_ms[k]; });
  };
  const double p99_top = highest(r, [&](const run_result& run) {
    points all;
    for (std::size_t w = 0; w < workloads.size(); ++w)
      for (const auto& p : p99(run, w)) all.push_back(p);
    return all;
  });
  out += chart_row(r, "Latency p99", [&](const run_result& run) {
    auto c = over_time(run, "p99", titled(run, "p99 latency of ok replies"), "ms", end);
    c.y_max(p99_top);
    c.if_empty("no ok request in " + run.label() + ": no latency to draw");
    for (std::size_t w = 0; w < workloads.size(); ++w)
      c.line(workloads[w].name, p99(run, w), static_cast<int>(w));
    return c.svg();
  });

  const auto failed_per_s = [&](const run_result& run, std::size_t w) {
    const auto& tl = run.timeline;
    return per_bucket(run, [&](std::size_t k, double seconds) {
      return static_cast<double>(tl.workloads[w].failed[k]) / seconds;
    });
  };
  const double failed_top = highest(r, [&](const run_result& run) {
    points all;
    for (std::size_t w = 0; w < workloads.size(); ++w)
      for (const auto& p : failed_per_s(run, w)) all.push_back(p);
    return all;
  });
  if (failed_top == 0)
    out += r.runs.size() > 1 ? "<h3>Failures</h3>\n<p>No request failed in any run.</p>\n"
                             : "<p>No request failed.</p>\n";
  else
    out += chart_row(r, "Failures", [&](const run_result& run) {
      auto c =
          over_time(run, "failures", titled(run, "failed replies per second"), "failed/s", end);
      c.y_max(std::max(failed_top, 1.0));
      for (std::size_t w = 0; w < workloads.size(); ++w)
        c.line(workloads[w].name, failed_per_s(run, w), static_cast<int>(w));
      return c.svg();
    });

  // The broker's backlog, per topic, in the runs that have a broker.
  bool broker = false;
  for (const auto& run : r.runs) broker = broker || run.graph.broker;
  if (!broker) return framed(out);
  const auto backlog = [&](const run_result& run, std::size_t t) {
    const auto& tl = run.timeline;
    points out;
    const auto& held = tl.topics[t].backlog_max;
    for (std::size_t k = 0; k < held.size(); ++k)
      out.emplace_back(tl.t_s[k], static_cast<double>(held[k]));
    if (!held.empty()) out.emplace_back(timeline_end(run), held.back());
    return out;
  };
  const double backlog_top = highest(r, [&](const run_result& run) {
    points all;
    for (std::size_t t = 0; t < first.topics.size(); ++t)
      for (const auto& p : backlog(run, t)) all.push_back(p);
    return all;
  });
  out += chart_row(r, "Broker backlog", [&](const run_result& run) {
    if (!run.graph.broker)
      return "<p>No broker in " + escape(in_words(run)) + ": every notify is a call.</p>";
    auto c =
        over_time(run, "backlog", titled(run, "most messages held by the broker"), "messages", end);
    c.y_max(std::max(backlog_top, 1.0));
    for (std::size_t t = 0; t < first.topics.size(); ++t)
      c.line(first.topics[t].name, backlog(run, t), static_cast<int>(t), false, true);
    return c.svg();
  });
  return framed(out);
}

// At their natural size, side by side while they fit (a wide one gets a line of its own).
std::string graphs(const report& r) {
  std::vector<std::string> names;
  for (const auto& s : r.runs.front().services) names.push_back(s.name);
  std::string out = "<h2>Dependencies</h2>\n<div class=\"graphs\">\n";
  for (const auto& run : r.runs)
    out += "<figure>" + graph_svg(run.graph, names, "dependencies in " + in_words(run)) +
           "</figure>\n";
  return out + "</div>\n";
}

std::string warnings(const report& r) {
  std::string out;
  for (const auto& run : r.runs)
    for (const auto& w : run.warnings)
      out += "<li>(" + escape(run.label()) + ") " + escape(w) + "</li>\n";
  return out.empty() ? "" : "<h2>Warnings</h2>\n<ul class=\"warnings\">\n" + out + "</ul>\n";
}

std::string who_knows_whom(const report& r) {
  std::vector<std::string> head = {"service"};
  for (const auto& run : r.runs) head.push_back(run.label());
  std::vector<std::vector<std::string>> rows;
  const auto& first = r.runs.front();
  for (std::size_t i = 0; i < first.services.size(); ++i) {
    rows.push_back({first.services[i].name});
    for (const auto& run : r.runs) rows.back().push_back(join(run.services[i].knows));
  }
  bool broker = false;
  for (const auto& run : r.runs) broker = broker || run.broker_coupling.ca > 0;
  if (broker) {
    rows.push_back({"the broker is known by"});
    for (const auto& run : r.runs) rows.back().push_back(join(run.broker_coupling.known_by));
  }
  return "<h3>Coupling: whom each service must know</h3>\n" + html_table(head, rows, "text");
}

}  // namespace

std::string to_html(const report& r) {
  std::string body = header(r) + warnings(r) + latency_cdf(r) + timelines(r) + graphs(r);
  table t(r, false, table::style::html);
  metric_tables(t, r);
  body += "<h2>Tables</h2>\n<div class=\"tables\">\n" + t.out().str() + "</div>\n";
  if (std::string failures = failure_text(r); !failures.empty()) {
    failures.erase(0, failures.find_first_not_of('\n'));
    body += "<h3>Around failures</h3>\n<pre>" + escape(failures) + "</pre>\n";
  }
  body += who_knows_whom(r);
  if (r.legend) {
    std::string terms = legend_text(r);
    terms.erase(0, terms.find("\n  ") + 1);  // without its heading
    body += "<h3>Terms</h3>\n<pre>" + escape(terms) + "</pre>\n";
  }
  return html_document("svcsim: " + r.scenario, body);
}

}  // namespace svcsim
