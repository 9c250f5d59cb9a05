#include "studies/sweep.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <utility>

#include "studies/replicate.hpp"

namespace svcsim {
namespace {

// Every replication of run `run` of a point (the run alone without replications).
std::vector<const run_result*> replications_of(const report& point, std::size_t run) {
  std::vector<const run_result*> out;
  if (point.replicas.empty()) {
    out.push_back(&point.runs[run]);
  } else {
    for (const auto& rep : point.replicas[run]) out.push_back(&rep);
  }
  return out;
}

std::string number(const char* format, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

// Why point `p` is the knee of run `run`, or "" when it is not: availability, p99, backlog;
// `*sign` says which, and `*culprit` names what fell behind for a backlog.
std::string knee_reason(const sweep_result& r, std::size_t run, int p, knee_sign* sign,
                        std::string* culprit) {
  const report& here = r.points[static_cast<std::size_t>(p)].runs;
  const auto& workloads = here.runs[run].workloads;
  for (std::size_t w = 0; w < workloads.size(); ++w) {
    const double a =
        mean_over(here, run, [w](const run_result& x) { return x.workloads[w].availability; });
    *sign = knee_sign::availability;
    if (a < knee_availability)
      return "availability of " + workloads[w].name + " " + number("%.2f", 100 * a) + "%, below " +
             number("%.0f", 100 * knee_availability) + "%";
  }
  for (std::size_t w = 0; w < workloads.size(); ++w) {
    // The base: the first point that measured a p99 (a rate near 0 may answer nothing).
    const auto p99 = [w](const run_result& x) { return p99_of(x, w); };
    int at = 0;
    double base = std::nan("");
    for (; at < p && !(base > 0); ++at) base = mean_over(r.points[at].runs, run, p99);
    const double now = mean_over(here, run, p99);
    if (std::isnan(base) || std::isnan(now) || base <= 0 || now <= r.knee_factor * base) continue;
    *sign = knee_sign::latency;
    return "p99 of " + workloads[w].name + " " + number("%.1f", now) + " ms, " +
           number("%.1f", now / base) + "x its " + number("%.1f", base) + " ms at " +
           point_name(r, at - 1);
  }
  // A backlog that keeps growing in at least half of the replications.
  const auto reps = replications_of(here, run);
  std::vector<std::pair<std::string, int>> behind;
  for (const run_result* x : reps)
    for (const auto& name : x->falling_behind) {
      auto it = behind.begin();
      while (it != behind.end() && it->first != name) ++it;
      if (it == behind.end())
        behind.emplace_back(name, 1);
      else
        ++it->second;
    }
  *sign = knee_sign::backlog;
  for (const auto& [name, count] : behind)
    if (2 * count >= static_cast<int>(reps.size())) {
      *culprit = name.substr(0, name.find(" on "));  // "email on user.created": email
      return "the backlog of " + (name == "broker" ? std::string("the broker") : name) +
             " keeps growing" +
             (reps.size() > 1 ? " (in " + std::to_string(count) + " of " +
                                    std::to_string(reps.size()) + " replications)"
                              : std::string());
    }
  return "";
}

}  // namespace

double mean_over(const report& point, std::size_t run,
                 const std::function<double(const run_result&)>& get) {
  double sum = 0;
  int n = 0;
  for (const run_result* r : replications_of(point, run)) {
    const double x = get(*r);
    if (std::isnan(x)) continue;
    sum += x;
    ++n;
  }
  return n ? sum / n : std::nan("");
}

double p99_of(const run_result& r, std::size_t workload) {
  const auto& p = r.workloads[workload].latency_ms;
  return p.count ? p.p99 : std::nan("");
}

std::vector<std::size_t> varying_keys(const sweep_result& r) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < r.keys.size(); ++i)
    for (const auto& p : r.points)
      if (p.values[i] != r.points.front().values[i]) {
        out.push_back(i);
        break;
      }
  return out;
}

std::pair<std::string, double> busiest_service(const report& point, std::size_t run) {
  std::pair<std::string, double> best{"", 0};
  const run_result& r = point.runs[run];
  bool any = false;
  const auto consider = [&](const std::vector<service_result> run_result::*list) {
    for (std::size_t i = 0; i < (r.*list).size(); ++i) {
      // A service of several instances: its busiest one, which saturates first.
      const double u =
          mean_over(point, run, [&](const run_result& x) { return (x.*list)[i].utilization_max; });
      if (!any || u > best.second) best = {(r.*list)[i].busiest, u};
      any = true;
    }
  };
  consider(&run_result::services);
  consider(&run_result::brokers);
  return best;
}

std::string point_name(const sweep_result& r, int point) {
  const auto& values = r.points[static_cast<std::size_t>(point)].values;
  if (values.size() == 1) return values.front();
  auto varying = varying_keys(r);  // a key of one value is the same everywhere
  if (varying.size() == 1) return values[varying.front()];
  if (varying.empty())
    for (std::size_t i = 0; i < values.size(); ++i) varying.push_back(i);
  std::string out;
  for (std::size_t i : varying) out += (out.empty() ? "" : ", ") + r.keys[i] + "=" + values[i];
  return out;
}

sweep_knee find_knee(const sweep_result& r, std::size_t run) {
  sweep_knee k;
  k.mode = r.points.front().runs.runs[run].mode;
  for (int p = 0; p < static_cast<int>(r.points.size()); ++p) {
    std::string culprit;
    k.why = knee_reason(r, run, p, &k.sign, &culprit);
    if (k.why.empty() && p == 0) {  // a first point already saturated has no base to beat
      const auto [name, u] = busiest_service(r.points.front().runs, run);
      if (u >= knee_utilization) {
        k.sign = knee_sign::latency;
        k.why = "already saturated at the first point: " + name + " busy " +
                number("%.2f", 100 * u) + "% of the time";
      }
    }
    if (k.why.empty()) continue;
    k.point = p;
    // What fell behind, for a backlog; else the busiest service.
    k.bottleneck = !culprit.empty()
                       ? culprit
                       : busiest_service(r.points[static_cast<std::size_t>(p)].runs, run).first;
    break;
  }
  return k;
}

std::string knee_summary(const sweep_result& r) {
  std::string out;
  // Points named by several keys hold commas themselves: the modes are then apart by
  // semicolons.
  bool commas = false;
  for (const auto& k : r.knees)
    commas = commas || (k.point >= 0 && point_name(r, k.point).find(", ") != std::string::npos);
  if (!r.points.empty())
    commas = commas ||
             point_name(r, static_cast<int>(r.points.size()) - 1).find(", ") != std::string::npos;
  const char* between = commas ? "; " : ", ";
  for (std::size_t i = 0; i < r.knees.size(); ++i) {
    const auto& k = r.knees[i];
    out += i ? between : "";
    out += to_string(k.mode);
    if (k.point < 0) {
      out += " holds up to " + point_name(r, static_cast<int>(r.points.size()) - 1);
      continue;
    }
    // The verb of its sign, left out when the mode before said the same.
    const auto verb = [](knee_sign sign) {
      return sign == knee_sign::latency        ? " saturates"
             : sign == knee_sign::availability ? " loses requests"
                                               : " falls behind";
    };
    const bool same = i && r.knees[i - 1].point >= 0 && r.knees[i - 1].sign == k.sign;
    out += (same ? "" : verb(k.sign)) + std::string(" at ") + point_name(r, k.point);
    if (!k.bottleneck.empty()) out += " (" + k.bottleneck + ")";
  }
  return out;
}

sweep_result run_sweep(const std::vector<scenario>& scenarios, const std::vector<std::string>& keys,
                       const std::vector<std::vector<std::string>>& values,
                       const sweep_options& options) {
  sweep_result out;
  out.scenario = scenarios.front().name;
  out.seed = scenarios.front().seed;
  out.keys = keys;
  out.knee_factor = options.knee_factor;
  const int modes = static_cast<int>(options.modes.size());
  const int reps = std::max(1, options.replications);
  const int per_point = modes * reps;
  const int total = static_cast<int>(scenarios.size()) * per_point;
  // Run k: point k / per_point, mode (k / reps) % modes, replication k % reps.
  std::vector<run_spec> specs;
  for (int k = 0; k < total; ++k)
    specs.push_back({k / per_point,
                     design_of(options.modes[static_cast<std::size_t>((k / reps) % modes)]),
                     k % reps});
  study st;
  st.scenarios = scenarios;
  st.options = options.simulation;
  auto results = options.executor
                     ? options.executor->run_all(st, specs, options.progress)
                     : thread_executor(options.jobs).run_all(st, specs, options.progress);
  for (int k = 0; k < total; ++k) {
    const auto& r = results[static_cast<std::size_t>(k)];
    if (r.error.empty()) continue;
    sweep_result::point where{values[static_cast<std::size_t>(k / per_point)], {}};
    out.points = {where};
    out.error = std::string("the ") + to_string(options.modes[(k / reps) % modes]) + " run at " +
                point_name(out, 0) +
                (reps > 1 ? " (replication " + std::to_string(k % reps) + ")" : std::string()) +
                " stopped: " + r.error;
    out.points.clear();
    return out;
  }
  for (std::size_t p = 0; p < scenarios.size(); ++p) {
    std::vector<std::vector<run_result>> per_mode;
    for (int m = 0; m < modes; ++m) {
      const auto first = results.begin() + static_cast<std::ptrdiff_t>(p) * per_point + m * reps;
      per_mode.emplace_back(std::make_move_iterator(first), std::make_move_iterator(first + reps));
    }
    out.points.push_back({values[p], report_of_runs(scenarios[p], std::move(per_mode))});
  }
  for (int m = 0; m < modes; ++m) out.knees.push_back(find_knee(out, static_cast<std::size_t>(m)));
  out.summary = knee_summary(out);
  return out;
}

}  // namespace svcsim
