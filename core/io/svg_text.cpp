#include "core/io/svg_text.h"

#include <cstdio>

namespace dynalab {

std::string svg_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string svg_rgb(Color c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", int(c.r * 255 + 0.5f), int(c.g * 255 + 0.5f),
                int(c.b * 255 + 0.5f));
  return buf;
}

}  // namespace dynalab
