#include "report/json_print.hpp"

#include <algorithm>

namespace svcsim {
namespace {

using json = nlohmann::ordered_json;

bool numbers_only(const json& array) {
  return std::all_of(array.begin(), array.end(),
                     [](const json& x) { return x.is_number() || x.is_null(); });
}

void print(std::string& out, const json& j, int depth) {
  const bool lines = (j.is_object() || (j.is_array() && !numbers_only(j))) && !j.empty();
  if (!lines && !j.is_array()) {
    out += j.dump();
    return;
  }
  if (!lines) {  // numbers on one line
    out += "[";
    for (std::size_t i = 0; i < j.size(); ++i) out += (i ? ", " : "") + j[i].dump();
    out += "]";
    return;
  }
  const std::string indent(2 * static_cast<std::size_t>(depth + 1), ' ');
  out += j.is_object() ? "{\n" : "[\n";
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    out += first ? indent : ",\n" + indent;
    first = false;
    if (j.is_object()) out += json(it.key()).dump() + ": ";
    print(out, *it, depth + 1);
  }
  out += "\n" + std::string(2 * static_cast<std::size_t>(depth), ' ') + (j.is_object() ? "}" : "]");
}

}  // namespace

std::string print_json(const nlohmann::ordered_json& j) {
  std::string out;
  print(out, j, 0);
  return out;
}

}  // namespace svcsim
