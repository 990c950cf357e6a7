// png_stats FILE.png MIN_STDDEV [X0 Y0 X1 Y1]: exits 0 if the image's luminance standard deviation
// is at least MIN_STDDEV (0-255 scale), else 1: a blank or one-colour screenshot fails the GUI
// tests. The optional region (fractions of the width and height) checks one pane, e.g. the lab.

#include <stb_image.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/number_text.h"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 7) {
    std::fprintf(stderr, "usage: png_stats FILE.png MIN_STDDEV [X0 Y0 X1 Y1]\n");
    return 2;
  }
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
  if (!px) {
    std::fprintf(stderr, "png_stats: cannot read %s\n", argv[1]);
    return 2;
  }
  // Whole numbers only: atof read "0.5x" as 0.5 and "x" as 0.
  const auto min_sd = dynalab::parse_finite(argv[2]);
  bool ok = min_sd.has_value();
  double f[4] = {0, 0, 1, 1};  // the region: the whole image unless given
  for (int k = 0; k < 4 && argc == 7; ++k) {
    const auto x = dynalab::parse_finite(argv[3 + k]);
    ok = ok && x && *x >= 0 && *x <= 1;
    f[k] = x.value_or(0);
  }
  const int x0 = int(f[0] * w), y0 = int(f[1] * h), x1 = int(f[2] * w), y1 = int(f[3] * h);
  if (!ok || x1 <= x0 || y1 <= y0) {
    std::fprintf(stderr, "png_stats: expected MIN_STDDEV and region fractions in [0, 1]\n");
    stbi_image_free(px);
    return 2;
  }
  double sum = 0, sum2 = 0;
  const size_t count = size_t(x1 - x0) * (y1 - y0);
  for (int r = y0; r < y1; ++r)
    for (int c = x0; c < x1; ++c) {
      const size_t i = size_t(r) * w + c;
      const double y = 0.299 * px[3 * i] + 0.587 * px[3 * i + 1] + 0.114 * px[3 * i + 2];
      sum += y, sum2 += y * y;
    }
  stbi_image_free(px);
  const double mean = sum / count, sd = std::sqrt(std::max(0.0, sum2 / count - mean * mean));
  std::printf("%s: %dx%d, region %d,%d-%d,%d, luminance mean %.1f, stddev %.1f\n", argv[1], w, h,
              x0, y0, x1, y1, mean, sd);
  return sd >= *min_sd ? 0 : 1;
}
