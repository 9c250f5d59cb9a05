#include "scenarios/load/empirical.hpp"

#include <cctype>
#include <cmath>
#include <cstring>

#include "scenarios/load/read_file.hpp"
#include "scenarios/load/suggest.hpp"
#include "scenarios/load/units.hpp"

namespace svcsim {
namespace {

constexpr std::size_t max_empirical_bytes = 64 << 20;

// One value of an empirical data file: a duration with its unit, or a number of milliseconds,
// from 0 to 10 years. Returns what is wrong with it, or "" when it is good.
std::string empirical_value(std::string_view line, double& ns) {
  double ms;
  if (parse_number(line, ms)) {
    ns = ms * 1e6;
    if (ms < 0) return "is negative; durations are never below 0";
    if (ns > static_cast<double>(max_duration_ns)) return "is more than 10 years";
    return "";
  }
  const auto d = parse_duration(line);
  ns = static_cast<double>(d.value);
  if (d.ok()) return "";
  return "is neither a duration (e.g. '12ms') nor a number of milliseconds (e.g. '12.5')";
}

// A CSV header: a first line that starts with a letter (a column name).
bool is_header(std::string_view line) {
  return !line.empty() && std::isalpha(static_cast<unsigned char>(line[0]));
}

// The values of the data file at `full` (named `path` in messages): one value a line; blank
// lines and '#' comments are skipped, and so is a header, the first other line when it starts
// with a letter. A UTF-8 byte order mark is ignored.
parsed<std::shared_ptr<const std::vector<double>>> read_values(const std::string& path,
                                                               const std::string& full,
                                                               const file_reader& reader) {
  using result = std::shared_ptr<const std::vector<double>>;
  std::string content;
  if (const int failure = (reader ? reader : read_file)(full, max_empirical_bytes, content);
      failure != 0)
    return failed<result>("cannot read empirical data " + quoted(path) + " (" +
                          std::strerror(failure) + "); give a path relative to the scenario file");
  if (content.size() > max_empirical_bytes)
    return failed<result>("empirical data " + quoted(path) +
                          " is larger than 64 MiB, the "
                          "limit; sample it down");
  auto values = std::make_shared<std::vector<double>>();
  std::size_t line_no = 0, start = content.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  bool first = true;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    const std::string_view line = trim(std::string_view(content).substr(start, end - start));
    start = end + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    const bool header = first && is_header(line);
    first = false;
    if (header) continue;
    double ns;
    if (const std::string wrong = empirical_value(line, ns); !wrong.empty())
      return failed<result>("empirical data " + quoted(path) + " line " + std::to_string(line_no) +
                            ": " + quoted(std::string(line.substr(0, 40))) + " " + wrong +
                            "; write one value a line");
    values->push_back(ns);
  }
  if (values->empty())
    return failed<result>("empirical data " + quoted(path) +
                          " holds no value; write one "
                          "duration (e.g. '12ms') or number of milliseconds a line");
  return parsed<result>{std::move(values), {}};
}

}  // namespace

// `empirical(PATH)`: the values of its file, read once per data_files.
parsed<distribution> read_empirical(std::string_view path_text, data_files* files, distribution d) {
  const std::string base_dir = files ? files->folder : "";
  const std::string path(trim(path_text));
  if (path.empty())
    return failed<distribution>(
        "empirical needs a data file; write e.g. "
        "'empirical(data/latency.csv)'");
  const std::string full = path[0] == '/' || base_dir.empty() ? path : base_dir + "/" + path;
  std::shared_ptr<const std::vector<double>> values;
  if (files) {
    if (auto it = files->read.find(full); it != files->read.end()) values = it->second;
  }
  if (!values) {
    auto loaded = read_values(path, full, files ? files->reader : file_reader());
    if (!loaded.ok()) return failed<distribution>(loaded.error);
    values = loaded.value;
    if (files) files->read[full] = values;
  }
  double sum = 0, squares = 0;
  for (double v : *values) sum += v;
  const double mean = sum / static_cast<double>(values->size());
  for (double v : *values) squares += (v - mean) * (v - mean);
  d.k = distribution::kind::empirical;
  d.a = mean;
  d.b = std::sqrt(squares / static_cast<double>(values->size()));
  d.values = std::move(values);
  return parsed<distribution>{std::move(d), {}};
}

}  // namespace svcsim
