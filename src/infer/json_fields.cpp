#include "infer/json_fields.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace svcsim::infer {

const json* field(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  const auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

std::string text_of(const json* v) {
  if (!v) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  if (v->is_number()) return v->dump();
  return "";
}

bool whole_of(const json* v, std::int64_t& out) {
  if (!v) return false;
  if (v->is_number_integer() || v->is_number_unsigned()) {
    out =
        v->is_number_unsigned()
            ? static_cast<std::int64_t>(std::min<std::uint64_t>(v->get<std::uint64_t>(), INT64_MAX))
            : v->get<std::int64_t>();
    return true;
  }
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (!std::isfinite(d) || std::fabs(d) > 9.2e18) return false;
    out = static_cast<std::int64_t>(std::llround(d));
    return true;
  }
  if (!v->is_string()) return false;
  const auto& s = v->get_ref<const std::string&>();
  if (s.empty() || s.size() > 19) return false;
  std::size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  std::int64_t n = 0;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    if (n > (INT64_MAX - (s[i] - '0')) / 10) return false;  // would overflow
    n = n * 10 + (s[i] - '0');
  }
  out = s[0] == '-' ? -n : n;
  return true;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool truthy(const std::string& text) {
  const auto t = lower(text);
  return t == "true" || t == "1";
}

}  // namespace svcsim::infer
