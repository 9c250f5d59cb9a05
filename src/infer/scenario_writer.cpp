#include "infer/scenario_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "infer/fit.hpp"

namespace svcsim::infer {
namespace {

// Letters, digits, '_', '-' (and '.' when `dots`); runs of others become one '-'; at most 60;
// never YAML's null.
std::string clean(const std::string& text, bool dots, const char* empty) {
  std::string out;
  for (unsigned char c : text) {
    const bool ok = std::isalnum(c) || c == '_' || c == '-' || (dots && c == '.');
    if (ok && c < 128) {
      out += static_cast<char>(c);
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 60) out.resize(60);
  std::string lower;
  for (unsigned char c : out) lower += static_cast<char>(std::tolower(c));
  if (lower == "null") out += '_';  // YAML would read it as no value
  return out.empty() ? empty : out;
}

// Text safe inside a YAML comment on one line.
std::string comment(const std::string& text) {
  std::string out;
  for (unsigned char c : text) out += c < 32 || c == 127 ? '?' : static_cast<char>(c);
  if (out.size() > 120) out = out.substr(0, 117) + "...";
  return out;
}

// `name`, or name-2, name-3, ... when `used` has it.
std::string unique(std::string name, std::set<std::string>& used) {
  std::string candidate = name;
  for (int k = 2; used.count(candidate); ++k) candidate = name + "-" + std::to_string(k);
  used.insert(candidate);
  return candidate;
}

std::string number(double v, const char* format = "%.6g") {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string rate_text(double per_s) {
  per_s = std::clamp(per_s, 1e-8, 1e9);
  if (per_s >= 0.01) return number(per_s) + "/s";
  return number(per_s * 3600) + "/h";
}

// "1 trace", "2 traces".
std::string count_of(std::int64_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

}  // namespace

std::string scenario_name(const std::string& text) {
  std::string lowered;
  for (unsigned char c : text) lowered += static_cast<char>(std::tolower(c));
  return clean(lowered, false, "inferred");
}

written_scenario write_scenario(const inferred& in, const writer_options& o) {
  written_scenario w;
  std::ostringstream y;
  // Names.
  std::set<std::string> used_services;
  std::map<std::string, std::string> service_name;
  for (const auto& s : in.services)
    service_name[s.name] = unique(clean(s.name, false, "service"), used_services);
  // Topics: one written name per topic of the traces, distinct (two topics that clean to the
  // same text must not become one).
  std::set<std::string> used_topics;
  std::map<std::string, std::string> topic_name;
  auto topic = [&](const std::string& raw) -> const std::string& {
    auto it = topic_name.find(raw);
    if (it == topic_name.end())
      it = topic_name.emplace(raw, unique(clean(raw, true, "topic"), used_topics)).first;
    return it->second;
  };
  std::vector<std::string> handler_name(in.handlers.size());
  std::map<std::string, std::set<std::string>> used_handlers;
  for (std::size_t h = 0; h < in.handlers.size(); ++h) {
    const auto& hd = in.handlers[h];
    handler_name[h] = hd.subscription
                          ? topic(hd.name)
                          : unique(clean(hd.name, false, "op"), used_handlers[hd.service]);
  }
  auto target = [&](int h) {
    return service_name.at(in.handlers[h].service) + "." + handler_name[h];
  };

  y << "# Inferred by svcsim infer from " << count_of(in.traces, "trace") << ", "
    << count_of(in.spans, "span") << ":\n";
  for (const auto& s : o.sources) y << "#   " << comment(s) << "\n";
  if (!o.problems.empty()) y << "# " << comment(o.problems) << "\n";
  y << "# Work is each handler's self time: its span's duration minus the time covered by its\n"
    << "# synchronous calls"
    << (in.waits_marked ? " and by marked waits (svcsim.wait).\n"
                        : ". No span marked a queue wait, so self time includes any queueing\n"
                          "# inside the service: work may be overestimated under load.\n");
  if (!in.brokers.empty()) {
    y << "# Broker (walked through, not a service):";
    for (const auto& b : in.brokers) y << " " << comment(b);
    y << "\n";
  }
  y << "name: " << scenario_name(o.name) << "\n";
  const double window = std::ceil(in.window_s);
  const int duration = static_cast<int>(std::clamp(window, 60.0, 600.0));
  y << "# The traces' requests span " << number(in.window_s, "%.3f") << " s; at least 60 s, at "
    << "most 600 s simulated.\n";
  y << "duration: " << duration << "s\n";
  y << "network:\n";
  if (in.network_pairs > 0)
    y << "  # mean of (client span - server span) / 2 over " << in.network_pairs
      << " client/server pairs\n";
  else
    y << "  # no client/server span pair in the traces: no network latency known\n";
  y << "  latency: " << duration_text(in.network_one_way_ns) << "\n";
  // Sync notifies in parallel when most invocations of some handler overlapped them.
  for (const auto& hd : in.handlers)
    if (hd.overlapping_notifies * 2 > hd.invocations) {
      y << "sync:\n  # the subscribers' calls of a notify overlapped in " << hd.overlapping_notifies
        << " of " << hd.invocations << " invocations of " << comment(hd.service) << " "
        << comment(hd.name) << "\n  notify: parallel\n";
      break;
    }
  y << "services:\n";
  for (const auto& s : in.services) {
    const std::string& name = service_name.at(s.name);
    y << "  " << name << ":\n";
    if (name != s.name) y << "    # '" << comment(s.name) << "' in the traces\n";
    const int per_instance = static_cast<int>(std::ceil(s.busy / s.instances / 0.8 - 1e-9));
    const int workers = std::clamp(std::max(s.workers_seen, per_instance), 1, 1000000);
    y << "    # workers: not in traces. " << s.workers_seen
      << " = the most jobs seen at once on one instance (a lower bound)";
    if (per_instance > s.workers_seen)
      y << "; raised to " << workers << " so that the rates below keep it under 80% busy ("
        << number(s.busy, "%.2f") << " busy workers)";
    y << ". Set the real value.\n";
    y << "    workers: " << workers << "\n";
    if (s.instances > 1)
      y << "    # instances: distinct instance ids in the traces (a lower bound). Set the real "
           "value.\n"
        << "    instances: " << s.instances << "\n";
    y << "    # queue: not in traces; the format's default (unlimited) applies. Set the real "
         "value.\n";
    for (bool subscriptions : {false, true}) {
      bool first = true;
      for (std::size_t h = 0; h < in.handlers.size(); ++h) {
        const auto& hd = in.handlers[h];
        if (hd.service != s.name || hd.subscription != subscriptions) continue;
        if (first) y << (subscriptions ? "    subscribes:\n" : "    endpoints:\n");
        first = false;
        y << "      " << handler_name[h] << ":\n";
        y << "        # " << count_of(hd.invocations, "invocation") << " of operation '"
          << comment(hd.operation) << "'"
          << (hd.untraced ? "; not traced: work is the callers' client span duration" : "") << "\n";
        if (!hd.self_ns.empty()) {
          const fit_result f = fit_work(hd.self_ns);
          y << "        # self time mean " << duration_text(f.mean_ns) << " over "
            << count_of(static_cast<std::int64_t>(hd.self_ns.size()), "invocation") << "\n";
          if (o.empirical) {
            const std::string file = o.data_prefix + name + "." + (subscriptions ? "on." : "") +
                                     handler_name[h] + ".txt";
            std::string text = "# self times of " + comment(s.name) + " " + comment(hd.name) +
                               ", one per invocation\n";
            for (double v : hd.self_ns) text += number(std::round(v), "%.0f") + "ns\n";
            w.files.push_back({file, text});
            y << "        work: empirical(" << file << ")\n";
          } else {
            if (!f.candidates.empty()) {
              y << "        # fit by maximum likelihood, the lowest AIC (2k - 2 ln L) chosen:";
              for (const auto& c : f.candidates)
                y << " " << c.text << " " << number(c.aic, "%.1f")
                  << (c.text == f.text ? " (chosen);" : ";");
              y << "\n";
            }
            if (!f.not_tried.empty()) y << "        # " << f.not_tried << "\n";
            y << "        work: " << f.text << "\n";
          }
        }
        // Steps: calls (in parallel when they mostly overlapped), notifies once per topic,
        // publishes; a mean per invocation rounded to whole repetitions, at least 1.
        std::vector<std::string> lines;
        std::vector<std::string> calls;
        std::set<std::string> notified;
        const bool parallel = hd.overlapping * 2 > hd.invocations;
        for (const auto& st : hd.steps) {
          const long repeat = std::max(1L, std::lround(st.mean));
          std::string what;
          if (st.k == inferred_step::kind::call) what = "call: " + target(st.target);
          if (st.k == inferred_step::kind::publish) what = "publish: " + topic(st.topic);
          if (st.k == inferred_step::kind::notify) {
            what = "notify: " + topic(st.topic);
            if (!notified.insert(what).second) continue;
          }
          std::string note = "# " + number(st.mean, "%.3g") + " per invocation (" +
                             std::to_string(st.count) + " in " + std::to_string(hd.invocations) +
                             ")";
          if (std::fabs(st.mean - static_cast<double>(repeat)) > 1e-9)
            note += "; written " + std::to_string(repeat) + (repeat > 1 ? " times" : " time") +
                    ": the format has no probabilistic steps";
          for (long r = 0; r < repeat; ++r) {
            const std::string line = what + (r == 0 ? "  " + note : "");
            (parallel && st.k == inferred_step::kind::call ? calls : lines).push_back(line);
          }
        }
        if (!lines.empty() || !calls.empty()) {
          y << "        steps:\n";
          if (calls.size() > 1) {
            y << "          # the calls overlapped in " << hd.overlapping << " of "
              << hd.invocations << " invocations: written in parallel\n";
            y << "          - parallel:\n";
            for (const auto& c : calls) y << "              - " << c << "\n";
          } else {
            for (const auto& c : calls) y << "          - " << c << "\n";
          }
          for (const auto& l : lines) y << "          - " << l << "\n";
          if (!parallel && hd.overlapping > 0)
            y << "          # the calls overlapped in " << hd.overlapping << " of "
              << hd.invocations << " invocations; written in sequence\n";
        }
      }
    }
  }
  y << "workloads:\n";
  std::set<std::string> used_workloads;
  for (const auto& wl : in.workloads) {
    if (in.handlers[wl.target].subscription) continue;
    y << "  - name: " << unique(clean(wl.name, false, "workload"), used_workloads) << "\n";
    y << "    target: " << target(wl.target) << "\n";
    if (wl.rate_per_s > 0) {
      y << "    # " << wl.roots << " requests over "
        << number(static_cast<double>(wl.roots - 1) / wl.rate_per_s / wl.sampling, "%.4g") << " s";
      if (wl.sampling < 1) y << ", sampled with probability " << number(wl.sampling);
      y << "; gaps' coefficient of variation " << number(wl.cv, "%.2f") << " ("
        << (wl.constant ? "below 0.2: constant" : "poisson") << ")\n";
      // svcsim runs at most 10^9 requests: a rate beyond a tenth of that over the run is capped.
      const double most = 1e8 / duration;
      if (wl.rate_per_s > most)
        y << "    # capped from " << number(wl.rate_per_s) << "/s: a run sends at most 10^9 "
          << "requests in all; check the sampling probability\n";
      y << "    arrivals: " << (wl.constant ? "constant(" : "poisson(")
        << rate_text(std::min(wl.rate_per_s, most)) << ")\n";
    } else {
      y << "    # " << wl.roots << " request: no rate can be measured; 1/s assumed. Set the "
        << "real rate.\n";
      y << "    arrivals: poisson(1/s)\n";
    }
  }
  w.yaml = y.str();
  return w;
}

}  // namespace svcsim::infer
