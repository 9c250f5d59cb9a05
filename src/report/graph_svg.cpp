#include "report/graph_svg.hpp"

#include <algorithm>
#include <sstream>

#include "report/format.hpp"
#include "report/markup.hpp"

namespace svcsim {
namespace {

constexpr double node_h = 30, row_gap = 26, column_gap = 120, margin = 24, char_w = 7;
constexpr double label_char = 6;  // about, at the edge labels' 10 px

std::string px(double x) { return fmt("%.1f", x); }

}  // namespace

std::string graph_svg(const dependency_graph& g, const std::vector<std::string>& services,
                      const std::string& title) {
  const int broker = static_cast<int>(services.size());
  const int parties = broker + (g.broker ? 1 : 0);
  const auto name = [&](int p) { return p == broker ? std::string("broker") : services[p]; };

  // Depth: the longest chain of edges to a party; a loop stops growing after `parties` rounds.
  std::vector<int> depth(parties, 0);
  for (int round = 0; round < parties; ++round)
    for (const auto& e : g.edges)
      if (e.from < parties && e.to < parties && depth[e.to] < depth[e.from] + 1)
        depth[e.to] = std::min(depth[e.from] + 1, parties - 1);
  const int columns = parties ? *std::max_element(depth.begin(), depth.end()) + 1 : 0;
  std::vector<std::vector<int>> column(columns);
  for (int p = 0; p < parties; ++p) column[depth[p]].push_back(p);

  // Boxes: widths from the names, columns side by side, each centred vertically.
  std::vector<double> box_w(parties), x(parties), y(parties);
  for (int p = 0; p < parties; ++p)
    box_w[p] = std::max(70.0, char_w * static_cast<double>(name(p).size()) + 22);
  std::size_t tallest = 0;
  for (const auto& c : column) tallest = std::max(tallest, c.size());
  const double height =
      2 * margin + 20 + static_cast<double>(tallest) * (node_h + row_gap) - row_gap + 30;
  double left = margin;
  for (const auto& c : column) {
    double w = 0;
    for (int p : c) w = std::max(w, box_w[p]);
    const double span = static_cast<double>(c.size()) * (node_h + row_gap) - row_gap;
    double top = 20 + margin + (height - 20 - 2 * margin - 30 - span) / 2;
    for (int p : c) {
      x[p] = left + (w - box_w[p]) / 2;
      y[p] = top;
      top += node_h + row_gap;
    }
    left += w + column_gap;
  }
  const double width = std::max(320.0, left - column_gap + margin);

  std::ostringstream out;
  const std::string arrow = std::string("arrow-") + to_string(g.mode);
  out << "<svg class=\"chart graph\" width=\"" << px(width) << "\" height=\"" << px(height)
      << "\" viewBox=\"0 0 " << px(width) << " " << px(height) << "\" role=\"img\" aria-label=\""
      << escape(title) << "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" << escape(title)
      << "</title>\n"
      << "<defs><marker id=\"" << arrow
      << "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
         "orient=\"auto-start-reverse\"><path class=\"arrowhead\" d=\"M0 0 L10 5 L0 10 z\"/>"
         "</marker></defs>\n"
      << "<text class=\"chart-title\" x=\"" << px(margin) << "\" y=\"16\">" << escape(title)
      << "</text>\n";
  // Edges under the boxes: forward ones from right side to left side, the others (to the same
  // column or back) as a loop below both boxes.
  for (const auto& e : g.edges) {
    if (e.from >= parties || e.to >= parties) continue;
    const bool via_broker = e.from == broker || e.to == broker;
    std::string d;
    double lx, ly, room;     // room: the label's width, at most
    bool to_target = false;  // the label ends at lx (else it is centred there)
    if (depth[e.to] > depth[e.from]) {
      const double x1 = x[e.from] + box_w[e.from], y1 = y[e.from] + node_h / 2;
      const double x2 = x[e.to], y2 = y[e.to] + node_h / 2, mid = (x1 + x2) / 2;
      d = "M" + px(x1) + " " + px(y1) + " C" + px(mid) + " " + px(y1) + " " + px(mid) + " " +
          px(y2) + " " + px(x2) + " " + px(y2);
      // The label next to its target, ending just before the arrowhead, above the edge: with
      // many edges fanned out, each label is by the box it names.
      lx = x2 - 14, ly = y2 - 5, to_target = true, room = x2 - 14 - x1 - 4;
    } else {
      const double x1 = x[e.from] + box_w[e.from] / 2, y1 = y[e.from] + node_h;
      const double x2 = x[e.to] + box_w[e.to] / 2, y2 = y[e.to] + node_h;
      const double low = std::max(y1, y2) + row_gap;
      d = "M" + px(x1) + " " + px(y1) + " C" + px(x1) + " " + px(low) + " " + px(x2) + " " +
          px(low) + " " + px(x2) + " " + px(y2);
      lx = (x1 + x2) / 2, ly = low - 2;
      room = 2 * std::min(lx, width - lx) - 8;
    }
    out << "<path class=\"edge" << (via_broker ? " via-broker" : " call") << "\" d=\"" << d
        << "\" marker-end=\"url(#" << arrow << ")\"><title>" << escape(name(e.from)) << " → "
        << escape(name(e.to)) << ": " << escape(join(e.labels)) << "</title></path>\n"
        << "<text class=\"edge-label\" x=\"" << px(lx) << "\" y=\"" << px(ly) << "\" text-anchor=\""
        << (to_target ? "end" : "middle") << "\">"
        << escape(shortened(join(e.labels),
                            static_cast<std::size_t>(std::max(6.0, room / label_char))))
        << "</text>\n";
  }
  for (int p = 0; p < parties; ++p)
    out << "<rect class=\"node" << (p == broker ? " broker" : "") << "\" x=\"" << px(x[p])
        << "\" y=\"" << px(y[p]) << "\" width=\"" << px(box_w[p]) << "\" height=\"" << px(node_h)
        << "\" rx=\"" << (p == broker ? 14 : 4) << "\"/><text class=\"node-label\" x=\""
        << px(x[p] + box_w[p] / 2) << "\" y=\"" << px(y[p] + node_h / 2 + 4)
        << "\" text-anchor=\"middle\">" << escape(name(p)) << "</text>\n";
  out << "<text class=\"tick\" x=\"" << px(margin) << "\" y=\"" << px(height - 10)
      << "\">solid: sync call; dashed: through the broker</text>\n</svg>\n";
  return out.str();
}

}  // namespace svcsim
