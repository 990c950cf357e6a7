#pragma once
// Text output shared by every exporter: numbers print the same way everywhere (shortest
// round-trip form), so files are byte-identical across runs and between the GUI and the CLI.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dynalab {

/// Shortest decimal that reads back to the same double ("%.17g" trimmed); non-finite as nan/inf.
std::string format_number(double x);
/// Three significant digits ("%.3g": 0.264, -1.7e+03), for status lines a person reads.
std::string short_number(double x);
/// A CSV field, quoted if it holds a comma, quote or newline.
std::string csv_field(std::string_view s);
/// The fields of one line of a numeric CSV, split at every comma (no quotes): "1,2," has three
/// fields, the last empty (std::getline would drop it and read the line as "1,2").
std::vector<std::string> split_csv_line(std::string_view line);
/// The rows of a numeric CSV text (split_csv_line: no quoted fields) as maps column -> cell; the
/// first non-empty line is the header, empty lines are skipped, a short row lacks its last cells.
std::vector<std::map<std::string, std::string>> csv_rows(std::string_view text);

}  // namespace dynalab
