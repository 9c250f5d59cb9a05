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

// `text` in at most `chars` characters (UTF-8 ones, not bytes), cut with an ellipsis when
// longer: for a name that must fit a place (its whole text then goes in a <title>).
inline std::string shortened(const std::string& text, std::size_t chars) {
  std::size_t n = 0, at = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (n + 1 == chars) at = i;
      if (++n > chars) return text.substr(0, at) + "…";
    }
  return text;
}

}  // namespace svcsim
