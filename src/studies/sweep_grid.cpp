#include "studies/sweep_grid.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <utility>

namespace svcsim {
namespace {

const char* const range_example = "e.g. '50/s..600/s step 50/s' or '1..8 step 1'";

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

// A decimal number and its unit: `digits` / 10^decimals, then `unit` ("/s", "ms", "").
struct decimal {
  std::int64_t digits = 0;
  int decimals = 0;
  std::string unit;
};

bool parse_decimal(const std::string& text, decimal& d) {
  std::size_t i = 0;
  const bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  const std::size_t start = i;
  int count = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (++count > 15) return false;
      d.digits = d.digits * 10 + (c - '0');
      if (point) ++d.decimals;
    } else if (c == '.' && !point && i + 1 < text.size() &&
               std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      point = true;
    } else {
      break;
    }
  }
  if (i == start) return false;
  if (negative) d.digits = -d.digits;
  d.unit = trim(text.substr(i));
  return true;
}

// d x 10^decimals, as a whole number; false when that exceeds 10^17.
bool scaled(const decimal& d, int decimals, std::int64_t* x) {
  constexpr std::int64_t most = 100000000000000000;  // 10^17: ten of them still fit
  *x = d.digits;
  for (int k = d.decimals; k < decimals; ++k) {
    if (*x > most / 10 || *x < -most / 10) return false;
    *x *= 10;
  }
  return true;
}

// `x` / 10^decimals as decimal text, without trailing zeros after the point.
std::string decimal_text(std::int64_t x, int decimals) {
  std::string digits = std::to_string(x);
  if (decimals == 0) return digits;
  while (static_cast<int>(digits.size()) <= decimals) digits.insert(0, "0");
  std::string out =
      digits.substr(0, digits.size() - decimals) + "." + digits.substr(digits.size() - decimals);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::vector<std::string> expand_range(const std::string& text, std::string* error) {
  const auto dots = text.find("..");
  const auto step = text.find(" step ");
  const std::string what = "the range " + std::string("'") + text + "'";
  if (step == std::string::npos || step < dots) {
    *error = what + " has no step; write A..B step S, " + range_example;
    return {};
  }
  const std::string a_text = trim(text.substr(0, dots)),
                    b_text = trim(text.substr(dots + 2, step - dots - 2)),
                    s_text = trim(text.substr(step + 6));
  decimal a, b, s;
  if (!parse_decimal(a_text, a) || !parse_decimal(b_text, b) || !parse_decimal(s_text, s)) {
    *error = what + " needs a plain decimal number (at most 15 digits) with its unit at A, B and " +
             "S; write A..B step S, " + range_example;
    return {};
  }
  if (a.unit != b.unit || a.unit != s.unit) {
    *error = what + " mixes units ('" + a.unit + "', '" + b.unit + "', '" + s.unit +
             "'); give all three in one unit, " + range_example;
    return {};
  }
  const int decimals = std::max({a.decimals, b.decimals, s.decimals});
  std::int64_t from = 0, to = 0, by = 0;
  if (!scaled(a, decimals, &from) || !scaled(b, decimals, &to) || !scaled(s, decimals, &by)) {
    *error = what +
             " has more digits than a range can step through exactly; use fewer decimals "
             "or smaller numbers, " +
             range_example;
    return {};
  }
  if (from < 0 || to < 0) {
    *error = what + " has a negative end; sweep values from 0 up, " + range_example;
    return {};
  }
  if (by <= 0) {
    *error = what + " has a step of " + s_text + "; the step must be above 0, " + range_example;
    return {};
  }
  if (to < from) {
    *error = what + " runs backwards; write the smaller end first: '" + b_text + ".." + a_text +
             " step " + s_text + "'";
    return {};
  }
  if ((to - from) / by >= static_cast<std::int64_t>(max_sweep_points)) {
    *error =
        what + " has more than " + std::to_string(max_sweep_points) + " values; take a larger step";
    return {};
  }
  std::vector<std::string> out;
  for (std::int64_t x = from; x <= to; x += by) out.push_back(decimal_text(x, decimals) + a.unit);
  return out;
}

}  // namespace

std::vector<std::string> expand_values(const std::string& given, std::string* error) {
  error->clear();
  std::string text = given;  // tabs as spaces, so that ' step ' is found after either
  std::replace(text.begin(), text.end(), '\t', ' ');
  if (text.find("..") != std::string::npos) return expand_range(text, error);
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (const char c : text) {
    if (c == '(' || c == '[' || c == '{') ++depth;
    if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    if (c == ',' && depth == 0) {
      out.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(trim(current));
  for (const auto& v : out)
    if (v.empty()) {
      *error = "the values '" + text +
               "' hold an empty one; write values between the commas, e.g. '100/s,200/s', or "
               "a range, " +
               range_example;
      return {};
    }
  return out;
}

sweep_axis parse_sweep_axis(const std::string& text, std::string* error) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    *error = "--set '" + text + "' is not KEY=VALUES; write e.g. --set " +
             "'workloads.signup.rate=50/s..600/s step 50/s' or --set services.email.workers=1,2,4";
    return {};
  }
  sweep_axis axis{text.substr(0, eq), expand_values(text.substr(eq + 1), error)};
  if (!error->empty()) *error = "--set " + axis.key + ": " + *error;
  return axis;
}

std::vector<std::vector<std::string>> sweep_points(const std::vector<sweep_axis>& axes,
                                                   std::string* error) {
  error->clear();
  std::size_t total = 1;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (axes[j].key == axes[i].key) {
        *error = "--set " + axes[i].key +
                 " is given twice; give each key once, with all its values: --set " + axes[i].key +
                 "=V1,V2,...";
        return {};
      }
    total *= axes[i].values.size();
    if (total > max_sweep_points) {
      *error = "the sweep would have more than " + std::to_string(max_sweep_points) +
               " points (the product of the numbers of values of its keys); give fewer values "
               "or take larger steps";
      return {};
    }
  }
  std::vector<std::vector<std::string>> points;
  for (std::size_t n = 0; n < total; ++n) {
    std::vector<std::string> point(axes.size());
    std::size_t rest = n;
    for (std::size_t i = axes.size(); i-- > 0;) {
      point[i] = axes[i].values[rest % axes[i].values.size()];
      rest /= axes[i].values.size();
    }
    points.push_back(std::move(point));
  }
  return points;
}

}  // namespace svcsim
