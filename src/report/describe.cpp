#include "report/describe.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "report/format.hpp"
#include "studies/describe_failure.hpp"

namespace svcsim {
namespace {

// Free text with its control characters shown as escapes, so that it cannot drive a terminal.
std::string printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

std::string rate(double per_s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g/s", per_s);
  return buf;
}

// "steps 600s at 100/s, 300s at 100/s->400/s; mean 200/s, peak 400/s, repeated every 900s";
// beyond six steps "steps 60s at 1/s, 60s at 2/s, 60s at 3/s, 93 more, 60s at 97/s; ...".
std::string profile_text(const rate_profile& p) {
  const auto span = [](std::int64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%gs", static_cast<double>(ns) / 1e9);
    return std::string(buf);
  };
  std::string out;
  if (p.daily) {
    out =
        "daily, " + rate(p.low_per_s) + " to " + rate(p.peak_per_s) + " over " + span(p.period_ns);
  } else {
    // A long profile shows its first three steps and its last, and how many lie between.
    const std::size_t n = p.steps.size(), shown_first = n > 6 ? 3 : n;
    out = "steps";
    for (std::size_t i = 0; i < n; ++i) {
      if (i == shown_first && i + 1 < n) {
        out += ", " + std::to_string(n - 1 - i) + " more";
        i = n - 1;
      }
      const auto& st = p.steps[i];
      out += (i > 0 ? ", " : " ") + span(st.length_ns) + " at " +
             (st.from_per_s == st.to_per_s ? rate(st.from_per_s)
                                           : rate(st.from_per_s) + "->" + rate(st.to_per_s));
    }
  }
  return out + "; mean " + rate(p.mean_per_s()) + ", peak " + rate(p.peak()) + ", repeated every " +
         span(p.cycle_ns());
}

// One mode's line of a row: "110/s x 38 ms / 4 workers = 104.5%, saturated", or with
// instances "3200/s x 1 ms / (4 instances x 1 worker) = 80.0%; each instance 800/s = 80.0%".
std::string load_line(const load_row& row) {
  std::string line;
  char buf[160];
  if (row.jobs_per_s > 0) {
    const char* workers = row.workers == 1 ? "" : "s";
    if (row.instances == 1)
      std::snprintf(buf, sizeof buf, "%s x %.3g ms / %d worker%s = %.1f%%",
                    rate(row.jobs_per_s).c_str(), row.mean_work_s * 1e3, row.workers, workers,
                    100 * row.rho);
    else
      std::snprintf(buf, sizeof buf,
                    "%s x %.3g ms / (%d instances x %d worker%s) = %.1f%%; each instance %s "
                    "(1/%d) = %.1f%%",
                    rate(row.jobs_per_s).c_str(), row.mean_work_s * 1e3, row.instances, row.workers,
                    workers, 100 * row.rho, rate(row.jobs_per_s / row.instances).c_str(),
                    row.instances, 100 * row.rho);
    line = buf;
    if (*saturation(row.rho)) line += std::string(", ") + saturation(row.rho);
  } else {
    line = row.closed_loop ? "closed-loop users only" : "nothing offered";
  }
  if (row.closed_loop && row.jobs_per_s > 0) line += "; closed-loop users come on top";
  if (row.waits_on_calls)
    line += "; it holds a worker while it waits on calls, so it is busier than this";
  return line;
}

// The broker's settings, as lines: routing and delivery; its work, when it does any; how
// publishes treat it.
std::string broker_lines(const scenario& s) {
  std::ostringstream out;
  out << "  latency " << fmt("%g ms", static_cast<double>(s.broker_latency) / 1e6) << ", prefetch "
      << (s.broker_prefetch > 0 ? std::to_string(s.broker_prefetch) : std::string("= workers"))
      << ", capacity "
      << (s.broker_capacity < 0 ? std::string("unlimited") : std::to_string(s.broker_capacity))
      << ", "
      << (s.broker_delivery == delivery_mode::at_least_once ? "at-least-once" : "at-most-once")
      << (s.broker_durable ? ", durable" : "") << "\n";
  if (s.broker_costs())
    out << "  " << s.broker_workers << " worker" << (s.broker_workers == 1 ? "" : "s") << ", queue "
        << (s.broker_queue < 0 ? std::string("unlimited") : std::to_string(s.broker_queue))
        << "; work per publish " << s.broker_publish_work.text << ", per delivery "
        << s.broker_deliver_work.text << "\n";
  const char* down[] = {"fail", "drop", "outbox"};
  out << "  publishes " << (s.broker_publishing.confirm ? "wait for its confirm" : "do not wait")
      << "; while it is down they " << down[static_cast<int>(s.broker_publishing.on_down)];
  if (s.broker_publishing.on_down == broker_down::outbox)
    out << " (outbox "
        << (s.broker_outbox < 0 ? std::string("unlimited") : std::to_string(s.broker_outbox))
        << ")";
  out << " (steps may say otherwise)\n";
  return out.str();
}

}  // namespace

std::vector<std::string> load_lines(const scenario& s) {
  std::string until;  // when arrivals stop
  if (s.duration) until = " for " + fmt("%g", static_cast<double>(*s.duration) / 1e9) + " s";
  if (s.requests)
    until += (until.empty() ? " for " : " or ") + std::to_string(*s.requests) + " requests" +
             (s.workloads.size() > 1 ? " in all" : "");
  if (s.warmup > 0)
    until += ", the first " + fmt("%g", static_cast<double>(s.warmup) / 1e9) + " s not measured";
  std::vector<std::string> out;
  for (const auto& w : s.workloads)
    out.push_back(
        w.name + ": " +
        (w.users > 0 ? std::to_string(w.users) + " users, think " + w.think.text
         : w.profile
             ? std::string(w.arrivals == arrival_kind::poisson ? "poisson, " : "constant, ") +
                   profile_text(*w.profile) + ";"
             : std::string(w.arrivals == arrival_kind::poisson ? "poisson " : "constant ") +
                   rate(w.rate_per_s)) +
        until);
  return out;
}

std::vector<design_view> design_views(const scenario& s, const std::vector<design>& designs) {
  std::vector<design_view> views;
  for (const auto& d : designs) {
    const plan p = compile(s, d);
    views.push_back({label_of(d), offered_load_of(p), coupling_of(p), broker_coupling_of(p),
                     longest_call_chain(p)});
  }
  return views;
}

std::string describe_scenario(const scenario& s, const std::vector<design_view>& views) {
  std::ostringstream out;
  out << s.file << ": scenario '" << s.name << "' is valid\n";
  if (!s.description.empty()) out << "  " << printable(s.description) << "\n";
  out << "\nservices (" << s.services.size() << ")\n";
  for (const auto& svc : s.services) {
    std::vector<std::string> endpoints, topics;
    for (const auto& e : svc.endpoints) endpoints.push_back(e.name);
    for (const auto& sub : svc.subscriptions) topics.push_back(s.topics[sub.topic].name);
    out << "  " << svc.name << ": ";
    if (svc.instances > 1)
      out << svc.instances << " instances (" << to_string(svc.balance) << ") x ";
    out << svc.workers << " worker" << (svc.workers == 1 ? "" : "s") << ", queue "
        << (svc.queue < 0 ? std::string("unlimited") : std::to_string(svc.queue))
        << (svc.instances > 1 ? " each" : "") << "; endpoints: " << join(endpoints)
        << "; subscribes: " << join(topics) << "\n";
  }
  out << "\ntopics (" << s.topics.size() << ")\n";
  for (const auto& t : s.topics) {
    std::vector<std::string> subs;
    for (auto [svc, sub] : t.subscribers) subs.push_back(s.services[svc].name);
    out << "  " << t.name << " -> " << join(subs);
    if (t.pinned) out << " (mode: " << to_string(*t.pinned) << ")";  // its `topics:` setting
    if (t.partitions > 0) out << " (" << t.partitions << " partitions)";
    out << "\n";
  }
  if (!s.topics.empty()) out << "\nbroker\n" << broker_lines(s);
  out << "\nworkloads (" << s.workloads.size() << ")\n";
  for (const auto& w : s.workloads) {
    out << "  " << w.name << ": ";
    if (w.users > 0)
      out << w.users << " users, think " << w.think.text;
    else if (w.profile)
      out << (w.arrivals == arrival_kind::poisson ? "poisson, " : "constant, ")
          << profile_text(*w.profile);
    else
      out << (w.arrivals == arrival_kind::poisson ? "poisson(" : "constant(") << rate(w.rate_per_s)
          << ")";
    out << " -> " << w.target << "\n";
  }
  if (!s.failures.empty()) {
    out << "\nfailures (" << s.failures.size() << ")\n";
    for (const auto& f : s.failures)
      out << "  " << s.failure_party(f) << ": " << describe_failure(f) << "\n";
  }
  out << "\noffered load: jobs per second x mean work / workers, from the open-loop workloads\n";
  bool profiled = false;
  for (const auto& w : s.workloads) profiled = profiled || w.profile;
  if (profiled)
    out << "  (a workload with a rate profile counts at its peak rate: the peak is what "
           "saturates)\n";
  // Each design's label, padded as the longest ("async:" and 7 for the two modes).
  std::size_t width = 7;
  for (const auto& v : views) width = std::max(width, v.label.size() + 2);
  const auto label = [&](const design_view& v) {
    return pad(v.label + ":", static_cast<int>(width));
  };
  for (std::size_t i = 0; !views.empty() && i < views.front().load.rows.size(); ++i) {
    out << "  " << views.front().load.rows[i].name << "\n";
    for (const auto& v : views) out << "    " << label(v) << load_line(v.load.rows[i]) << "\n";
  }
  out << "\ncoupling: whom each service must know (ce), how many know it (ca), and its "
         "instability ce/(ca+ce)\n";
  char buf[64];
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    out << "  " << s.services[i].name << "\n";
    for (const auto& v : views) {
      const auto& c = v.services[i];
      std::snprintf(buf, sizeof buf, "%.2f", c.instability());
      out << "    " << label(v) << "ce " << c.ce << ", ca " << c.ca << ", instability " << buf
          << ", knows " << join(c.knows) << "\n";
    }
  }
  // The broker, in the designs where some service uses it: who must know it.
  std::ostringstream broker;
  for (const auto& v : views)
    if (const auto& b = v.broker; b.ca > 0) {
      std::snprintf(buf, sizeof buf, "%.2f", b.instability());
      broker << "    " << label(v) << "ce " << b.ce << ", ca " << b.ca << ", instability " << buf
             << ", known by " << join(b.known_by) << "\n";
    }
  if (!broker.str().empty()) out << "  broker\n" << broker.str();
  out << "\nlongest chain of sync calls\n";
  for (const auto& v : views)
    out << "  " << label(v) << join(v.longest_call_chain, " -> ", "none") << "\n";
  return out.str();
}

}  // namespace svcsim
