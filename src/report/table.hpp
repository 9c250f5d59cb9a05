// The table of the report for people: one value column per run (for `compare`, sync then
// async, or its designs), then per run after the first its difference from the first (async -
// sync), one row per metric, and the cell formats. Written as aligned text, as GitHub-flavoured
// Markdown tables (same cells, `|` between them), or as HTML tables (same cells, escaped; close()
// ends the last one).
#pragma once

#include <functional>
#include <sstream>
#include <string>

#include "engine/results.hpp"
#include "report/format.hpp"
#include "report/metrics.hpp"

namespace svcsim {

// Cell formats beside format.hpp's fmt, ms and pct.
std::string whole(double x);  // a count
std::string num(double x);    // any other number
// How a metric of metrics.hpp's table is written: whole, pct, ms or num.
std::string (*cell_format(metric_format f))(double);

// A workload's ok and failed requests, as table::lost_most reads them.
inline span_summary answered(const workload_result& w) {
  span_summary s;
  s.ok = w.ok;
  s.failed = w.failed;
  return s;
}

class table {
 public:
  // `first_replication_only`: cells show replication 0 alone, as for the timeline.
  enum class style { text, markdown, html };
  explicit table(const report& r, bool first_replication_only = false, style as = style::text);

  // A blank line, then `title` over the run columns' headings.
  void heading(const std::string& title);
  // HTML: ends the table the last heading began (a heading ends the one before itself).
  void close();

  // A line under the rows so far, in parentheses, that says something about them (lost_most's
  // reason); in Markdown and HTML it ends the table, so it goes after an entity's last row.
  void note(const std::string& text);

  // A row of one numeric metric: `get` reads it from a run (NaN: nothing measured, shown as
  // "-"), `show` formats it. With replications, a cell is the mean over the replications that
  // measured it and the half-width of its 95% interval. `differ`: show each run's difference
  // from the first (async - sync), and the change in percent of the first unless the base is too
  // small for one: when the first cell is too coarse to be a base (0.00, 0.05: its last digit is
  // worth more than 10% of it) or the change exceeds +1000%, the difference alone.
  void row(const std::string& label, const std::function<double(const run_result&)>& get,
           std::string (*show)(double), bool differ = true);

  // When a column lost most of some requests (more failed than ok, summed over the replications
  // its cells show), `what` it shows of them (their latency) is that of the few ok ones, not to
  // be compared with the other column's: the rows showing it are then written with differ =
  // false, and this says why, e.g. "sync lost most requests (0.05% ok): p99 of the few ok ones,
  // not compared" or "async lost all requests: no p99"; "" when no column lost most, or there
  // is one column. `answered`: the requests' ok and failed in a run.
  std::string lost_most(const std::function<span_summary(const run_result&)>& answered,
                        const std::string& what) const;

  std::ostringstream& out() { return out_; }

 private:
  bool diff() const { return r_.runs.size() >= 2; }
  // "async-sync": the heading of run i's difference from the first.
  std::string difference_label(std::size_t i) const;
  // Of run i's column (wider than the others when its label is), and of its difference's.
  int width(std::size_t i) const;
  int difference_width(std::size_t i) const;
  const report& r_;
  const style style_;
  const bool replicas_;  // cells are means over replications
  const int width_;      // of a value column
  bool open_ = false;    // HTML: a table is open
  std::ostringstream out_;
};

// A name each run gives (the busiest instance): once when every run gives the same, else each
// with its run's label, "a (sync), b (async)"; with replications, the first's, and it says so.
std::string name_across_runs(const report& r,
                             const std::function<std::string(const run_result&)>& of);

// Every metric row of the report's runs (metric_rows.hpp) that some run has, under a heading
// per entity ("workload signup", "broker"), a service of several instances followed by its
// busiest: the Markdown and HTML reports' tables.
void metric_tables(table& t, const report& r);

}  // namespace svcsim
