#include "core/figure.h"

#include "core/export/csv.h"

namespace dynalab {

Series& Figure::series_named(const std::string& label) {
  for (auto& s : series)
    if (s.label == label) return s;
  series.push_back({label, {}, {}});
  return series.back();
}

std::string Figure::to_csv() const {
  std::string out = "series," + csv_field(x_label.empty() ? "x" : x_label) + "," +
                    csv_field(y_label.empty() ? "y" : y_label) + "\n";
  for (const auto& s : series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
      out += csv_field(s.label) + "," + format_number(s.x[i]) + "," + format_number(s.y[i]) + "\n";
  return out;
}

}  // namespace dynalab
