#include "distributed/study_wire.hpp"

#include "scenarios/load/loader.hpp"

namespace svcsim {

wire::study_msg to_wire(const study& st, const file_map& files, std::uint64_t id,
                        const std::string& token) {
  wire::study_msg m;
  m.token = token;
  m.id = id;
  m.files.assign(files.begin(), files.end());
  for (const auto& s : st.scenarios) m.points.push_back({s.file, s.settings, s.seed});
  m.crash_from = st.window.from;
  m.crash_to = st.window.to;
  m.arrivals_end = st.window.arrivals_end;
  m.max_in_flight = st.options.max_in_flight;
  m.bucket = st.options.bucket;
  if (st.options.watch) {
    m.watch_from = st.options.watch->from;
    m.watch_to = st.options.watch->to;
  }
  return m;
}

study study_frame(const wire::study_msg& m) {
  study st;
  st.window.from = m.crash_from;
  st.window.to = m.crash_to;
  st.window.arrivals_end = m.arrivals_end;
  st.options.max_in_flight = static_cast<std::size_t>(m.max_in_flight);
  st.options.bucket = m.bucket;
  if (m.watch_to > 0) st.options.watch = send_interval{m.watch_from, m.watch_to};
  return st;
}

std::optional<scenario> load_point(const wire::study_msg& m, std::size_t p,
                                   const file_reader& files, std::string* error) {
  if (p >= m.points.size()) {
    *error = "the study has no point " + std::to_string(p);
    return std::nullopt;
  }
  const wire::study_point& point = m.points[p];
  // Split as the coordinator joined them (setting::text()), not checked again: a sweep's
  // settings were never parse_setting()'s, and the loader checks every value.
  std::vector<setting> settings;
  for (const auto& text : point.settings) {
    const auto eq = text.find('=');
    if (eq == std::string::npos) {
      *error = "the setting '" + text + "' has no '='";
      return std::nullopt;
    }
    settings.push_back({text.substr(0, eq), text.substr(eq + 1)});
  }
  auto loaded = load_scenario(point.file, settings, files);
  if (!loaded.value) {
    *error = loaded.error;
    return std::nullopt;
  }
  loaded.value->seed = point.seed;
  return std::move(loaded.value);
}

wire::job_msg to_wire(const run_spec& spec, std::uint64_t study, std::uint64_t attempt,
                      const std::string& token) {
  wire::job_msg m;
  m.token = token;
  m.study = study;
  m.attempt = attempt;
  m.point = spec.point;
  m.replication = spec.replication;
  m.crashed = spec.crashed;
  m.design = spec.design.name;
  m.mode = static_cast<std::int32_t>(spec.design.mode);
  for (const auto& [topic, mode] : spec.design.pins)
    m.pins.emplace_back(topic, static_cast<std::int32_t>(mode));
  return m;
}

std::optional<run_spec> spec_of(const wire::job_msg& m, const scenario& s, std::string* error) {
  const auto mode_of = [](std::int32_t m) -> std::optional<svcsim::mode> {
    if (m == static_cast<std::int32_t>(mode::sync)) return mode::sync;
    if (m == static_cast<std::int32_t>(mode::async)) return mode::async;
    return std::nullopt;
  };
  run_spec spec;
  spec.point = m.point;
  spec.replication = m.replication;
  spec.crashed = m.crashed;
  spec.design.name = m.design;
  const auto mode = mode_of(m.mode);
  const bool party = m.crashed >= -1 && m.crashed <= s.broker_party();
  bool pins = true;
  for (const auto& [topic, pinned] : m.pins) {
    pins = pins && topic >= 0 && topic < static_cast<int>(s.topics.size()) && mode_of(pinned);
    if (pins) spec.design.pins.emplace_back(topic, *mode_of(pinned));
  }
  if (!mode || !party || !pins || m.replication < 0) {
    *error = "the job's mode, crashed party, pinned topics or replication is out of range";
    return std::nullopt;
  }
  spec.design.mode = *mode;
  return spec;
}

}  // namespace svcsim
