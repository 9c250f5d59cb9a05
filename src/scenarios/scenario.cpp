// Look-ups by name on the scenario model.
#include "scenarios/scenario.hpp"

namespace svcsim {

const char* to_string(mode m) { return m == mode::sync ? "sync" : "async"; }

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

}  // namespace svcsim
