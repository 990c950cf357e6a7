// png_stats FILE.png MIN_STDDEV: exits 0 if the image's luminance standard deviation is at least
// MIN_STDDEV (0-255 scale), else 1: a blank or one-colour screenshot fails the GUI tests.

#include <stb_image.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: png_stats FILE.png MIN_STDDEV\n");
    return 2;
  }
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
  if (!px) {
    std::fprintf(stderr, "png_stats: cannot read %s\n", argv[1]);
    return 2;
  }
  double sum = 0, sum2 = 0;
  const size_t count = size_t(w) * h;
  for (size_t i = 0; i < count; ++i) {
    const double y = 0.299 * px[3 * i] + 0.587 * px[3 * i + 1] + 0.114 * px[3 * i + 2];
    sum += y, sum2 += y * y;
  }
  stbi_image_free(px);
  const double mean = sum / count, sd = std::sqrt(std::max(0.0, sum2 / count - mean * mean));
  std::printf("%s: %dx%d, luminance mean %.1f, stddev %.1f\n", argv[1], w, h, mean, sd);
  return sd >= std::atof(argv[2]) ? 0 : 1;
}
