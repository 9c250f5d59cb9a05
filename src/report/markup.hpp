// Text inside HTML or SVG: every name a report writes into markup goes through escape(), so a
// service named "<b>" is shown as such and never becomes an element.
#pragma once

#include <string>

namespace svcsim {

// & < > " ' as entities; everything else as it is.
inline std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  return out;
}

}  // namespace svcsim
