// A small writer of SVG line charts for the HTML report: axes with nice ticks (linear or log),
// lines and steps, shaded bands of x (failure windows), marked points, a legend, and
// each line's name at its end, so a line is told by its text and dash, not by colour alone.
// Colours come from the page's CSS (classes s0..s7), so the SVG holds no style of its own.
// Invariants: the output depends only on what was added (same input, same bytes); every text
// is escaped; NaN in a series breaks its line. The drawing grows taller with its legend's rows
// (the plot keeps at least min_plot_h); a name too long for its place is cut with an ellipsis
// (the whole name in a <title>); a chart with nothing to draw is a sentence instead.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace svcsim {

using points = std::vector<std::pair<double, double>>;

// An axis range widened to multiples of a step of 1, 2 or 5 x 10^k, with at most about
// `max_ticks` steps: nice_axis(0, 97, 5) is 0 to 100 by 20. An empty range [a, a] becomes one
// step wide; [0, 0] is 0 to 1.
struct nice_axis {
  double lo = 0, hi = 1, step = 0.2;
  nice_axis() = default;
  nice_axis(double lo, double hi, int max_ticks);
  std::vector<double> ticks() const;  // lo, lo + step, ..., hi
};

// Ticks of a log axis over [lo, hi] (lo > 0): the powers of ten within it, with 2 and 5 times
// them when that gives fewer than 4; the range widened to the powers of ten around it.
struct log_axis {
  double lo = 1, hi = 10;
  log_axis() = default;
  log_axis(double lo, double hi);
  std::vector<double> ticks() const;
};

// A tick's text: "0.2", "100", "1k", "2.5M"; no more decimals than `step` needs.
std::string tick_text(double value, double step);

class chart {
 public:
  // `kind` is the SVG's class beside "chart" (the page's test finds the charts by it).
  chart(std::string kind, std::string title, std::string x_label, std::string y_label);

  // x or y on a log scale, which its label then says; values <= 0 are drawn at the axis's
  // minimum (clamped() says whether there were any, for the caption to say so).
  void log_x() { log_x_ = true; }
  void log_y() { log_y_ = true; }
  void y_from_zero() { y_zero_ = true; }  // y starts at 0 whatever the data
  void y_max(double hi) { y_max_ = hi; }  // at least this high (several charts on one scale)
  void x_span(double lo, double hi) { x_lo_ = lo, x_hi_ = hi; }
  void x_index() { x_index_ = true; }  // x counts things: its ticks are whole numbers

  // A line through `xy`; `step`: each value holds until the next point's x. `style` picks the
  // colour (style % 8) and, from 8 on, a dash pattern (style / 8) so that no two look alike;
  // `dashed` the dash. The name goes in the legend and at the line's end; a line with no
  // drawable point has neither.
  void line(std::string name, points xy, int style, bool dashed = false, bool step = false);
  // A shaded span of x with a label at its top.
  void band(double from, double to, std::string label);
  // A dot at (x, y) with a label, in the colour of `style`.
  void mark(double x, double y, std::string label, int style);

  // What svg() gives instead of a drawing when no line has a drawable point.
  void if_empty(std::string sentence) { empty_ = std::move(sentence); }
  // Whether some line has a drawable point; whether a log axis clamped a value <= 0.
  bool drawn() const;
  bool clamped() const;

  // The SVG, or <p class="no-chart KIND"> with the if_empty() sentence when nothing is drawn.
  std::string svg() const;

 private:
  struct series {
    std::string name;
    points xy;
    int style;
    bool dashed, step;
  };
  struct span {
    double from, to;
    std::string label;
  };
  struct dot {
    double x, y;
    std::string label;
    int style;
  };
  std::string kind_, title_, x_label_, y_label_, empty_;
  static bool drawable(double x, double y);  // finite
  bool log_x_ = false, log_y_ = false, y_zero_ = false, x_index_ = false;
  double y_max_ = 0;
  double x_lo_ = 0, x_hi_ = 0;  // equal: from the data
  std::vector<series> series_;
  std::vector<span> bands_;
  std::vector<dot> dots_;
};

}  // namespace svcsim
