#include "app/gui/screenshot.h"

#include <GL/gl.h>
#include <stb_image_write.h>

#include <algorithm>
#include <vector>

namespace dynalab {

std::string write_framebuffer_png(const std::string& path, int x, int y, int w, int h,
                                  int framebuffer_h) {
  if (w <= 0 || h <= 0) return "empty region";
  std::vector<unsigned char> px(size_t(w) * h * 3), flipped(px.size());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(x, framebuffer_h - y - h, w, h, GL_RGB, GL_UNSIGNED_BYTE, px.data());
  if (const GLenum e = glGetError(); e != GL_NO_ERROR)
    return "glReadPixels failed with GL error " + std::to_string(e);
  for (int r = 0; r < h; ++r)
    std::copy_n(&px[size_t(h - 1 - r) * w * 3], size_t(w) * 3, &flipped[size_t(r) * w * 3]);
  if (!stbi_write_png(path.c_str(), w, h, 3, flipped.data(), w * 3)) return "cannot write " + path;
  return "";
}

}  // namespace dynalab
