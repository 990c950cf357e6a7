#include "core/io/csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace dynalab {

std::string format_number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);  // shortest round-trip form
  (void)ec;
  return std::string(buf, end);
}

std::string short_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> out;
  for (size_t start = 0;;) {
    const size_t comma = line.find(',', start);
    out.emplace_back(line.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::vector<std::map<std::string, std::string>> csv_rows(std::string_view text) {
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> header;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.empty()) continue;
    std::vector<std::string> cells = split_csv_line(line);
    if (header.empty()) {
      header = std::move(cells);
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < cells.size() && i < header.size(); ++i) row[header[i]] = std::move(cells[i]);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace dynalab
