#include "infer/diagnostics.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace svcsim::infer {

void diagnostics::add(const std::string& kind, const std::string& trace, const std::string& what,
                      const std::string& action) {
  auto& p = problems_[kind];
  if (p.count == 0) {
    p.what = what;
    p.action = action;
  }
  ++p.count;
  if (!trace.empty() && p.traces.size() < traces_kept &&
      std::find(p.traces.begin(), p.traces.end(), trace) == p.traces.end())
    p.traces.push_back(trace);
}

std::int64_t diagnostics::count(const std::string& kind) const {
  const auto it = problems_.find(kind);
  return it == problems_.end() ? 0 : it->second.count;
}

std::string diagnostics::text() const {
  std::string out;
  for (const auto& [kind, p] : problems_) {
    out += "svcsim infer: warning: " + std::to_string(p.count) + " " + p.what + ": " + p.action;
    if (!p.traces.empty()) {
      out += "; trace" + std::string(p.traces.size() > 1 ? "s " : " ");
      for (std::size_t i = 0; i < p.traces.size(); ++i) out += (i ? ", " : "") + p.traces[i];
      if (p.count > static_cast<std::int64_t>(p.traces.size())) out += ", ...";
    }
    out += " [" + kind + "]\n";
  }
  for (const auto& n : notes_) out += "svcsim infer: " + n + "\n";
  return out;
}

std::string diagnostics::json() const {
  nlohmann::json j;
  j["problems"] = nlohmann::json::object();
  for (const auto& [kind, p] : problems_)
    j["problems"][kind] = {
        {"count", p.count}, {"what", p.what}, {"action", p.action}, {"traces", p.traces}};
  j["notes"] = notes_;
  return j.dump(2) + "\n";
}

}  // namespace svcsim::infer
