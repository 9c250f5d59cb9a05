#include "infer/read_traces.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "infer/format_readers.hpp"

namespace svcsim::infer {

const char* const recognised_formats =
    "Jaeger JSON ({\"data\":[...]} or a trace with traceID and spans), OTLP JSON "
    "({\"resourceSpans\":[...]}, also one per line) or Zipkin v2 JSON (an array of spans with "
    "traceId and id)";

namespace {

constexpr std::uintmax_t max_file_bytes = std::uintmax_t{1} << 30;

enum class format { unknown, jaeger, otlp, zipkin };

const char* name_of(format f) {
  switch (f) {
    case format::jaeger:
      return "jaeger";
    case format::otlp:
      return "otlp";
    case format::zipkin:
      return "zipkin";
    default:
      return "unknown";
  }
}

format shape_of(const json& j) {
  if (j.is_object()) {
    if (field(j, "resourceSpans")) return format::otlp;
    if (const json* data = field(j, "data"); data && (data->is_array() || data->is_object()))
      return format::jaeger;
    if (field(j, "traceID") && field(j, "spans")) return format::jaeger;
    return format::unknown;
  }
  if (!j.is_array() || j.empty()) return format::unknown;
  const json& first = j.front().is_array() && !j.front().empty() ? j.front().front() : j.front();
  if (field(first, "traceId") && field(first, "id")) return format::zipkin;
  if (field(first, "traceID") && field(first, "spans")) return format::jaeger;
  if (field(first, "resourceSpans")) return format::otlp;
  return format::unknown;
}

void read_as(format f, const json& doc, std::vector<observed_span>& out, diagnostics& d) {
  if (f == format::jaeger) read_jaeger(doc, out, d);
  if (f == format::otlp) {
    if (doc.is_array()) {
      for (const auto& x : doc) read_otlp(x, out, d);
    } else {
      read_otlp(doc, out, d);
    }
  }
  if (f == format::zipkin) read_zipkin(doc, out, d);
}

// "LINE:COLUMN" of byte offset `byte` (1-based, as nlohmann counts it).
std::string position(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

std::string read_trace_text(const std::string& text, const std::string& name, observed& into,
                            diagnostics& d) {
  std::vector<observed_span> spans;
  format f = format::unknown;
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_discarded()) {
    f = shape_of(doc);
    if (f != format::unknown) read_as(f, doc, spans, d);
  } else {
    // JSON Lines: every non-blank line one document of one format.
    std::istringstream lines(text);
    std::string line;
    std::size_t number = 0, documents = 0;
    bool ok = true;
    while (ok && std::getline(lines, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json one = json::parse(line, nullptr, false);
      const format g = one.is_discarded() ? format::unknown : shape_of(one);
      ok = g != format::unknown && (f == format::unknown || g == f);
      if (ok) {
        f = g;
        ++documents;
        read_as(f, one, spans, d);
      }
    }
    if (!ok || documents < 2) {
      std::string where;
      try {
        const json unused = json::parse(text);
        (void)unused;
      } catch (const json::parse_error& e) {
        where = position(text, e.byte) + ": ";
      }
      return name + ":" + where +
             "error: not valid JSON (nor JSON Lines of trace documents); infer reads " +
             recognised_formats;
    }
  }
  if (f == format::unknown) {
    std::string what = "neither an object nor an array";
    if (doc.is_object()) what = "an object without resourceSpans, data, or traceID and spans";
    if (doc.is_array())
      what = doc.empty() ? "an empty array"
                         : "an array whose first item has neither traceId and id, nor traceID "
                           "and spans, nor resourceSpans";
    return name + ": error: unknown trace format (" + what + "); infer reads " + recognised_formats;
  }
  into.files.push_back(name + " (" + name_of(f) + ", " + std::to_string(spans.size()) + " spans)");
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& t : into.traces) index.emplace(t.trace_id, index.size());
  for (auto& s : spans) {
    auto [it, fresh] = index.emplace(s.trace_id, into.traces.size());
    if (fresh) into.traces.push_back({s.trace_id, {}});
    into.traces[it->second].spans.push_back(std::move(s));
  }
  return "";
}

read_result read_traces(const std::vector<std::string>& paths, diagnostics& d) {
  read_result r;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      r.error = path + ": error: a directory, not a trace file; name the files in it";
      return r;
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_file_bytes) {
      r.error = path + ": error: the trace file is larger than 1 GiB; split it (infer reads " +
                "several files as one set)";
      return r;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      r.error = path + ": error: cannot read the trace file (" + std::strerror(errno) + ")";
      return r;
    }
    // Read in pieces, so that a device or a pipe without end (/dev/zero) is stopped at the limit.
    std::string text;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      text.append(buf, static_cast<std::size_t>(in.gcount()));
      if (text.size() > max_file_bytes) {
        r.error = path + ": error: the trace file is larger than 1 GiB; split it (infer reads " +
                  "several files as one set)";
        return r;
      }
    }
    if (in.bad()) {
      r.error = path + ": error: cannot read the trace file";
      return r;
    }
    r.error = read_trace_text(text, path, r.data, d);
    if (!r.error.empty()) return r;
  }
  return r;
}

}  // namespace svcsim::infer
