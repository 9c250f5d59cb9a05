#include "studies/crash_window.hpp"

#include <algorithm>

#include "engine/arrivals.hpp"
#include "studies/describe_failure.hpp"

namespace svcsim {

crash_window choose_window(const scenario& s, std::optional<nanos> length) {
  crash_window w;
  const nanos end = w.arrivals_end = plan_arrivals(s).end;
  if (end >= arrival_plan::never || end < 10) {
    w.error = "the arrivals of scenario '" + s.name + "' end at " + seconds_text(end) +
              ", which leaves no window to crash a service in; give it a longer duration or more "
              "requests";
    return w;
  }
  if (length && *length > end) {
    w.error = "--window " + seconds_text(*length) + " is longer than the arrivals, which end at " +
              seconds_text(end) + "; the crash must fit in them: use --window " +
              seconds_text(end) + " or less";
    return w;
  }
  w.by_default = !length;
  const nanos d = length ? *length : end / 10;
  w.from = (end - d) / 2;
  w.to = w.from + d;
  return w;
}

scenario with_crash(const scenario& s, int service, const crash_window& w, std::string* replaced) {
  scenario out = s;
  replaced->clear();
  auto& fs = out.failures;
  fs.erase(std::remove_if(fs.begin(), fs.end(),
                          [&](const failure& f) {
                            const bool overlaps =
                                f.service == service && f.at < w.to && f.end() > w.from;
                            if (overlaps)
                              *replaced += (replaced->empty() ? "" : ", ") +
                                           (f.instance < 0 ? "" : s.failure_party(f) + ": ") +
                                           describe_failure(f);
                            return overlaps;
                          }),
           fs.end());
  failure crash;
  crash.service = service;
  crash.kind = failure_kind::crash;
  crash.at = w.from;
  crash.length = w.to - w.from;
  fs.push_back(crash);
  std::stable_sort(fs.begin(), fs.end(), [](const failure& a, const failure& b) {
    return a.service != b.service ? a.service < b.service : a.at < b.at;
  });
  return out;
}

}  // namespace svcsim
