// The loader's entry points and the top level of a scenario file; services, workloads and
// references are read by the stages declared in loader_parts.hpp.
#include "scenarios/load/loader.hpp"

#include <yaml-cpp/depthguard.h>  // YAML::DeepRecursion

#include <cstdio>
#include <cstring>
#include <limits>

#include "scenarios/load/loader_parts.hpp"
#include "scenarios/load/overrides.hpp"
#include "scenarios/load/parse_guard.hpp"
#include "scenarios/load/read_file.hpp"
#include "scenarios/load/suggest.hpp"

namespace svcsim {
namespace {

using namespace detail;

const char* const about_mapping =
    "a YAML mapping of keys such as name, duration, services and "
    "workloads";

// Larger files are refused before parsing: the YAML tree takes up to a hundred times the size
// of the text (an 8 MiB file up to 850 MB), and even 10000 services fit in a few megabytes.
constexpr std::size_t max_file_bytes = 8 << 20;

// The message as one line of readable length: control characters (a value may hold a newline
// or a NUL) are written as escapes, and very long words (a huge value) are shortened.
std::string one_line(const std::string& message) {
  std::string escaped;
  for (const char c : message) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n')
      escaped += "\\n";
    else if (c == '\r')
      escaped += "\\r";
    else if (c == '\t')
      escaped += "\\t";
    else if (u < 0x20 || u == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      escaped += hex;
    } else {
      escaped += c;
    }
  }
  constexpr std::size_t longest = 100, head = 60, tail = 20;
  auto continuation = [&](std::size_t i) {  // inside a UTF-8 sequence
    return (static_cast<unsigned char>(escaped[i]) & 0xc0) == 0x80;
  };
  std::string out;
  std::size_t start = 0;
  while (start <= escaped.size()) {
    std::size_t end = escaped.find(' ', start);
    if (end == std::string::npos) end = escaped.size();
    if (end - start <= longest) {
      out.append(escaped, start, end - start);
    } else {
      std::size_t cut = start + head, resume = end - tail;
      while (cut > start && continuation(cut)) --cut;
      while (resume < end && continuation(resume)) ++resume;
      out.append(escaped, start, cut - start);
      out += "...";
      out.append(escaped, resume, end - resume);
    }
    if (end == escaped.size()) break;
    out += ' ';
    start = end + 1;
  }
  return out;
}

// Where: FILE:LINE:COLUMN, FILE, or for a value a setting gave, "--set KEY=VALUE".
std::string format_error(const std::string& file, source_pos pos, const std::string& message,
                         const std::vector<setting>& settings = {}) {
  if (pos.set > 0 && pos.set <= static_cast<int>(settings.size()))
    return "--set " + settings[pos.set - 1].text() + ": error: " + one_line(message);
  if (pos.line <= 0) return file + ": error: " + one_line(message);
  return file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) +
         ": error: " + one_line(message);
}

void read_network(const entry& e, scenario& s) {
  expect_map(e, "'network'", "write e.g. 'network: {latency: 1ms}'");
  const fields f(e, "in network", {"latency"});
  if (const entry* l = f.find("latency")) s.network_latency = duration(*l);
}

// `sync:` how notify runs in sync mode, and the default policy of every call.
void read_sync(const entry& e, scenario& s) {
  expect_map(e, "'sync'", "write e.g. 'sync: {notify: sequential, timeout: 500ms}'");
  const fields f(e, "in sync", {"notify", "timeout", "retries", "backoff", "jitter", "breaker"});
  if (const entry* n = f.find("notify"))
    s.sync_notify = choice(*n, {"sequential", "parallel"}) == "sequential"
                        ? notify_policy::sequential
                        : notify_policy::parallel;
  read_call_policy(f, s.sync_defaults);
}

// A run is bounded by `duration` or `requests`; refuses one that would send more requests
// than can be simulated in reasonable time (about 1.5 million per second of wall time).
void check_expected_requests(const fields& f, const scenario& s) {
  for (const auto& w : s.workloads)
    if (w.users > 0 && s.requests)
      fail(f.find("requests")->key_pos(), "'requests' cannot end closed-loop workloads (such as " +
                                              w.name +
                                              ") yet; "
                                              "end the run with 'duration' instead");
  if (!s.duration) return;  // `requests` alone is bounded by its own limit
  double per_s = 0;         // at most: a closed loop's users cannot send faster than they think
  for (const auto& w : s.workloads)
    per_s += w.users > 0 ? w.users * 1e9 / w.think.mean() : w.rate_per_s;
  const double expected = per_s * static_cast<double>(*s.duration) / 1e9;
  if (expected <= static_cast<double>(max_requests)) return;
  if (s.requests && *s.requests <= max_requests) return;
  bool closed = false;
  for (const auto& w : s.workloads) closed = closed || w.users > 0;
  char about[32];
  std::snprintf(about, sizeof about, "%.3g", expected);
  if (closed)
    fail(f.find("duration")->value_pos(),
         std::string("this scenario could send about ") + about +
             " requests (open-loop rates, and users over mean think time, times duration), more "
             "than the 1000000000 one run may simulate; shorten duration, or use fewer users or "
             "longer think times");
  fail(f.find("duration")->value_pos(),
       std::string("this scenario would send about ") + about +
           " requests (the workloads' rates times duration), more than the 1000000000 one run "
           "may simulate; shorten duration, lower the rates, or cap them with 'requests: N'");
}

scenario read_scenario(const YAML::Node& root, const std::string& file,
                       const std::vector<setting>& settings, const file_reader& reader) {
  const entry top = item(root);
  if (top.empty()) fail({1, 1}, std::string("the scenario file is empty; write ") + about_mapping);
  if (!root.IsMap()) fail(position(root), std::string("a scenario must be ") + about_mapping);
  const fields f(
      top, "at the top level",
      {"name", "description", "seed", "duration", "requests", "warmup", "drain", "mode", "balance",
       "network", "sync", "broker", "services", "workloads", "failures", "topics", "designs"});
  if (!f.find("name")) fail(f.pos(), "the scenario has no name; add e.g. 'name: user-signup'");
  if (!f.find("duration") && !f.find("requests"))
    fail(f.pos(),
         "the scenario has neither duration nor requests, so arrivals would never "
         "stop; add e.g. 'duration: 60s' or 'requests: 100000'");
  if (!f.find("services"))
    fail(f.pos(),
         "the scenario has no services; add e.g. 'services: {users: {endpoints: "
         "{create: {work: 2ms}}}}'");
  if (!f.find("workloads"))
    fail(f.pos(),
         "the scenario has no workloads; add e.g. 'workloads: [{name: signup, target: "
         "users.create, arrivals: poisson(200/s)}]'");

  scenario s;
  s.file = file;
  for (const auto& set : settings) s.settings.push_back(set.text());
  const entry& name = *f.find("name");
  s.name = text(name, "name: user-signup");
  if (!is_lower_name(s.name))
    fail(name.value_pos(), "name " + quoted(s.name) +
                               " may use only lowercase letters, "
                               "digits, '_' and '-'; write e.g. " +
                               quoted(as_name(s.name, true)));
  if (const entry* d = f.find("description"); d && !d->empty())
    s.description = text(*d, "description: what this scenario shows");
  if (const entry* e = f.find("seed")) s.seed = unsigned_integer(*e, "seed: 42");
  if (const entry* e = f.find("duration")) s.duration = positive_duration(*e, "duration: 60s");
  if (const entry* e = f.find("requests"))
    s.requests = integer(*e, 1, max_requests, "requests: 100000");
  if (const entry* e = f.find("warmup")) {
    s.warmup = duration(*e);
    if (s.duration && s.warmup >= *s.duration)
      fail(e->value_pos(),
           "warmup " + quoted(e->value.Scalar()) +
               " is not shorter than "
               "duration " +
               quoted(f.find("duration")->value.Scalar()) +
               ", so nothing would be measured; make it shorter, e.g. 'warmup: 0s'");
  }
  if (const entry* e = f.find("drain")) s.drain = duration(*e);
  if (const entry* e = f.find("mode")) s.default_mode = mode_of(*e);
  if (const entry* e = f.find("balance")) s.default_balance = read_balance(*e);
  if (const entry* e = f.find("network")) read_network(*e, s);
  if (const entry* e = f.find("sync")) read_sync(*e, s);
  std::optional<source_pos> outbox;  // broker.outbox's place, if given
  data_files files{folder_of(file), {}, reader};
  if (const entry* e = f.find("broker")) outbox = read_broker(*e, s, files);
  read_services(*f.find("services"), s, files, outbox);
  resolve_references(s);
  if (const entry* e = f.find("topics")) read_topics(*e, s);
  if (const entry* e = f.find("designs")) read_designs(*e, s);
  read_workloads(*f.find("workloads"), s, files);
  if (const entry* e = f.find("failures")) read_failures(*e, s);
  check_message_keys(s);
  check_expected_requests(f, s);
  return s;
}

}  // namespace

load_result parse_scenario(const std::string& yaml_text, const std::string& file,
                           const std::vector<setting>& settings, const file_reader& reader) {
  load_result result;
  if (yaml_text.size() > max_file_bytes) {
    result.error =
        format_error(file, {},
                     "the scenario file is larger than " + std::to_string(max_file_bytes >> 20) +
                         " MiB, the limit; check that it is the right file "
                         "(a scenario takes a few kilobytes)");
    return result;
  }
  try {
    // yaml-cpp 0.7's LoadAll can loop forever on some bad text (a lone ','): a bounded pass
    // first, which throws where the parser would stop advancing (parse_guard.cpp says why).
    check_parser_advances(yaml_text);
    const std::vector<YAML::Node> documents = YAML::LoadAll(yaml_text);
    for (std::size_t i = 1; i < documents.size(); ++i)
      if (!documents[i].IsNull())
        fail(position(documents[i]),
             "the file holds more than one YAML document; keep only "
             "one scenario per file (remove this '---' part)");
    YAML::Node root = documents.empty() ? YAML::Node() : documents[0];
    apply_settings(root, settings);
    result.value = read_scenario(root, file, settings, reader);
  } catch (const scenario_error& e) {
    result.error = format_error(file, e.pos, e.message, settings);
  } catch (const YAML::DeepRecursion& e) {
    const source_pos pos = position(e.mark, {});
    result.error = format_error(file, pos,
                                "the lists and mappings here are nested too deeply "
                                "to read; check the brackets and the indentation");
  } catch (const YAML::ParserException& e) {
    const source_pos pos = position(e.mark, {});
    result.error = format_error(file, pos,
                                "this is not valid YAML (" + e.msg +
                                    "); check the indentation, colons and quotes "
                                    "here");
  } catch (const YAML::Exception& e) {
    const source_pos pos = position(e.mark, {});
    result.error = format_error(file, pos, "cannot read the scenario (" + e.msg + ")");
  } catch (const std::exception& e) {
    result.error =
        format_error(file, {}, std::string("cannot read the scenario (") + e.what() + ")");
  } catch (...) {
    result.error = format_error(file, {}, "cannot read the scenario (unknown failure)");
  }
  forget_settings();
  if (!result.error.empty()) result.value.reset();
  return result;
}

load_result load_scenario(const std::string& path, const std::vector<setting>& settings,
                          const file_reader& reader) {
  std::string text;  // beyond the limit, parse_scenario refuses it
  if (const int failure = (reader ? reader : read_file)(path, max_file_bytes, text); failure != 0) {
    load_result result;
    result.error = path + ": error: cannot read the scenario file (" + std::strerror(failure) + ")";
    return result;
  }
  return parse_scenario(text, path, settings, reader);
}

}  // namespace svcsim
