#include "report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "report/format.hpp"
#include "report/markup.hpp"

namespace svcsim {
namespace {

// The drawing's width and least height, and the margins around the plot: the left holds the y
// ticks, the right the lines' names, the top the title and legend, the bottom the x ticks and
// label. The height grows with the legend's rows, the plot never lower than min_plot_h.
constexpr double width = 640, base_height = 280, min_plot_h = 150;
constexpr double left = 58, right = 118, bottom = 44, title_height = 22, legend_row = 15;
constexpr double label_gap = 11;                   // between the names at the lines' ends
constexpr double legend_char = 6.5, end_char = 7;  // about, at 11 px (the end names bold)

std::string px(double x) { return fmt("%.1f", x); }

bool finite(double x) { return std::isfinite(x); }

// The text of a name cut to `chars`: when cut, the whole name as its <title>.
std::string name_text(const std::string& name, std::size_t chars) {
  const std::string s = shortened(name, chars);
  return s == name ? escape(name) : escape(s) + "<title>" + escape(name) + "</title>";
}

// A series' classes: its colour, the async dash, and from style 8 on a dash pattern of its own.
std::string style_class(int style, bool dashed) {
  return "s" + std::to_string(style % 8) + (dashed ? " dashed" : "") +
         (style >= 8 ? " d" + std::to_string(1 + (style / 8 - 1) % 3) : "");
}

}  // namespace

nice_axis::nice_axis(double from, double to, int max_ticks) {
  if (!finite(from) || !finite(to)) from = to = 0;
  if (from > to) std::swap(from, to);
  if (from == to) {
    if (from == 0) return;  // 0 to 1 by 0.2
    const double mag = std::pow(10.0, std::floor(std::log10(std::fabs(from))));
    from -= mag / 2, to += mag / 2;
  }
  const double raw = (to - from) / std::max(max_ticks, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  lo = std::floor(from / step + 1e-9) * step;
  hi = std::ceil(to / step - 1e-9) * step;
}

std::vector<double> nice_axis::ticks() const {
  std::vector<double> out;
  const int n = static_cast<int>(std::lround((hi - lo) / step));
  for (int i = 0; i <= n; ++i) {
    const double t = lo + i * step;
    out.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  }
  return out;
}

log_axis::log_axis(double from, double to) {
  if (!(from > 0) || !finite(from)) from = 1;
  if (!(to > from) || !finite(to)) to = from * 10;
  lo = std::pow(10.0, std::floor(std::log10(from) + 1e-9));
  hi = std::pow(10.0, std::ceil(std::log10(to) - 1e-9));
  if (hi <= lo) hi = lo * 10;
}

std::vector<double> log_axis::ticks() const {
  std::vector<double> powers;
  for (double t = lo; t <= hi * (1 + 1e-9); t *= 10) powers.push_back(t);
  if (powers.size() >= 4) return powers;
  std::vector<double> out;
  for (double p : powers)
    for (double m : {1.0, 2.0, 5.0})
      if (p * m <= hi * (1 + 1e-9)) out.push_back(p * m);
  return out;
}

std::string tick_text(double value, double step) {
  const double a = std::fabs(value);
  if (a >= 1e6 && std::fmod(a, 1e5) == 0) return fmt("%gM", value / 1e6);
  if (a >= 1e4 && std::fmod(a, 100) == 0) return fmt("%gk", value / 1e3);
  const int decimals =
      step > 0 && step < 1 ? static_cast<int>(std::ceil(-std::log10(step) - 1e-9)) : 0;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 9), value);
  return buf;
}

chart::chart(std::string kind, std::string title, std::string x_label, std::string y_label)
    : kind_(std::move(kind)),
      title_(std::move(title)),
      x_label_(std::move(x_label)),
      y_label_(std::move(y_label)) {}

void chart::line(std::string name, points xy, int style, bool dashed, bool step) {
  series_.push_back({std::move(name), std::move(xy), std::max(style, 0), dashed, step});
}

void chart::band(double from, double to, std::string label) {
  bands_.push_back({from, to, std::move(label)});
}

void chart::mark(double x, double y, std::string label, int style) {
  dots_.push_back({x, y, std::move(label), style % 8});
}

bool chart::drawable(double x, double y) { return finite(x) && finite(y); }

bool chart::drawn() const {
  for (const auto& s : series_)
    for (const auto& [x, y] : s.xy)
      if (drawable(x, y)) return true;
  return false;
}

bool chart::clamped() const {
  for (const auto& s : series_)
    for (const auto& [x, y] : s.xy)
      if (drawable(x, y) && ((log_x_ && x <= 0) || (log_y_ && y <= 0))) return true;
  return false;
}

std::string chart::svg() const {
  if (!drawn())
    return "<p class=\"no-chart " + escape(kind_) + "\">" +
           escape(empty_.empty() ? title_ + ": nothing to draw" : empty_) + "</p>\n";
  // The data's ranges (on a log axis, of the values > 0: the others are drawn at its minimum).
  const double inf = std::numeric_limits<double>::infinity();
  double x0 = inf, x1 = -inf, y0 = inf, y1 = -inf;
  for (const auto& s : series_)
    for (const auto& [x, y] : s.xy) {
      if (!drawable(x, y)) continue;
      if (!log_x_ || x > 0) x0 = std::min(x0, x), x1 = std::max(x1, x);
      if (!log_y_ || y > 0) y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  if (x_lo_ != x_hi_) x0 = x_lo_, x1 = x_hi_;
  if (!finite(x0)) x0 = log_x_ ? 1 : 0, x1 = log_x_ ? 10 : 1;
  if (!finite(y0)) y0 = y1 = 0;
  if (y_zero_ && !log_y_) y0 = std::min(0.0, y0);
  y1 = std::max(y1, y_max_);
  const nice_axis y_lin(y0, y1, 5);
  const log_axis y_log(y0, y1);
  const double ya = log_y_ ? y_log.lo : y_lin.lo, yb = log_y_ ? y_log.hi : y_lin.hi;
  nice_axis x_lin(x0, x1, 6);
  if (x_index_ && x_lin.step < 1)
    x_lin.lo = std::floor(x_lin.lo), x_lin.hi = std::ceil(x_lin.hi), x_lin.step = 1;
  const log_axis x_log(x0, x1);
  // A span given is kept as it is (time from 0 to the end), its ticks those inside it.
  const bool exact_x = x_lo_ != x_hi_ && !log_x_;
  const double xa = exact_x ? x_lo_ : log_x_ ? x_log.lo : x_lin.lo;
  const double xb = exact_x ? x_hi_ : log_x_ ? x_log.hi : x_lin.hi;

  // The legend's rows, of the series with a point to draw, each name cut to fit a row; then
  // the plot's box, below them.
  std::vector<bool> shown(series_.size(), false);
  for (std::size_t i = 0; i < series_.size(); ++i)
    for (const auto& [x, y] : series_[i].xy) shown[i] = shown[i] || drawable(x, y);
  const auto legend_chars =
      static_cast<std::size_t>((width - 8 - left - 48) / legend_char);  // a whole row
  std::vector<std::pair<double, double>> legend_at;  // per series, its entry's left and row top
  double lx = left;
  double ly = title_height;
  for (std::size_t i = 0; i < series_.size(); ++i) {
    const auto chars = shortened(series_[i].name, legend_chars).size();
    const double w = 34 + legend_char * static_cast<double>(chars) + 14;
    if (shown[i] && lx + w > width - 8 && lx > left) lx = left, ly += legend_row;
    legend_at.emplace_back(lx, ly);
    if (shown[i]) lx += w;
  }
  const double top = ly + legend_row + 10;
  const double plot_w = width - left - right;
  const double plot_h = std::max(min_plot_h, base_height - top - bottom);
  const double height = top + plot_h + bottom;
  const auto sx = [&](double x) {
    if (log_x_ && x <= 0) x = xa;
    const double f = log_x_ ? std::log10(x / xa) / std::log10(xb / xa) : (x - xa) / (xb - xa);
    return left + f * plot_w;
  };
  const auto sy = [&](double y) {
    if (log_y_ && y <= 0) y = ya;
    const double f = log_y_ ? std::log10(y / ya) / std::log10(yb / ya) : (y - ya) / (yb - ya);
    return top + plot_h - f * plot_h;
  };

  std::ostringstream out;
  out << "<svg class=\"chart " << escape(kind_) << "\" viewBox=\"0 0 " << width << " " << height
      << "\" role=\"img\" aria-label=\"" << escape(title_)
      << "\" xmlns=\"http://www.w3.org/2000/svg\">"
      << "<title>" << escape(title_) << "</title>\n";
  out << "<text class=\"chart-title\" x=\"" << px(left) << "\" y=\"14\">" << escape(title_)
      << "</text>\n";
  for (const auto& b : bands_) {
    const double from = std::clamp(b.from, xa, xb), to = std::clamp(b.to, xa, xb);
    if (to <= from) continue;
    out << "<rect class=\"band\" x=\"" << px(sx(from)) << "\" y=\"" << px(top) << "\" width=\""
        << px(sx(to) - sx(from)) << "\" height=\"" << px(plot_h) << "\"/>"
        << "<text class=\"band-label\" x=\"" << px(sx(from) + 3) << "\" y=\"" << px(top + 11)
        << "\">" << escape(b.label) << "</text>\n";
  }
  // Axes: grid lines at the ticks, the ticks' texts, the labels.
  for (double t : log_y_ ? y_log.ticks() : y_lin.ticks())
    out << "<line class=\"gridline\" x1=\"" << px(left) << "\" x2=\"" << px(left + plot_w)
        << "\" y1=\"" << px(sy(t)) << "\" y2=\"" << px(sy(t)) << "\"/><text class=\"tick\" x=\""
        << px(left - 5) << "\" y=\"" << px(sy(t) + 4) << "\" text-anchor=\"end\">"
        << tick_text(t, log_y_ ? t : y_lin.step) << "</text>\n";
  for (double t : log_x_ ? x_log.ticks() : x_lin.ticks())
    if (t >= xa - 1e-9 * (xb - xa) && t <= xb + 1e-9 * (xb - xa))
      out << "<line class=\"gridline\" x1=\"" << px(sx(t)) << "\" x2=\"" << px(sx(t)) << "\" y1=\""
          << px(top) << "\" y2=\"" << px(top + plot_h) << "\"/><text class=\"tick\" x=\""
          << px(sx(t)) << "\" y=\"" << px(top + plot_h + 15) << "\" text-anchor=\"middle\">"
          << tick_text(t, log_x_ ? t : x_lin.step) << "</text>\n";
  out << "<rect class=\"frame\" x=\"" << px(left) << "\" y=\"" << px(top) << "\" width=\""
      << px(plot_w) << "\" height=\"" << px(plot_h) << "\"/>\n"
      << "<text class=\"axis-label\" x=\"" << px(left + plot_w / 2) << "\" y=\"" << px(height - 8)
      << "\" text-anchor=\"middle\">" << escape(x_label_ + (log_x_ ? " (log scale)" : ""))
      << "</text>\n"
      << "<text class=\"axis-label\" transform=\"translate(14," << px(top + plot_h / 2)
      << ") rotate(-90)\" text-anchor=\"middle\">"
      << escape(y_label_ + (log_y_ ? " (log scale)" : "")) << "</text>\n";

  // The lines, and where each ends.
  struct end_label {
    double y;
    double x;
    std::size_t series;
  };
  std::vector<end_label> ends;
  for (std::size_t i = 0; i < series_.size(); ++i) {
    const auto& s = series_[i];
    std::string d;
    bool open = false;
    double last_x = 0, last_y = 0;
    for (const auto& [x, y] : s.xy) {
      if (!drawable(x, y)) {
        open = false;
        continue;
      }
      const double X = sx(x), Y = sy(y);
      if (!open)
        d += (d.empty() ? "M" : " M") + px(X) + " " + px(Y);
      else if (s.step)
        d += " H" + px(X) + " V" + px(Y);
      else
        d += " L" + px(X) + " " + px(Y);
      open = true;
      last_x = X, last_y = Y;
    }
    if (d.empty()) continue;
    out << "<path class=\"line " << style_class(s.style, s.dashed) << "\" d=\"" << d << "\"><title>"
        << escape(s.name) << "</title></path>\n";
    ends.push_back({last_y, last_x, i});
  }
  // Names at the lines' ends, cut to fit the right margin, pushed apart so that none covers
  // another, within the plot's height; when they cannot all fit, those too near the one above
  // are left out (the legend names every line).
  std::sort(ends.begin(), ends.end(), [](const end_label& a, const end_label& b) {
    return a.y < b.y || (a.y == b.y && a.series < b.series);
  });
  const double ends_top = top + 4, ends_bottom = top + plot_h - 4;
  if (ends.size() > 1 &&
      static_cast<double>(ends.size() - 1) * label_gap > ends_bottom - ends_top) {
    std::vector<end_label> kept;
    for (const auto& e : ends)
      if (kept.empty() || e.y >= kept.back().y + label_gap) kept.push_back(e);
    ends = kept;
  }
  for (auto& e : ends) e.y = std::clamp(e.y, ends_top, ends_bottom);
  for (std::size_t i = 1; i < ends.size(); ++i)
    ends[i].y = std::max(ends[i].y, ends[i - 1].y + label_gap);
  if (!ends.empty() && ends.back().y > ends_bottom) {
    ends.back().y = ends_bottom;
    for (std::size_t i = ends.size() - 1; i-- > 0;)
      ends[i].y = std::min(ends[i].y, ends[i + 1].y - label_gap);
  }
  const auto end_chars = static_cast<std::size_t>((right - 8) / end_char);
  for (const auto& e : ends)
    out << "<text class=\"end-label s" << series_[e.series].style % 8 << "\" x=\""
        << px(std::min(e.x, left + plot_w) + 4) << "\" y=\"" << px(e.y + 4) << "\">"
        << name_text(series_[e.series].name, end_chars) << "</text>\n";
  // A mark's label goes above it, or below when it would overlap the label drawn before.
  double last_x = -inf, last_y = -inf;
  for (const auto& m : dots_) {
    if (!drawable(m.x, m.y)) continue;
    const double x = sx(m.x), y = sy(m.y);
    const bool clash = std::abs(x - last_x) < 7.0 * static_cast<double>(m.label.size()) &&
                       std::abs(y - 7 - last_y) < 14;
    const double label_y = clash ? y + 18 : y - 7;
    out << "<circle class=\"mark s" << m.style << "\" cx=\"" << px(x) << "\" cy=\"" << px(y)
        << "\" r=\"5\"/><text class=\"mark-label\" x=\"" << px(x + 7) << "\" y=\"" << px(label_y)
        << "\">" << escape(m.label) << "</text>\n";
    last_x = x;
    last_y = label_y;
  }
  // The legend: a short line in each series' colour and dash, and its name.
  for (std::size_t i = 0; i < series_.size(); ++i) {
    if (!shown[i]) continue;
    const auto& s = series_[i];
    const auto [x, y] = legend_at[i];
    out << "<path class=\"swatch " << style_class(s.style, s.dashed) << "\" d=\"M" << px(x) << " "
        << px(y + 6) << " H" << px(x + 28) << "\"/><text class=\"legend\" x=\"" << px(x + 33)
        << "\" y=\"" << px(y + 10) << "\">" << name_text(s.name, legend_chars) << "</text>\n";
  }
  out << "</svg>\n";
  return out.str();
}

}  // namespace svcsim
