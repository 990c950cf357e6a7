#include "app/gui/screenshot.h"

#include <GL/gl.h>
#include <stb_image_write.h>

#include <algorithm>
#include <utility>

namespace dynalab {

std::string read_framebuffer(int x, int y, int w, int h, int framebuffer_h, int channels,
                             std::vector<uint8_t>& out) {
  if (w <= 0 || h <= 0) return "empty region";
  if (channels != 3 && channels != 4) return "read_framebuffer: channels must be 3 or 4";
  const size_t row = size_t(w) * channels;
  std::vector<uint8_t> px(row * h);
  out.resize(px.size());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(x, framebuffer_h - y - h, w, h, channels == 4 ? GL_RGBA : GL_RGB, GL_UNSIGNED_BYTE,
               px.data());
  if (const GLenum e = glGetError(); e != GL_NO_ERROR)
    return "glReadPixels failed with GL error " + std::to_string(e);
  for (int r = 0; r < h; ++r) std::copy_n(&px[size_t(h - 1 - r) * row], row, &out[size_t(r) * row]);
  return "";
}

std::string write_framebuffer_png(const std::string& path, int x, int y, int w, int h,
                                  int framebuffer_h) {
  std::vector<uint8_t> px;
  if (std::string e = read_framebuffer(x, y, w, h, framebuffer_h, 3, px); !e.empty()) return e;
  if (!stbi_write_png(path.c_str(), w, h, 3, px.data(), w * 3)) return "cannot write " + path;
  return "";
}

}  // namespace dynalab
