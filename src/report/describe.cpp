#include "report/describe.hpp"

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

}  // namespace

std::string describe_scenario(const scenario& s, const coupling_view& view) {
  std::ostringstream out;
  out << s.file << ": scenario '" << s.name << "' is valid\n";
  if (!s.description.empty()) out << "  " << printable(s.description) << "\n";
  out << "\nservices (" << s.services.size() << ")\n";
  for (const auto& svc : s.services) {
    std::vector<std::string> endpoints, topics;
    for (const auto& e : svc.endpoints) endpoints.push_back(e.name);
    for (const auto& sub : svc.subscriptions) topics.push_back(s.topics[sub.topic].name);
    out << "  " << svc.name << ": " << svc.workers << " worker" << (svc.workers == 1 ? "" : "s")
        << ", queue " << (svc.queue < 0 ? std::string("unlimited") : std::to_string(svc.queue))
        << "; endpoints: " << join(endpoints) << "; subscribes: " << join(topics) << "\n";
  }
  out << "\ntopics (" << s.topics.size() << ")\n";
  for (const auto& t : s.topics) {
    std::vector<std::string> subs;
    for (auto [svc, sub] : t.subscribers) subs.push_back(s.services[svc].name);
    out << "  " << t.name << " -> " << join(subs) << "\n";
  }
  out << "\nworkloads (" << s.workloads.size() << ")\n";
  for (const auto& w : s.workloads) {
    out << "  " << w.name << ": ";
    if (w.users > 0)
      out << w.users << " users, think " << w.think.text;
    else
      out << (w.arrivals == arrival_kind::poisson ? "poisson(" : "constant(") << rate(w.rate_per_s)
          << ")";
    out << " -> " << w.target << "\n";
  }
  if (!s.failures.empty()) {
    out << "\nfailures (" << s.failures.size() << ")\n";
    for (const auto& f : s.failures)
      out << "  " << s.services[f.service].name << ": " << describe_failure(f) << "\n";
  }
  out << "\ncoupling: whom each service must know (ce), how many know it (ca), and its "
         "instability ce/(ca+ce)\n";
  char buf[64];
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    out << "  " << s.services[i].name << "\n";
    for (mode m : {mode::sync, mode::async}) {
      const auto& c = view.services[static_cast<int>(m)][i];
      std::snprintf(buf, sizeof buf, "%.2f", c.instability());
      out << "    " << pad(std::string(to_string(m)) + ":", 7) << "ce " << c.ce << ", ca " << c.ca
          << ", instability " << buf << ", knows " << join(c.knows) << "\n";
    }
  }
  // The broker, in the modes where some service uses it: who must know it.
  std::ostringstream broker;
  for (mode m : {mode::sync, mode::async})
    if (const auto& b = view.broker[static_cast<int>(m)]; b.ca > 0) {
      std::snprintf(buf, sizeof buf, "%.2f", b.instability());
      broker << "    " << pad(std::string(to_string(m)) + ":", 7) << "ce " << b.ce << ", ca "
             << b.ca << ", instability " << buf << ", known by " << join(b.known_by) << "\n";
    }
  if (!broker.str().empty()) out << "  broker\n" << broker.str();
  out << "\nlongest chain of sync calls\n";
  for (mode m : {mode::sync, mode::async})
    out << "  " << pad(std::string(to_string(m)) + ":", 7)
        << join(view.longest_call_chain[static_cast<int>(m)], " -> ", "none") << "\n";
  return out.str();
}

}  // namespace svcsim
