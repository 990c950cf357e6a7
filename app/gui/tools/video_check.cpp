// video_check FILE [--compare I REF.png] [--png I OUT.png]: decodes a recorded video and prints
// one line "FILE: N frames, WxH, F fps, CODEC, rgb hash H" (the GUI tests check the frame count,
// the size and, across two runs, the hash). --compare prints the mean absolute difference
// (0-255, over RGB) between decoded frame I and a PNG of the same size (a --screenshot of the
// same tick); --png writes decoded frame I as a PNG. Exits 0, 1 if a check cannot run, 2 on bad
// usage.

#include <stb_image.h>
#include <stb_image_write.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/gui/video_decoder.h"
#include "core/number_text.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: video_check FILE [--compare I REF.png] [--png I OUT.png]\n");
    return 2;
  }
  const std::string file = argv[1];
  long long cmp_i = -1, png_i = -1;
  std::string ref, out_png;
  if ((argc - 2) % 3 != 0) {
    std::fprintf(stderr, "video_check: expected --compare I REF.png or --png I OUT.png\n");
    return 2;
  }
  for (int a = 2; a + 2 < argc; a += 3) {
    const std::string flag = argv[a];
    const auto i = dynalab::parse_integer(argv[a + 1], 0, 1ll << 40);
    if (!i || (flag != "--compare" && flag != "--png")) {
      std::fprintf(stderr, "video_check: expected --compare I REF.png or --png I OUT.png\n");
      return 2;
    }
    (flag == "--compare" ? cmp_i : png_i) = *i;
    (flag == "--compare" ? ref : out_png) = argv[a + 2];
  }
  std::vector<uint8_t> cmp_frame, png_frame;
  int fw = 0, fh = 0;
  const dynalab::DecodedVideo v =
      dynalab::decode_video(file, [&](int64_t i, const uint8_t* rgb, int w, int h) {
        fw = w, fh = h;
        if (i == cmp_i) cmp_frame.assign(rgb, rgb + size_t(w) * h * 3);
        if (i == png_i) png_frame.assign(rgb, rgb + size_t(w) * h * 3);
      });
  if (!v.error.empty()) {
    std::fprintf(stderr, "video_check: %s\n", v.error.c_str());
    return 1;
  }
  std::printf("%s: %lld frames, %dx%d, %g fps, %s, rgb hash %016llx\n", file.c_str(),
              (long long)v.frames, v.width, v.height, v.fps, v.codec.c_str(),
              (unsigned long long)v.rgb_hash);
  int code = 0;
  if (png_i >= 0) {
    if (png_frame.empty() || !stbi_write_png(out_png.c_str(), fw, fh, 3, png_frame.data(), fw * 3)) {
      std::fprintf(stderr, "video_check: cannot write frame %lld to %s\n", png_i, out_png.c_str());
      code = 1;
    }
  }
  if (cmp_i >= 0) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(ref.c_str(), &w, &h, &n, 3);
    if (!px || cmp_frame.empty() || w != fw || h != fh) {
      std::fprintf(stderr, "video_check: cannot compare frame %lld (%dx%d) with %s (%dx%d)\n",
                   cmp_i, fw, fh, ref.c_str(), w, h);
      if (px) stbi_image_free(px);
      return 1;
    }
    double sum = 0;
    for (size_t k = 0; k < cmp_frame.size(); ++k) sum += std::abs(int(cmp_frame[k]) - int(px[k]));
    stbi_image_free(px);
    std::printf("frame %lld vs %s: mean abs diff %.2f\n", cmp_i, ref.c_str(),
                sum / double(cmp_frame.size()));
  }
  return code;
}
