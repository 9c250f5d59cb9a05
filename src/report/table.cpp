#include "report/table.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "studies/mean_ci.hpp"

namespace svcsim {
namespace {

constexpr int label_width = 26;
constexpr int value_width = 14;
// Beyond +1000% the base is too small for a percent to mean anything.
constexpr double max_relative_change = 10;

// Whether x is written as 0 ("0.00", "-0.00").
bool shows_zero(std::string (*show)(double), double x) {
  return std::strtod(show(x).c_str(), nullptr) == 0;
}

}  // namespace

std::string whole(double x) { return fmt("%.0f", x); }
std::string num(double x) { return fmt(std::fabs(x) < 100 ? "%.2f" : "%.1f", x); }

table::table(const report& r, bool first_replication_only)
    : r_(r),
      replicas_(!r.replicas.empty() && !first_replication_only),
      width_(r.replicas.empty() ? value_width : value_width + 8) {}  // as the other tables

void table::heading(const std::string& title) {
  out_ << "\n" << pad(title, label_width);
  for (const auto& run : r_.runs) out_ << lpad(to_string(run.mode), width_);
  if (diff()) out_ << lpad("async-sync", value_width + 8);
  out_ << "\n";
}

void table::row(const std::string& label, const std::function<double(const run_result&)>& get,
                std::string (*show)(double), bool differ) {
  out_ << "  " << pad(label, label_width - 2);
  std::vector<double> means;
  for (std::size_t i = 0; i < r_.runs.size(); ++i) {
    std::vector<double> xs;
    static const std::vector<run_result> none;
    if (!replicas_) xs.push_back(get(r_.runs[i]));
    for (const auto& rep : replicas_ ? r_.replicas[i] : none) xs.push_back(get(rep));  // no copy
    const auto m = mean_ci(xs);
    means.push_back(m.mean);
    std::string cell = m.n ? show(m.mean) : "-";
    if (m.n && replicas_) cell += " ± " + show(m.half);
    out_ << lpad(cell, width_);
  }
  if (differ && diff() && std::isfinite(means[0]) && std::isfinite(means[1])) {
    const double a = means[0], b = means[1];
    std::string d = show(b - a);
    if (b - a >= 0) d = "+" + d;
    if (show == pct)  // a difference of shares is in percentage points
      d = d.substr(0, d.size() - 1) + " pt";
    else if (b != a && !shows_zero(show, a) && !shows_zero(show, b) &&
             std::fabs(b - a) <= max_relative_change * std::fabs(a))
      d += fmt(" (%+.0f%%)", 100 * (b - a) / std::fabs(a));
    out_ << lpad(d, value_width + 8);
  }
  out_ << "\n";
}

}  // namespace svcsim
