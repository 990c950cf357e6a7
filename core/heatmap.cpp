#include "core/heatmap.h"

#include <algorithm>
#include <cmath>

namespace dynalab {

double heatmap_colour_value(const Heatmap& h, double v) {
  if (!h.log_colour) return v;
  return v > 0 ? std::log10(v) : -INFINITY;
}

void heatmap_colour_range(const Heatmap& h, double& lo, double& hi) {
  lo = h.v_lo, hi = h.v_hi;
  if (hi <= lo) {
    lo = INFINITY, hi = -INFINITY;
    for (double v : h.values) {
      const double c = heatmap_colour_value(h, v);
      if (std::isfinite(c)) lo = std::min(lo, c), hi = std::max(hi, c);
    }
  } else {
    lo = heatmap_colour_value(h, lo), hi = heatmap_colour_value(h, hi);
  }
  if (!(hi > lo)) {
    if (std::isfinite(lo))
      hi = lo + 1;
    else
      lo = 0, hi = 1;
  }
}

Color heat_color(double t) {
  // Five anchors of matplotlib's viridis, linearly interpolated: perceptually ordered and still
  // ordered when a projector washes the colours out.
  static constexpr float k[5][3] = {{0.267f, 0.005f, 0.329f},
                                    {0.231f, 0.322f, 0.545f},
                                    {0.129f, 0.569f, 0.549f},
                                    {0.369f, 0.788f, 0.384f},
                                    {0.993f, 0.906f, 0.144f}};
  if (!std::isfinite(t)) t = 0;
  t = std::clamp(t, 0.0, 1.0) * 4;
  const int i = std::min(3, int(t));
  const float f = float(t - i);
  return Color{k[i][0] + f * (k[i + 1][0] - k[i][0]), k[i][1] + f * (k[i + 1][1] - k[i][1]),
               k[i][2] + f * (k[i + 1][2] - k[i][2]), 1.0f};
}

}  // namespace dynalab
