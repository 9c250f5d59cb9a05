#include "report/text_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <vector>

#include "engine/replicate.hpp"
#include "report/format.hpp"

namespace svcsim {
namespace {

constexpr int label_width = 26;
constexpr int value_width = 14;

std::string whole(double x) { return fmt("%.0f", x); }
std::string num(double x) { return fmt(std::fabs(x) < 100 ? "%.2f" : "%.1f", x); }

class table {
 public:
  explicit table(const report& r)
      : r_(r), width_(r.replicas.empty() ? value_width : value_width + 8) {}

  void heading(const std::string& title) {
    out_ << "\n" << pad(title, label_width);
    for (const auto& run : r_.runs) out_ << lpad(to_string(run.mode), width_);
    if (diff()) out_ << lpad("async-sync", value_width + 8);
    out_ << "\n";
  }

  // A row of one numeric metric: `get` reads it from a run (NaN: nothing measured, shown as
  // "-"), `show` formats it. With replications, a cell is the mean over the replications that
  // measured it and the half-width of its 95% interval.
  void row(const std::string& label, const std::function<double(const run_result&)>& get,
           std::string (*show)(double)) {
    out_ << "  " << pad(label, label_width - 2);
    std::vector<double> means;
    for (std::size_t i = 0; i < r_.runs.size(); ++i) {
      std::vector<double> xs;
      if (r_.replicas.empty()) xs.push_back(get(r_.runs[i]));
      for (const auto& rep : r_.replicas.empty() ? std::vector<run_result>{} : r_.replicas[i])
        xs.push_back(get(rep));
      xs.erase(std::remove_if(xs.begin(), xs.end(), [](double x) { return std::isnan(x); }),
               xs.end());
      double sum = 0, squares = 0;
      for (double x : xs) sum += x;
      const int n = static_cast<int>(xs.size());
      means.push_back(n ? sum / n : std::nan(""));
      for (double x : xs) squares += (x - means.back()) * (x - means.back());
      std::string cell = n ? show(means.back()) : "-";
      if (n && !r_.replicas.empty())
        cell += " ± " + show(ci95_half_width(std::sqrt(squares / std::max(n - 1, 1)), n));
      out_ << lpad(cell, width_);
    }
    if (diff() && !std::isnan(means[0]) && !std::isnan(means[1])) {
      const double a = means[0], b = means[1];
      std::string d = show(b - a);
      if (b - a >= 0) d = "+" + d;
      if (show == pct)  // a difference of shares is in percentage points
        d = d.substr(0, d.size() - 1) + " pt";
      else if (a != 0 && b != a)
        d += fmt(" (%+.0f%%)", 100 * (b - a) / std::fabs(a));
      out_ << lpad(d, value_width + 8);
    }
    out_ << "\n";
  }

  std::ostringstream& out() { return out_; }

 private:
  bool diff() const { return r_.runs.size() == 2; }
  const report& r_;
  const int width_;  // of a value column
  std::ostringstream out_;
};

// NaN when nothing was measured.
double measured(const percentiles& p, double percentiles::*field) {
  return p.count ? p.*field : std::nan("");
}

void percentile_rows(table& t, const std::string& what,
                     const std::function<const percentiles&(const run_result&)>& get) {
  t.row(
      what + " mean", [&](const run_result& r) { return measured(get(r), &percentiles::mean); },
      ms);
  t.row(
      what + " p50", [&](const run_result& r) { return measured(get(r), &percentiles::p50); }, ms);
  t.row(
      what + " p90", [&](const run_result& r) { return measured(get(r), &percentiles::p90); }, ms);
  t.row(
      what + " p99", [&](const run_result& r) { return measured(get(r), &percentiles::p99); }, ms);
  t.row(
      what + " p99.9", [&](const run_result& r) { return measured(get(r), &percentiles::p999); },
      ms);
  t.row(
      what + " max", [&](const run_result& r) { return measured(get(r), &percentiles::max); }, ms);
}

void summary(table& t, const report& r) {
  auto& out = t.out();
  out << "svcsim " << SVCSIM_VERSION << " - scenario " << r.scenario << ", seed " << r.seed << ", "
      << r.clock << " clock";
  if (!r.replicas.empty())
    out << ", " << r.replicas.front().size()
        << " replications (mean ± half-width of the 95% confidence interval)";
  out << "\n";
  for (const auto& run : r.runs)
    out << "  " << to_string(run.mode) << ": " << fmt("%.3f", run.sim_time_s) << " s simulated ("
        << fmt("%.3f", run.measured_s) << " s measured) in " << fmt("%.2f", run.wall_time_s)
        << " s, " << run.events << " events\n";
  for (const auto& run : r.runs)
    for (const auto& w : run.warnings)
      out << "  warning (" << to_string(run.mode) << "): " << w << "\n";
}

}  // namespace

std::string to_text(const report& r) {
  table t(r);
  summary(t, r);
  const auto& first = r.runs.front();
  for (std::size_t i = 0; i < first.workloads.size(); ++i) {
    t.heading("workload " + first.workloads[i].name);
    auto w = [i](const run_result& run) -> const workload_result& { return run.workloads[i]; };
    t.row(
        "requests", [&](const run_result& x) { return double(w(x).requests); }, whole);
    t.row(
        "ok", [&](const run_result& x) { return double(w(x).ok); }, whole);
    t.row(
        "failed", [&](const run_result& x) { return double(w(x).failed); }, whole);
    t.row(
        "unfinished", [&](const run_result& x) { return double(w(x).unfinished); }, whole);
    t.row(
        "ok, effects pending", [&](const run_result& x) { return double(w(x).incomplete); }, whole);
    t.row(
        "availability", [&](const run_result& x) { return w(x).availability; }, pct);
    t.row(
        "throughput (req/s)", [&](const run_result& x) { return w(x).throughput_rps; }, num);
    percentile_rows(t, "latency ms",
                    [&](const run_result& x) -> const percentiles& { return w(x).latency_ms; });
    percentile_rows(t, "completion ms",
                    [&](const run_result& x) -> const percentiles& { return w(x).completion_ms; });
  }
  for (std::size_t i = 0; i < first.services.size(); ++i) {
    t.heading("service " + first.services[i].name);
    auto s = [i](const run_result& run) -> const service_result& { return run.services[i]; };
    t.row(
        "served", [&](const run_result& x) { return double(s(x).served); }, whole);
    t.row(
        "rejected", [&](const run_result& x) { return double(s(x).rejected); }, whole);
    t.row(
        "errors", [&](const run_result& x) { return double(s(x).errors); }, whole);
    // A caller's resilience counters, shown only when some run has them.
    const std::pair<const char*, std::int64_t service_result::*> caller_counts[] = {
        {"timeouts", &service_result::timeouts},
        {"retries", &service_result::retries},
        {"short-circuited", &service_result::short_circuited}};
    for (const auto& [label, field] : caller_counts) {
      bool any = false;
      for (const auto& run : r.runs) any = any || s(run).*field != 0;
      if (any)
        t.row(
            label, [&, field = field](const run_result& x) { return double(s(x).*field); },
            whole);
    }
    t.row(
        "utilization", [&](const run_result& x) { return s(x).utilization; }, pct);
    t.row(
        "queue mean", [&](const run_result& x) { return s(x).queue_mean; }, num);
    t.row(
        "queue max", [&](const run_result& x) { return double(s(x).queue_max); }, whole);
    t.row(
        "knows (ce)", [&](const run_result& x) { return double(s(x).ce); }, whole);
    t.row(
        "known by (ca)", [&](const run_result& x) { return double(s(x).ca); }, whole);
  }
  for (std::size_t i = 0; i < first.topics.size(); ++i) {
    t.heading("topic " + first.topics[i].name);
    auto p = [i](const run_result& run) -> const topic_result& { return run.topics[i]; };
    t.row(
        "published", [&](const run_result& x) { return double(p(x).published); }, whole);
    t.row(
        "delivered", [&](const run_result& x) { return double(p(x).delivered); }, whole);
    t.row(
        "lost", [&](const run_result& x) { return double(p(x).lost); }, whole);
    t.row(
        "redelivered", [&](const run_result& x) { return double(p(x).redelivered); }, whole);
    t.row(
        "backlog max", [&](const run_result& x) { return double(p(x).backlog_max); }, whole);
    percentile_rows(t, "lag ms",
                    [&](const run_result& x) -> const percentiles& { return p(x).lag_ms; });
  }
  auto& out = t.out();
  out << "\ncoupling: whom each service must know\n";
  for (std::size_t i = 0; i < first.services.size(); ++i) {
    out << "  " << first.services[i].name << "\n";
    for (const auto& run : r.runs)
      out << "    " << to_string(run.mode) << ": " << join(run.services[i].knows) << "\n";
  }
  return out.str();
}

}  // namespace svcsim
