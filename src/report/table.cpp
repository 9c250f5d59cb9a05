#include "report/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "report/markup.hpp"
#include "report/metric_rows.hpp"
#include "studies/mean_ci.hpp"

namespace svcsim {
namespace {

constexpr int label_width = 26;
constexpr int value_width = 14;
// Beyond +1000% the base is too small for a percent to mean anything.
constexpr double max_relative_change = 10;

// Whether x as written is precise enough to be the base of a percent: written exactly, or its
// last digit worth at most 10% of it ("0.05" is not: 0.045 to 0.055).
bool precise_base(std::string (*show)(double), double x) {
  const std::string text = show(x);
  const double shown = std::fabs(std::strtod(text.c_str(), nullptr));
  if (shown == 0) return false;
  if (shown == std::fabs(x)) return true;
  const auto point = text.find('.');
  const int decimals = point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
  return std::pow(10.0, -decimals) <= 0.1 * shown;
}

}  // namespace

std::string whole(double x) { return fmt("%.0f", x); }
std::string num(double x) { return fmt(std::fabs(x) < 100 ? "%.2f" : "%.1f", x); }

std::string (*cell_format(metric_format f))(double) {
  switch (f) {
    case metric_format::count:
      return whole;
    case metric_format::share:
      return pct;
    case metric_format::percentiles:
      return ms;
    default:
      return num;
  }
}

table::table(const report& r, bool first_replication_only, style as)
    : r_(r),
      style_(as),
      replicas_(!r.replicas.empty() && !first_replication_only),
      width_(r.replicas.empty() ? value_width : value_width + 8) {}  // as the other tables

std::string table::lost_most(const std::function<span_summary(const run_result&)>& answered,
                             const std::string& what) const {
  if (!diff()) return "";
  std::vector<std::string> lost;
  std::int64_t all_ok = 0, all_failed = 0;
  for (std::size_t i = 0; i < r_.runs.size(); ++i) {
    std::int64_t ok = 0, failed = 0;
    const auto add = [&](const run_result& run) {
      const span_summary a = answered(run);
      ok += a.ok;
      failed += a.failed;
    };
    if (replicas_)
      for (const auto& rep : r_.replicas[i]) add(rep);
    else
      add(r_.runs[i]);
    if (failed <= ok) continue;
    lost.push_back(r_.runs[i].label());
    all_ok += ok;
    all_failed += failed;
  }
  if (lost.empty()) return "";
  const std::string who = join(lost, " and ");
  if (all_ok == 0) return who + " lost all requests: no " + what;
  const std::string share =
      lost.size() == 1 ? " (" + pct(static_cast<double>(all_ok) / (all_ok + all_failed)) + " ok)"
                       : "";
  return who + " lost most requests" + share + ": " + what + " of the few ok ones, not compared";
}

void table::heading(const std::string& title) {
  if (style_ == style::html) {
    close();
    out_ << "<h4>" << escape(title) << "</h4>\n<table class=\"metrics\"><thead><tr><th>metric</th>";
    for (const auto& run : r_.runs) out_ << "<th>" << escape(run.label()) << "</th>";
    for (std::size_t i = 1; i < r_.runs.size(); ++i)
      out_ << "<th>" << escape(difference_label(i)) << "</th>";
    out_ << "</tr></thead><tbody>\n";
    open_ = true;
    return;
  }
  if (style_ == style::markdown) {
    out_ << "\n#### " << title << "\n\n| metric |";
    for (const auto& run : r_.runs) out_ << " " << run.label() << " |";
    for (std::size_t i = 1; i < r_.runs.size(); ++i) out_ << " " << difference_label(i) << " |";
    out_ << "\n| --- |";
    for (std::size_t i = 0; i < 2 * r_.runs.size() - 1; ++i) out_ << " ---: |";
    out_ << "\n";
    return;
  }
  out_ << "\n" << pad(title, label_width);
  for (std::size_t i = 0; i < r_.runs.size(); ++i) out_ << lpad(r_.runs[i].label(), width(i));
  for (std::size_t i = 1; i < r_.runs.size(); ++i)
    out_ << lpad(difference_label(i), difference_width(i));
  out_ << "\n";
}

void table::row(const std::string& label, const std::function<double(const run_result&)>& get,
                std::string (*show)(double), bool differ) {
  const bool md = style_ == style::markdown, html = style_ == style::html;
  // A cell after the label: between `|`, in <td>, or padded to the column.
  const auto put = [&](const std::string& cell, int width) {
    if (md)
      out_ << " " << cell << " |";
    else if (html)
      out_ << "<td>" << escape(cell) << "</td>";
    else
      out_ << lpad(cell, width);
  };
  if (md)
    out_ << "| " << label << " |";
  else if (html)
    out_ << "<tr><th>" << escape(label) << "</th>";
  else
    out_ << "  " << pad(label, label_width - 2);
  std::vector<double> means;
  for (std::size_t i = 0; i < r_.runs.size(); ++i) {
    std::vector<double> xs;
    static const std::vector<run_result> none;
    if (!replicas_) xs.push_back(get(r_.runs[i]));
    for (const auto& rep : replicas_ ? r_.replicas[i] : none) xs.push_back(get(rep));  // no copy
    const auto m = mean_ci(xs);
    means.push_back(m.mean);
    std::string cell = m.n ? show(m.mean) : "-";
    if (m.n && replicas_) cell += " ± " + show(m.half);
    put(cell, width(i));
  }
  std::string blanks;  // text: the empty difference cells before the next one written
  for (std::size_t i = 1; i < means.size(); ++i) {
    if (!differ || !std::isfinite(means[0]) || !std::isfinite(means[i])) {
      if (md || html)
        out_ << (md ? " |" : "<td></td>");
      else
        blanks += std::string(static_cast<std::size_t>(difference_width(i)), ' ');
      continue;
    }
    out_ << blanks;
    blanks.clear();
    const double a = means[0], b = means[i];
    std::string d = show(b - a);
    if (b - a >= 0) d = "+" + d;
    if (show == pct)  // a difference of shares is in percentage points
      d = d.substr(0, d.size() - 1) + " pt";
    else if (b != a && precise_base(show, a) &&
             std::fabs(b - a) <= max_relative_change * std::fabs(a))
      d += fmt(" (%+.0f%%)", 100 * (b - a) / std::fabs(a));
    put(d, difference_width(i));
  }
  out_ << (html ? "</tr>\n" : "\n");
}

std::string table::difference_label(std::size_t i) const {
  return r_.runs[i].label() + "-" + r_.runs[0].label();
}

int table::width(std::size_t i) const {
  return std::max(width_, static_cast<int>(r_.runs[i].label().size()) + 2);
}

int table::difference_width(std::size_t i) const {
  return std::max(value_width + 8, static_cast<int>(difference_label(i).size()) + 2);
}

void table::close() {
  if (open_) out_ << "</tbody></table>\n";
  open_ = false;
}

void table::note(const std::string& text) {
  if (style_ == style::html) {
    close();
    out_ << "<p class=\"note\">(" << escape(text) << ")</p>\n";
  } else if (style_ == style::markdown) {
    out_ << "\n*(" << text << ")*\n";
  } else {
    out_ << "  (" << text << ")\n";
  }
}

std::string name_across_runs(const report& r,
                             const std::function<std::string(const run_result&)>& of) {
  const std::string first = of(r.runs.front());
  std::string each;
  bool same = true;
  for (const auto& run : r.runs) {
    same = same && of(run) == first;
    each += (each.empty() ? "" : ", ") + of(run) + " (" + run.label() + ")";
  }
  // With replications the cells are means, but a name is the first replication's.
  return (same ? first : each) + (r.replicas.empty() ? "" : " (in replication 1)");
}

void metric_tables(table& t, const report& r) {
  const auto& first = r.runs.front();
  // note: what ends the entity's table; a workload's lost_most(), a split service's busiest
  std::string entity, note;
  for (const auto& row : metric_rows(first)) {
    if (row.kind == "instance" || row.csv_only) continue;  // the spread rows say enough
    bool any = row.shown != metric_shown::when_some_run_has_it;
    for (const auto& run : r.runs) any = any || row.get(run) != 0;
    if (!any) continue;
    if (row.kind + " " + row.entity != entity) {
      if (!note.empty()) t.note(note);
      note.clear();
      entity = row.kind + " " + row.entity;
      t.heading(row.kind == "broker" ? row.entity : entity);
      for (std::size_t i = 0; i < first.workloads.size(); ++i)
        if (row.kind == "workload" && first.workloads[i].name == row.entity)
          note = t.lost_most([i](const run_result& x) { return answered(x.workloads[i]); },
                             "latency and completion");
      for (std::size_t i = 0; i < first.services.size(); ++i)
        if (row.kind == "service" && first.services[i].name == row.entity &&
            is_split(first.services[i]))
          note = "busiest instance: " +
                 name_across_runs(r, [i](const run_result& x) { return x.services[i].busiest; });
    }
    // Percentiles of a workload count its ok requests only.
    const bool ok_only = row.kind == "workload" && row.format == metric_format::percentiles;
    t.row(row.label, row.get, cell_format(row.format), !(ok_only && !note.empty()));
  }
  if (!note.empty()) t.note(note);
  t.close();
}

}  // namespace svcsim
