// Look-ups by name on the scenario model.
#include "scenarios/scenario.hpp"

namespace svcsim {

const char* to_string(mode m) { return m == mode::sync ? "sync" : "async"; }

std::string instance_name(const std::string& service, int index) {
  return service + "#" + std::to_string(index + 1);
}

int service::find_endpoint(const std::string& wanted) const {
  for (std::size_t i = 0; i < endpoints.size(); ++i)
    if (endpoints[i].name == wanted) return static_cast<int>(i);
  return -1;
}

int scenario::find_service(const std::string& wanted) const {
  for (std::size_t i = 0; i < services.size(); ++i)
    if (services[i].name == wanted) return static_cast<int>(i);
  return -1;
}

int scenario::find_topic(const std::string& wanted) const {
  for (std::size_t i = 0; i < topics.size(); ++i)
    if (topics[i].name == wanted) return static_cast<int>(i);
  return -1;
}

std::string scenario::party_name(int party) const {
  return party == broker_party() ? "broker" : services[party].name;
}

std::string scenario::failure_party(const failure& f) const {
  return f.instance < 0 ? party_name(f.service) : instance_name(party_name(f.service), f.instance);
}

std::string scenario::handler_label(int service, int handler) const {
  const struct service& svc = services[service];
  const int endpoints = static_cast<int>(svc.endpoints.size());
  if (handler < endpoints) return svc.name + "." + svc.endpoints[handler].name;
  return svc.name + " (on " + svc.subscriptions[handler - endpoints].on_message.name + ")";
}

}  // namespace svcsim
