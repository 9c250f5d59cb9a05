#include "traces/waterfall.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <sstream>

namespace svcsim {
namespace {

std::string ms(std::int64_t ns) {
  char buf[32];
  const double x = static_cast<double>(ns) / 1e6;
  std::snprintf(buf, sizeof buf, x >= 100 ? "%.0f ms" : x >= 10 ? "%.1f ms" : "%.2f ms", x);
  return buf;
}

// UTF-8 cells of one bar.
enum class cell { none, queued, working, waiting, broker, publish };
const char* glyph(cell c) {
  switch (c) {
    case cell::none:
      return " ";
    case cell::queued:
      return "░";
    case cell::working:
      return "█";
    case cell::waiting:
      return "─";
    case cell::broker:
      return "▒";
    case cell::publish:
      return "│";
  }
  return " ";
}

struct layout {
  std::int64_t origin = 0;  // the root's start
  double per_cell = 1;      // nanoseconds
  int width = 60;
  // The cells [first, last] that the interval [a, b) covers; at least one.
  std::pair<int, int> cells(std::int64_t a, std::int64_t b) const {
    const int first = std::clamp(static_cast<int>((a - origin) / per_cell), 0, width - 1);
    const int last =
        std::clamp(static_cast<int>(std::ceil((b - origin) / per_cell)) - 1, first, width - 1);
    return {first, last};
  }
};

std::string status_word(span_status s) {
  return s == span_status::ok ? "" : std::string("  ") + span_exporter::status_name(s);
}

}  // namespace

std::string waterfall(const std::vector<trace_process>& processes,
                      const std::vector<traced_request>& requests, int width) {
  std::int64_t longest = 1;
  for (const auto& r : requests) {
    if (r.spans.empty()) continue;
    for (const auto& s : r.spans) longest = std::max(longest, s.end - r.spans[0].start);
  }
  std::ostringstream out;
  // The axis: ticks at round steps.
  const double step_ms = [&] {
    const double total = static_cast<double>(longest) / 1e6;
    for (double s :
         {0.001, 0.002, 0.005, 0.01, 0.02,  0.05,  0.1,   0.2,    0.5,    1.0,    2.0,
          5.0,   10.0,  20.0,  50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0})
      if (total / s <= 6) return s;
    return 60000.0;
  }();
  const double per_cell = static_cast<double>(longest) / width;
  std::size_t label_width = 0;
  struct row {
    std::string label, bar, note;
  };
  std::vector<std::vector<row>> blocks;
  for (const auto& r : requests) {
    blocks.emplace_back();
    if (r.spans.empty()) continue;
    layout lay{r.spans[0].start, per_cell, width};
    std::map<std::string, std::vector<const exported_span*>> children;
    std::map<std::string, const exported_span*> queue_of;
    for (const auto& s : r.spans) {
      if (s.kind == span_kind::internal && s.name == "queue")
        queue_of[s.parent_id] = &s;
      else
        children[s.parent_id].push_back(&s);
    }
    for (auto& [_, v] : children)
      std::stable_sort(v.begin(), v.end(), [](const exported_span* a, const exported_span* b) {
        return a->start < b->start;
      });
    std::function<void(const exported_span&, int)> add = [&](const exported_span& s, int depth) {
      std::vector<cell> cells(static_cast<std::size_t>(width), cell::none);
      auto paint = [&](std::int64_t a, std::int64_t b, cell c) {
        const auto [first, last] = lay.cells(a, b);
        for (int i = first; i <= last; ++i) cells[static_cast<std::size_t>(i)] = c;
      };
      const bool job = s.kind == span_kind::server || s.kind == span_kind::consumer;
      const cell body = job                             ? cell::working
                        : s.kind == span_kind::producer ? cell::publish
                        : s.kind == span_kind::internal ? cell::broker
                                                        : cell::waiting;
      paint(s.start, s.end, body);
      std::string note = ms(s.end - s.start);
      if (job) {  // its calls are waits; its queue wait first
        for (const auto* c : children[s.span_id])
          if (c->kind == span_kind::client || (c->kind == span_kind::producer && c->end > c->start))
            paint(c->start, c->end, cell::waiting);
        if (auto q = queue_of.find(s.span_id); q != queue_of.end()) {
          paint(q->second->start, q->second->end, cell::queued);
          note += ", queued " + ms(q->second->end - q->second->start);
        }
      }
      note += status_word(s.status);
      std::string bar;
      for (auto c : cells) bar += glyph(c);
      const std::string label = std::string(static_cast<std::size_t>(2 * depth), ' ') +
                                processes[static_cast<std::size_t>(s.process)].instance + "  " +
                                s.name;
      label_width = std::max(label_width, label.size());
      blocks.back().push_back({label, bar, note});
      for (const auto* c : children[s.span_id]) add(*c, depth + 1);
    };
    add(r.spans[0], 0);
  }
  for (std::size_t k = 0; k < requests.size(); ++k) {
    const auto& r = requests[k];
    if (k) out << "\n";
    if (r.spans.empty()) {
      out << r.label << ": " << r.why << "\n";
      continue;
    }
    const auto& root = r.spans[0];
    std::int64_t done = root.end;
    for (const auto& s : r.spans) done = std::max(done, s.end);
    std::string request = "?";
    for (const auto& a : root.attributes)
      if (a.key == "svcsim.request") request = std::to_string(a.i);
    out << r.label << ": request " << request << " (" << root.name << "), " << r.why
        << ": replied after " << ms(root.end - root.start) << ", all done after "
        << ms(done - root.start) << status_word(root.status) << "\n";
    // The axis.
    const std::string axis(label_width + 2, ' ');
    std::string marks(static_cast<std::size_t>(width), ' ');
    for (double t = 0; t * 1e6 <= static_cast<double>(longest); t += step_ms) {
      const int i = std::min(width - 1, static_cast<int>(t * 1e6 / per_cell));
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", t);
      std::string text = buf;
      if (t == 0) text = "0 ms";
      if (i + static_cast<int>(text.size()) > width) break;  // a cut label would mislead
      for (std::size_t j = 0; j < text.size(); ++j)
        marks[static_cast<std::size_t>(i) + j] = text[j];
    }
    out << axis << marks << "\n";
    for (const auto& row : blocks[k])
      out << row.label << std::string(label_width + 2 - row.label.size(), ' ') << row.bar << "  "
          << row.note << "\n";
  }
  out << "\n░ queued for a worker  █ working  ─ waiting on a call or reply  ▒ held by the broker  "
         "│ a publish\n";
  return out.str();
}

}  // namespace svcsim
