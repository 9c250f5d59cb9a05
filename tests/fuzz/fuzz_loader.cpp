// libFuzzer target over the scenario loader and the unit parsers (make fuzz; docs/design.md).
//
// Each input is scenario text: parse_scenario() reads it as the file <sandbox>/fuzz.yaml, and
// parse_duration, parse_rate, parse_probability and parse_distribution read the whole input and
// each of its lines. Besides crashes, sanitizer reports, hangs (-timeout) and memory blowups
// (-rss_limit_mb), a broken contract is a finding: the loader must give a value or exactly one
// line `FILE[:LINE:COLUMN]: error: WHAT IS WRONG; WHAT TO WRITE INSTEAD`, and a unit parser a
// value or a message saying what to write instead.
//
// Empirical data files: the loader reads the files a scenario names. So that the fuzzer cannot
// wander over the disk (as root it could open /dev/kmsg or a FIFO, whose reads block), this
// target links its own svcsim::read_file in place of the loader's read_file.cpp: it reads only
// regular files inside the sandbox folder, which holds two small data files.
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "scenarios/load/loader.hpp"
#include "scenarios/load/read_file.hpp"
#include "scenarios/load/units.hpp"

namespace {

std::string sandbox;  // a fresh folder holding data/latency.csv and work.csv

void make_sandbox() {
  char tmpl[] = "/tmp/svcsim-fuzz-XXXXXX";
  if (!mkdtemp(tmpl)) std::abort();
  sandbox = tmpl;
  mkdir((sandbox + "/data").c_str(), 0700);
  std::ofstream(sandbox + "/data/latency.csv") << "latency_ms\n1.5\n2\n# comment\n\n12ms\n";
  std::ofstream(sandbox + "/work.csv") << "3\n4.5\n1s\n";
}

// A path inside the sandbox with no ".." part.
bool in_sandbox(const std::string& path) {
  const std::string prefix = sandbox + "/";
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  const std::string rest = "/" + path.substr(prefix.size()) + "/";
  return rest.find("/../") == std::string::npos;
}

[[noreturn]] void broken(const char* what, const std::string& text) {
  std::fprintf(stderr, "contract broken: %s: [%s]\n", what, text.c_str());
  std::abort();
}

// One line, `FILE: error: ` or `FILE:LINE:COLUMN: error: ` (both 1-based), then a message.
void check_loader_error(const std::string& file, const std::string& error) {
  if (error.empty()) broken("no value and no error", error);
  if (error.find('\n') != std::string::npos) broken("error of more than one line", error);
  if (error.compare(0, file.size(), file) != 0) broken("error not naming the file", error);
  std::size_t at = file.size();
  if (error.compare(at, 9, ": error: ") != 0) {
    for (int part = 0; part < 2; ++part) {
      if (at >= error.size() || error[at] != ':') broken("no ':' before the position", error);
      std::size_t digits = 0;
      while (at + 1 + digits < error.size() &&
             std::isdigit(static_cast<unsigned char>(error[at + 1 + digits])))
        ++digits;
      if (digits == 0 || error[at + 1] == '0') broken("position not a number from 1", error);
      at += 1 + digits;
    }
    if (error.compare(at, 9, ": error: ") != 0) broken("no ': error: ' after the position", error);
  }
  if (error.size() <= at + 9) broken("an empty message", error);
}

// A unit parser's message may quote the text, newlines and all (the loader makes it one line).
template <class T>
void check_unit(const svcsim::parsed<T>& p, std::string_view text) {
  if (!p.ok() && p.error.find("; ") == std::string::npos)
    broken("unit message without '; ' and what to write instead", std::string(text));
}

void parse_units(std::string_view text) {
  svcsim::data_files files{sandbox, {}};
  check_unit(svcsim::parse_duration(text), text);
  check_unit(svcsim::parse_rate(text), text);
  check_unit(svcsim::parse_probability(text), text);
  check_unit(svcsim::parse_distribution(text, &files), text);
}

}  // namespace

// In place of src/scenarios/load/read_file.cpp: the same reading, only of the sandbox's regular
// files (anything else reads as missing).
int svcsim::read_file(const std::string& path, std::size_t limit, std::string& out) {
  struct stat st;
  if (!in_sandbox(path) || stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return ENOENT;
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (!in) return errno;
  char buffer[65536];
  std::size_t n;
  while (out.size() <= limit && (n = std::fread(buffer, 1, sizeof buffer, in)) > 0)
    out.append(buffer, n);
  const int failure = std::ferror(in) ? EIO : 0;
  std::fclose(in);
  return failure;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  make_sandbox();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string file = sandbox + "/fuzz.yaml";
  const svcsim::load_result r = svcsim::parse_scenario(text, file);
  if (r.value && !r.error.empty()) broken("both a value and an error", r.error);
  if (!r.value) check_loader_error(file, r.error);

  if (size > 4096) return 0;  // the unit parsers read values, which are short
  parse_units(text);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    parse_units(std::string_view(text).substr(start, end - start));
    start = end + 1;
  }
  return 0;
}
