// Bad input never crashes, hangs or eats memory: the loader either returns a scenario or one
// line "FILE:LINE:COLUMN: error: ..." (or "FILE: error: ..." for the file as a whole).
// A deterministic mutation fuzz of valid scenarios, and regression tests for what fuzzing found.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/load/loader.hpp"
#include "scenarios/load/suggest.hpp"

using namespace svcsim;

namespace {

// Valid scenarios that between them use every part of the format.
const char* const seeds[] = {
    R"yaml(# user-signup
name: user-signup
description: A user service informs email, billing and analytics of every new user.
seed: 42
duration: 60s
warmup: 5s
network:
  latency: 500us          # one way, per hop
broker:
  latency: 1ms
services:
  users:
    workers: 8
    endpoints:
      create:
        work: exp(2ms)
        steps:
          - notify: user.created
  email:
    workers: 4
    subscribes:
      user.created:
        work: exp(8ms)
  billing:
    workers: 4
    subscribes:
      user.created:
        work: exp(5ms)
workloads:
  - name: signup
    target: users.create
    arrivals: poisson(200/s)
)yaml",
    R"yaml(name: shop
duration: 10s
requests: 1000
drain: 10m
mode: async
sync:
  notify: parallel
  timeout: none
  retries: 0
broker: {latency: 300us, capacity: unlimited, delivery: at-least-once, prefetch: 0}
services:
  gateway:
    workers: 32
    queue: 1000
    blocking: true
    endpoints:
      checkout:
        work: uniform(1ms, 3ms)
        steps:
          - call: orders.create
            timeout: none
            retries: 0
            optional: false
          - parallel:
              - call: stock.reserve
              - parallel: [{work: 1ms}, {publish: audit.entry}]
          - work: normal(5ms, 1ms)
  orders:
    endpoints:
      create: {work: "lognormal(4ms, 3ms)", steps: [{notify: order.placed}]}
  stock:
    endpoints:
      reserve: &quick {work: "erlang(4, 2ms)"}
      release: *quick
  shipping:
    subscribes:
      order.placed: {work: "hyperexp(0.9, 1ms, 10ms)"}
      audit.entry:
        steps:
          - work: const(2ms)
workloads:
  - {name: buy, target: gateway.checkout, arrivals: constant(12000/m)}
  - name: restock
    target: stock.release
    arrivals: poisson(0.8/s)
failures: []
)yaml",
};

// Values that stress the readers: extremes, wrong kinds, YAML oddities.
const std::vector<std::string> odd_values = {"0",
                                             "-1",
                                             "1e308",
                                             "nan",
                                             ".nan",
                                             "inf",
                                             "-.inf",
                                             "99999999999999999999999",
                                             "9223372036854775808",
                                             "18446744073709551616",
                                             "1e9/s",
                                             "1000000001/s",
                                             "0/s",
                                             "2/ns",
                                             "87660h",
                                             "87661h",
                                             "1e308s",
                                             "0.4ns",
                                             "",
                                             "\"\"",
                                             "~",
                                             "null",
                                             "[]",
                                             "{}",
                                             "[a, b]",
                                             "{a: 1}",
                                             "é",
                                             "\xe7\x94\xa8\xe6\x88\xb7",
                                             "!!binary aGVsbG8=",
                                             "!!int 3",
                                             "*undefined",
                                             "&a x",
                                             "|\n  block\n",
                                             "exp(-1ms)",
                                             "uniform(3ms, 1ms)",
                                             "uniform(1ms,,3ms)",
                                             "erlang(0, 1ms)",
                                             "erlang(1.5, 1ms)",
                                             "hyperexp(nan, 1ms, 2ms)",
                                             "lognormal(0ms, 1ms)",
                                             "empirical(x.csv)",
                                             "exp(2ms",
                                             "exp(2ms))",
                                             "poisson(200/s",
                                             "poisson(1e10/s)",
                                             "constant(1/ns)",
                                             "(",
                                             ")",
                                             "a.b.c",
                                             ".",
                                             "true",
                                             "0x10",
                                             "1_000",
                                             "+5",
                                             "2 ms",
                                             "2mS",
                                             "\"a\\0b\"",
                                             "\"\\t\"",
                                             "- a",
                                             "[[[[[[[[[[]]]]]]]]]]",
                                             "[{work: 1ms}]",
                                             "[{parallel: [{work: 1ms}]}]",
                                             "{call: users.create}",
                                             "'unterminated",
                                             "\"unterminated",
                                             std::string(3000, 'x'),
                                             std::string("\x00\x01\x7f\xff", 4)};

// Whole lines to insert: anchors, merge keys, tags, directives, document markers.
const std::vector<std::string> odd_lines = {"<<: *x",
                                            "x: &x {workers: 4}",
                                            "<<: {workers: 2}",
                                            "---",
                                            "...",
                                            "%YAML 1.2",
                                            "? [a, b]",
                                            ": c",
                                            "&a",
                                            "*a",
                                            "- *a",
                                            "{a: 1, a: 2}",
                                            "\t",
                                            "key: value: value",
                                            "- - -",
                                            "#",
                                            "a: |",
                                            "failures: [{service: a, kind: crash, at: 1s}]",
                                            "requests: 9223372036854775807",
                                            "mode: ASYNC",
                                            "seed: -1",
                                            "steps: &s [{parallel: *s}]",
                                            "- parallel: *s",
                                            "name: Bad Name",
                                            "\xef\xbb\xbf"};

// splitmix64: the same sequence on every platform.
struct prng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(text.substr(start, nl - start));
  lines.push_back(text.substr(start));
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

// One random edit of the lines.
void mutate(std::vector<std::string>& lines, prng& r) {
  if (lines.empty()) lines.emplace_back();
  const std::size_t i = r.below(lines.size());
  std::string& line = lines[i];
  switch (r.below(12)) {
    case 0:
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    case 1:
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i), std::string(line));
      break;
    case 2:
      std::swap(line, lines[std::min(i + 1, lines.size() - 1)]);
      break;
    case 3: {  // indentation
      const std::size_t n = r.below(5);
      if (r.below(2))
        line.insert(0, n, ' ');
      else
        line.erase(0, std::min(n, line.find_first_not_of(' ')));
      break;
    }
    case 4:
    case 5:
    case 6: {  // a value
      const auto colon = line.find(": ");
      if (colon != std::string::npos)
        line = line.substr(0, colon + 2) + odd_values[r.below(odd_values.size())];
      break;
    }
    case 7: {  // a line
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i),
                   std::string(r.below(4) * 2, ' ') + odd_lines[r.below(odd_lines.size())]);
      break;
    }
    case 8: {  // a byte
      const char bytes[] = {'\0', '\t', '\r', '\x1b', '\x7f', '\xff', ':', '-',
                            '{',  '}',  '[',  ']',    ',',    '&',    '*', '!',
                            '|',  '>',  '\'', '"',    '%',    '@',    '#', '?'};
      line.insert(r.below(line.size() + 1), 1, bytes[r.below(sizeof bytes)]);
      break;
    }
    case 9: {  // an anchor on one value, an alias to it as another
      const std::size_t j = r.below(lines.size());
      const auto from = lines[i].find(": "), to = lines[j].find(": ");
      if (from == std::string::npos || to == std::string::npos) break;
      lines[i].insert(from + 2, "&m ");
      lines[j] = lines[j].substr(0, lines[j].find(": ", to) + 2) + "*m";
      break;
    }
    case 10: {  // steps that contain themselves
      const auto at = line.find("steps:");
      if (at == std::string::npos) break;
      line = line.substr(0, at) + "steps: &loop";
      lines.insert(
          lines.begin() + static_cast<std::ptrdiff_t>(i) + 1,
          std::string(at + 2, ' ') + (r.below(2) ? "- parallel: *loop" : "- {parallel: [*loop]}"));
      break;
    }
    default:  // cut the file here
      line.resize(r.below(line.size() + 1));
      lines.resize(i + 1);
      break;
  }
}

// What every answer of the loader must look like.
void check_answer(const load_result& r, const std::string& text) {
  INFO("input:\n" << text << "\nerror: " << r.error);
  if (r.value) {
    CHECK(r.error.empty());
    return;
  }
  REQUIRE_FALSE(r.error.empty());
  CHECK(r.error.rfind("f.yaml:", 0) == 0);
  CHECK(r.error.find(": error: ") != std::string::npos);
  CHECK(r.error.find('\n') == std::string::npos);
  CHECK(r.error.size() < 2000);
}

load_result parse(const std::string& text) { return parse_scenario(text, "f.yaml"); }

std::string error_of(const std::string& text) {
  const auto r = parse(text);
  CHECK_FALSE(r.value);
  return r.error;
}

// A one-service scenario whose endpoint `a.e` has `steps` (lines indented for `steps:`).
std::string with_steps(const std::string& steps) {
  return "name: t\nduration: 1s\nservices:\n  a:\n    endpoints:\n      e:\n        steps:\n" +
         steps + "workloads:\n  - {name: w, target: a.e, arrivals: poisson(1/s)}\n";
}

}  // namespace

TEST_CASE("mutated scenarios load or fail with one positioned line, never throw") {
  for (const char* seed : seeds) REQUIRE(parse(seed).value);
  prng r{20261126};
  int loaded = 0, refused = 0;
  for (int n = 0; n < 3000; ++n) {
    auto lines = split_lines(seeds[n % 2]);
    const std::size_t edits = 1 + r.below(3);
    for (std::size_t k = 0; k < edits; ++k) mutate(lines, r);
    const std::string text = join_lines(lines);
    load_result result;
    REQUIRE_NOTHROW(result = parse(text));
    check_answer(result, text);
    (result.value ? loaded : refused) += 1;
  }
  // The fuzz reaches both outcomes (a change here means the mutations lost their bite).
  CHECK(loaded > 100);
  CHECK(refused > 1000);
}

TEST_CASE("a YAML alias that refers to itself is refused, not followed forever") {
  CHECK(error_of(with_steps("          - &s {parallel: [*s]}\n")) ==
        "f.yaml:8:17: error: 'parallel' in a.e is nested more than 100 deep (a YAML alias may "
        "refer to itself); nest fewer levels");
  CHECK(error_of(with_steps("          - parallel: &s [{parallel: *s}, {work: 1ms}]\n"))
            .rfind("f.yaml:8:28: error: 'parallel' in a.e is nested more than 100 deep", 0) == 0);
  CHECK(error_of("name: t\nduration: 1s\nservices:\n  a:\n    endpoints:\n      e:\n"
                 "        steps: &s\n          - parallel: *s\n"
                 "workloads:\n  - {name: w, target: a.e, arrivals: poisson(1/s)}\n")
            .rfind("f.yaml:8:13: error: 'parallel' in a.e is nested more than 100 deep", 0) == 0);
}

TEST_CASE("parallel steps nest up to 100 deep") {
  auto nested = [](int depth) {
    std::string steps, indent = "          ";
    for (int i = 0; i < depth; ++i, indent += "  ") steps += indent + "- parallel:\n";
    return with_steps(steps + indent + "- work: 1ms\n");
  };
  CHECK(parse(nested(100)).value);
  CHECK(error_of(nested(101)) ==
        "f.yaml:108:213: error: 'parallel' in a.e is nested more than 100 deep (a YAML alias "
        "may refer to itself); nest fewer levels");
}

TEST_CASE("aliases that multiply a small file into a huge scenario are refused") {
  // Nine levels of ten aliases each: 10^9 steps from a dozen lines.
  std::string steps = "          - parallel: &l0 [{work: 1ms}";
  for (int k = 1; k < 10; ++k) steps += ", {work: 1ms}";
  steps += "]\n";
  for (int i = 1; i < 9; ++i) {
    const std::string use = "{parallel: *l" + std::to_string(i - 1) + "}";
    steps += "          - parallel: &l" + std::to_string(i) + " [" + use;
    for (int k = 1; k < 10; ++k) steps += ", " + use;
    steps += "]\n";
  }
  const std::string e = error_of(with_steps(steps));
  CHECK(e.find(": error: the scenario has more than 1000000 handlers and steps in all (each use "
               "of a YAML alias counts again); make it smaller") != std::string::npos);
  CHECK(e.rfind("f.yaml:", 0) == 0);
}

TEST_CASE("notify steps may not expand to more than a million sync calls") {
  std::string text =
      "name: t\nduration: 1s\nservices:\n  a:\n    endpoints:\n      e:\n"
      "        steps:\n";
  for (int i = 0; i < 1001; ++i) text += "          - notify: t\n";
  for (int i = 0; i < 1000; ++i) text += "  s" + std::to_string(i) + ": {subscribes: {t: {}}}\n";
  text += "workloads:\n  - {name: w, target: a.e, arrivals: poisson(1/s)}\n";
  CHECK(error_of(text) ==
        "f.yaml:1008:21: error: the notify steps would make more than 1000000 calls in all in "
        "sync mode (each calls every subscriber of its topic, and 't' has 1000); use fewer "
        "notify steps, or publish");
}

TEST_CASE("YAML nested too deeply for the parser gets a message that says so") {
  const std::string deep = "name: t\nx: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  const std::string e = error_of(deep);
  CHECK(e.rfind("f.yaml:2:", 0) == 0);
  CHECK(e.find(": error: the lists and mappings here are nested too deeply to read; check the "
               "brackets and the indentation") != std::string::npos);
}

TEST_CASE("error messages stay on one line of readable length") {
  const std::string rest = with_steps("").substr(std::string("name: t\n").size());
  // A block scalar ends with a newline; a quoted one may hold any control character.
  CHECK(error_of("name: |\n  Shop\n" + rest) ==
        "f.yaml:1:7: error: name 'Shop\\n' may use only lowercase letters, digits, '_' and '-'; "
        "write e.g. 'shop'");
  CHECK(error_of("name: \"a\\0b\\x1b\\x7f\"\n" + rest) ==
        "f.yaml:1:7: error: name 'a\\x00b\\x1b\\x7f' may use only lowercase letters, "
        "digits, '_' and '-'; write e.g. 'a-b'");
  // Huge values are shortened in the middle, whole UTF-8 characters kept.
  CHECK(error_of("name: t\nduration: " + std::string(100000, '1') + "s\n" +
                 rest.substr(rest.find("services:"))) ==
        "f.yaml:2:11: error: '" + std::string(59, '1') + "..." + std::string(18, '1') +
            "s' is not a duration; write a number with a unit, e.g. '2ms' or '1.5s'");
  std::string wide;
  for (int i = 0; i < 100; ++i) wide += "\xc3\xa9";  // é
  const std::string e = error_of("name: " + wide + "\n" + rest);
  INFO(e);
  CHECK(e.size() < 300);
  CHECK(e.rfind("f.yaml:1:7: error: name '\xc3\xa9", 0) == 0);
  CHECK(e.find("\xc3\xa9...\xc3\xa9") != std::string::npos);
}

TEST_CASE("a file larger than 8 MiB is refused before it is parsed") {
  std::string text = "name: t\n";
  text.resize((8u << 20) + 1, '#');
  CHECK(parse(text).error ==
        "f.yaml: error: the scenario file is larger than 8 MiB, the limit; check that it is the "
        "right file (a scenario takes a few kilobytes)");
#ifdef __linux__
  // An endless file is not read forever.
  CHECK(load_scenario("/dev/zero")
            .error.rfind("/dev/zero: error: the scenario file is larger than 8 MiB", 0) == 0);
#endif
}

TEST_CASE("did-you-mean stays cheap with many long names") {
  // 800 subscriptions nobody sends to, 800 topics nobody receives: each warning looks for a
  // close name among the topics sent.
  std::string text =
      "name: t\nduration: 1s\nservices:\n  a:\n    endpoints:\n      e:\n"
      "        steps:\n";
  const std::string prefix(40, 'x');
  for (int i = 0; i < 800; ++i)
    text += "          - publish: " + prefix + "p" + std::to_string(i) + "\n";
  text += "    subscribes:\n";
  for (int i = 0; i < 800; ++i) text += "      " + prefix + "s" + std::to_string(i) + ": {}\n";
  text += "workloads:\n  - {name: w, target: a.e, arrivals: poisson(1/s)}\n";
  const auto r = parse(text);
  REQUIRE(r.value);
  REQUIRE(r.value->warnings.size() == 800);
  CHECK(r.value->warnings[7].find("; did you mean '" + prefix + "p7'?") != std::string::npos);
  // A long unknown name gets no suggestion rather than a costly search.
  const std::string name(1000, 'a');
  std::string calls = with_steps("          - call: " + name + "b.e\n");
  calls.replace(calls.find("  a:"), 4, "  " + name + ":");
  calls.replace(calls.find("target: a.e"), 11, "target: " + name + ".e");
  const std::string e = error_of(calls);
  CHECK(e.rfind("f.yaml:8:19: error: call to unknown service '" + std::string(59, 'a') + "...",
                0) == 0);
  CHECK(e.find("; call one of '") != std::string::npos);
  CHECK(e.find("did you mean") == std::string::npos);
  CHECK(e.size() < 400);
}

TEST_CASE("closest_name agrees with the full edit distance") {
  // The reference: the closest candidate within the limit, by the plain edit distance.
  auto reference = [](const std::string& word, const std::vector<std::string>& candidates) {
    auto lower = [](std::string s) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    const int limit = std::max(1, std::min(3, static_cast<int>(word.size()) / 3));
    std::optional<std::string> best;
    int best_distance = limit + 1;
    for (const auto& c : candidates) {
      if (c.empty() || c == word) continue;
      const int d = lower(c) == lower(word) ? 0 : edit_distance(lower(word), lower(c));
      if (d < best_distance) {
        best_distance = d;
        best = c;
      }
    }
    return best;
  };
  prng r{7};
  auto word = [&] {
    std::string s(r.below(12), ' ');
    for (char& c : s) c = "abcAB-"[r.below(6)];
    return s;
  };
  for (int n = 0; n < 3000; ++n) {
    const std::string w = word();
    std::vector<std::string> candidates(r.below(6));
    for (auto& c : candidates)  // unrelated words, and near misses of `w`
      c = r.below(2) ? word() : w.substr(0, r.below(w.size() + 1)) + word().substr(0, 2);
    INFO(w);
    CHECK(closest_name(w, candidates) == reference(w, candidates));
  }
}
