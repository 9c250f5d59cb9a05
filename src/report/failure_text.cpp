#include "report/failure_text.hpp"

#include <cmath>
#include <functional>
#include <limits>

#include "report/metrics.hpp"
#include "report/table.hpp"
#include "studies/describe_failure.hpp"

namespace svcsim {
namespace {

std::string seconds(double s) { return fmt("%.3f s", s); }

// A time, or +inf for "never".
std::string moment(double s) { return std::isinf(s) ? "not by the end" : seconds(s); }

double availability(const span_summary& s) {
  return s.ok + s.failed ? static_cast<double>(s.ok) / static_cast<double>(s.ok + s.failed)
                         : std::numeric_limits<double>::quiet_NaN();
}

using span_of = span_summary failure_window::workload_spans::*;
const std::pair<const char*, span_of> spans[] = {
    {"before", &failure_window::workload_spans::before},
    {"during", &failure_window::workload_spans::during},
    {"after", &failure_window::workload_spans::after}};

// The one line that names failure `f` and its spans, from the first run.
std::string title(const report& r, std::size_t f) {
  const auto& run = r.runs.front();
  const auto& w = run.timeline.windows[f];
  std::string out = "\nfailure " + failed_party(run, w.failure) + " " +
                    failure_kind_text(w.failure) + " from " + seconds(w.at_s);
  if (w.failure.length)
    out += " to " + seconds(w.end_s) + ": spans of " + seconds(w.at_s - w.before_s) +
           " before, during, after";
  else
    out += " to the end: before from 0 s";
  out += "; " + fmt("%g s", run.timeline.bucket_s) + " buckets";
  if (!r.replicas.empty()) out += "; replication 0";
  return out + "\n";
}

// The rows of one backlog (a topic's, or a subscription's) around a failure window.
void backlog_rows(
    table& t, const std::string& indent,
    const std::function<const failure_window::backlog_spans&(const run_result&)>& spans) {
  t.row(
      indent + "backlog max before",
      [&](const run_result& x) { return double(spans(x).before_max); }, whole);
  t.row(
      indent + "backlog max during",
      [&](const run_result& x) { return double(spans(x).backlog_max); }, whole);
  t.row(
      indent + "caught up at", [&](const run_result& x) { return spans(x).caught_up_s; }, moment,
      false);
}

}  // namespace

std::string failure_text(const report& r) {
  if (r.runs.empty() || r.runs.front().timeline.windows.empty()) return "";
  table t(r, true);
  const auto& first = r.runs.front();
  for (std::size_t f = 0; f < first.timeline.windows.size(); ++f) {
    t.out() << title(r, f);
    auto window = [f](const run_result& x) -> const failure_window& {
      return x.timeline.windows[f];
    };
    for (std::size_t i = 0; i < first.workloads.size(); ++i) {
      t.heading("workload " + first.workloads[i].name);
      for (const auto& [label, span] : spans)
        t.row(
            std::string("availability ") + label,
            [&, span = span](const run_result& x) {
              return availability(window(x).workloads[i].*span);
            },
            pct);
      std::vector<std::string> notes;
      for (const auto& [label, span] : spans) {
        const auto answered = [&, span = span](const run_result& x) {
          return window(x).workloads[i].*span;
        };
        const std::string lost = t.lost_most(answered, "p99");
        if (!lost.empty()) notes.push_back(std::string(label) + ": " + lost);
        t.row(
            std::string("latency ms p99 ") + label,
            [&](const run_result& x) { return answered(x).p99_ms; }, ms, lost.empty());
      }
      for (const auto& note : notes) t.note(note);
    }
    for (std::size_t i = 0; i < first.topics.size(); ++i) {
      bool held = false;  // a topic the broker never held a message of says nothing
      for (const auto& run : r.runs)
        for (auto n : run.timeline.topics[i].backlog_max) held = held || n > 0;
      if (!held) continue;
      using spans_of = std::function<const failure_window::backlog_spans&(const run_result&)>;
      const auto topic = [&](const run_result& x) -> const failure_window::topic_spans& {
        return window(x).topics[i];
      };
      t.heading("topic " + first.topics[i].name);
      backlog_rows(t, "", topic);
      // Each subscription whose own backlog grew in the window, in some run, has the same rows.
      for (std::size_t j = 0; j < first.topics[i].subscriptions.size(); ++j) {
        const spans_of sub = [&, j](const run_result& x) -> const failure_window::backlog_spans& {
          return topic(x).subscriptions[j];
        };
        bool grew = false;
        for (const auto& run : r.runs) grew = grew || !std::isnan(sub(run).caught_up_s);
        if (!grew) continue;
        t.out() << "  " << subscription_metrics.heading << " "
                << first.topics[i].subscriptions[j].name << "\n";
        backlog_rows(t, "  ", sub);
      }
    }
  }
  return t.out().str();
}

}  // namespace svcsim
