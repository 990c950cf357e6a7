#pragma once
// Text output shared by every exporter: numbers print the same way everywhere (shortest
// round-trip form), so files are byte-identical across runs and between the GUI and the CLI.

#include <string>
#include <string_view>

namespace dynalab {

/// Shortest decimal that reads back to the same double ("%.17g" trimmed); non-finite as nan/inf.
std::string format_number(double x);
/// A CSV field, quoted if it holds a comma, quote or newline.
std::string csv_field(std::string_view s);

}  // namespace dynalab
