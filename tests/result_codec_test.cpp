// The wire format of run results (distributed/result_codec.hpp): real runs of every shipped
// scenario come back whole (the same bytes again, the same reports in every format), special
// doubles keep their bits, and garbage is refused with a message, never a crash.
#include "distributed/result_codec.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "actors/simulate.hpp"
#include "report/formats.hpp"
#include "scenarios/load/loader.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

run_result decoded(const std::string& bytes) {
  run_result r;
  std::string error;
  const bool ok = decode(bytes, r, &error);
  INFO(error);
  REQUIRE(ok);
  CHECK(error.empty());
  return r;
}

// The first line where a and b differ, with its number; empty when they are the same.
std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t start = 0, line = 1;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) {
      const auto end = [&](const std::string& s) {
        return s.substr(start, s.find('\n', i) - start);
      };
      return "line " + std::to_string(line) + ":\n" + end(a) + "\n" + end(b);
    }
    if (a[i] == '\n') start = i + 1, ++line;
  }
  return a.size() == b.size() ? "" : "one ends at line " + std::to_string(line);
}

// Every report format of `copies` is the same as of `originals`.
void same_reports(const scenario& s, const std::vector<run_result>& originals,
                  const std::vector<run_result>& copies) {
  report a, b;
  a.scenario = b.scenario = s.name;
  a.seed = b.seed = s.seed;
  a.runs = originals;
  b.runs = copies;
  for (const auto& f : report_formats) {
    CAPTURE(f.name);
    CHECK(first_difference(f.run_report(a), f.run_report(b)) == "");
  }
}

// Every run of `s` the command line could make: both modes and the file's designs, each
// watching the first second's requests.
std::vector<run_result> runs_of(const scenario& s) {
  simulate_options o;
  o.watch = send_interval{0, 1000000000};
  std::vector<run_result> runs;
  for (mode m : {mode::sync, mode::async}) runs.push_back(simulate(s, m, o));
  for (const auto& d : s.designs) runs.push_back(simulate(s, d, o));
  return runs;
}

scenario shipped(const std::string& name) {
  const auto l = load_scenario(SVCSIM_SOURCE_DIR "/scenarios/" + name + ".yaml");
  REQUIRE(l.value);
  return *l.value;
}

// Refused, with a message.
void refused(const std::string& bytes) {
  run_result r;
  std::string error;
  CHECK_FALSE(decode(bytes, r, &error));
  CHECK_FALSE(error.empty());
}

std::uint64_t bits(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

void put_u64(std::string& s, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s[at + i] = static_cast<char>(v >> (8 * i) & 0xff);
}

}  // namespace

TEST_CASE("result codec: every shipped scenario's runs come back whole", "[wire]") {
  bool windows = false, instances = false, designs = false;
  for (const auto& file : shipped_scenarios()) {
    CAPTURE(file);
    const auto l = load_scenario(file);
    REQUIRE(l.value);
    scenario s = *l.value;
    // Past the outages (20s to 30s) and no further: the runs take half the time.
    if (s.duration && *s.duration > 35000000000LL) s.duration = 35000000000LL;
    const auto originals = runs_of(s);
    std::vector<run_result> copies;
    for (const auto& run : originals) {
      const std::string bytes = encode(run);
      copies.push_back(decoded(bytes));
      CHECK(encode(copies.back()) == bytes);
      CHECK(copies.back().wall_time_s == run.wall_time_s);
      CHECK(copies.back().events == run.events);
      windows = windows || !run.timeline.windows.empty();
      for (const auto& svc : run.services) instances = instances || !svc.instances.empty();
      designs = designs || !run.design.empty();
    }
    same_reports(s, originals, copies);
  }
  CHECK(windows);
  CHECK(instances);
  CHECK(designs);
}

TEST_CASE("result codec: special doubles keep their bits", "[wire]") {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double specials[] = {nan,     -nan,     inf,          -inf,   -0.0,     0.0,
                             DBL_MAX, -DBL_MAX, DBL_TRUE_MIN, 1e-310, -DBL_MIN, 0.1};
  run_result r;
  r.mode = mode::async;
  r.design = "hybrid";
  r.sim_time_s = nan;
  r.wall_time_s = -0.0;
  r.measured_s = DBL_TRUE_MIN;
  r.late_spans = std::numeric_limits<std::uint64_t>::max();
  r.events = std::numeric_limits<std::int64_t>::min();
  workload_result w;
  w.name = "w";
  for (double x : specials) w.latency_cdf.emplace_back(x, -x);
  w.latency_ms.p99 = inf;
  r.workloads.push_back(w);
  r.timeline.t_s.assign(std::begin(specials), std::end(specials));
  r.timeline.workloads.emplace_back().p50_ms.assign(std::begin(specials), std::end(specials));
  failure_window fw;
  fw.failure.kind = failure_kind::errors;
  fw.failure.length = -1;
  fw.topics.emplace_back().caught_up_s = inf;
  fw.topics.back().subscriptions.emplace_back().caught_up_s = -nan;
  r.timeline.windows.push_back(fw);

  const run_result back = decoded(encode(r));
  CHECK(bits(back.sim_time_s) == bits(nan));
  CHECK(bits(back.wall_time_s) == bits(-0.0));
  CHECK(bits(back.measured_s) == bits(DBL_TRUE_MIN));
  CHECK(back.late_spans == r.late_spans);
  CHECK(back.events == r.events);
  CHECK(back.mode == mode::async);
  CHECK(back.design == "hybrid");
  REQUIRE(back.workloads.size() == 1);
  CHECK(bits(back.workloads[0].latency_ms.p99) == bits(inf));
  REQUIRE(back.workloads[0].latency_cdf.size() == std::size(specials));
  REQUIRE(back.timeline.t_s.size() == std::size(specials));
  REQUIRE(back.timeline.workloads.at(0).p50_ms.size() == std::size(specials));
  for (std::size_t i = 0; i < std::size(specials); ++i) {
    CAPTURE(i);
    const auto& [x, minus_x] = back.workloads[0].latency_cdf[i];
    CHECK(std::memcmp(&x, &specials[i], sizeof x) == 0);
    CHECK(bits(minus_x) == bits(-specials[i]));
    CHECK(bits(back.timeline.t_s[i]) == bits(specials[i]));
    CHECK(bits(back.timeline.workloads[0].p50_ms[i]) == bits(specials[i]));
  }
  const auto& window = back.timeline.windows.at(0);
  CHECK(window.failure.kind == failure_kind::errors);
  CHECK(window.failure.length == std::optional<nanos>(-1));
  CHECK(bits(window.topics.at(0).caught_up_s) == bits(inf));
  CHECK(bits(window.topics[0].subscriptions.at(0).caught_up_s) == bits(-nan));
}

TEST_CASE("result codec: garbage is refused with a message", "[wire]") {
  scenario s = shipped("user-signup-outage");
  s.duration = 5000000000LL;  // a small encoding: every prefix is tried
  const std::string bytes = encode(simulate(s, mode::async));
  REQUIRE(bytes.size() > 1000);

  SECTION("empty, wrong magic, trailing bytes") {
    refused("");
    refused("SVR");
    refused("SVR2" + bytes.substr(4));
    refused(bytes + '\0');
    run_result r;
    std::string error;
    CHECK_FALSE(decode(bytes + "xy", r, &error));
    CHECK(error == "2 bytes after the end at byte " + std::to_string(bytes.size()));
    CHECK(decode(bytes, r, nullptr));
    CHECK_FALSE(decode("", r, nullptr));
  }
  SECTION("every truncation") {
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      run_result r;
      std::string error;
      if (decode(std::string_view(bytes).substr(0, n), r, &error) || error.empty()) FAIL(n);
    }
    run_result r;
    std::string error;
    CHECK_FALSE(decode(std::string_view(bytes).substr(0, 9), r, &error));
    CHECK(error == "truncated at byte 5 in design");
  }
  SECTION("byte flips: refused, or a valid encoding of something else") {
    std::mt19937 random(20261128);
    for (int i = 0; i < 3000; ++i) {
      std::string flipped = bytes;
      const std::size_t at = random() % flipped.size();
      flipped[at] = static_cast<char>(flipped[at] ^ (1 + random() % 255));
      run_result r;
      std::string error;
      if (decode(flipped, r, &error)) {
        if (encode(r) != flipped) FAIL("accepted, but not as sent: flip at " << at);
      } else if (error.empty()) {
        FAIL("no message: flip at " << at);
      }
    }
  }
  SECTION("huge lengths and out-of-range values") {
    std::string huge = bytes;
    put_u64(huge, 5, std::uint64_t{1} << 62);  // the design's length
    run_result r;
    std::string error;
    CHECK_FALSE(decode(huge, r, &error));
    CHECK(error.find("length 4611686018427387904 beyond the") == 0);
    CHECK(error.find("in design") != std::string::npos);
    // warnings: 73 bytes follow its count (1, "a", the empty rest), room for 9 strings.
    run_result one;
    one.warnings = {"a"};
    const std::string warnings = encode(one);
    REQUIRE(decoded(warnings).warnings.size() == 1);
    const std::size_t count_at = warnings.size() - 8 - 73;
    std::string more = warnings;
    put_u64(more, count_at, 10);
    CHECK_FALSE(decode(more, r, &error));
    CHECK(error == "length 10 beyond the 73 bytes left at byte " + std::to_string(count_at) +
                       " in warnings");
    put_u64(more, count_at, 9);
    CHECK_FALSE(decode(more, r, &error));
    CHECK(error == "truncated at byte " + std::to_string(more.size()) + " in falling_behind");
    // A mode of 2.
    std::string bad_mode = bytes;
    bad_mode[4] = 2;
    CHECK_FALSE(decode(bad_mode, r, &error));
    CHECK(error == "value 2 out of range at byte 4 in mode");
  }
  SECTION("instances nested beyond the bound") {
    const auto nested = [](int levels) {
      run_result r;
      service_result svc;
      svc.name = "leaf";
      for (int i = 0; i < levels; ++i) {
        service_result outer;
        outer.instances.push_back(svc);
        svc = outer;
      }
      r.services.push_back(svc);
      return encode(r);
    };
    run_result back;
    std::string error;
    CHECK_FALSE(decode(nested(12), back, &error));
    CHECK(error.find("nested too deep") == 0);
    CHECK(decoded(nested(4)).services.at(0).instances.size() == 1);
  }
}
