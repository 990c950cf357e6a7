#pragma once
// Reads the current OpenGL framebuffer (or a region of it) back: glReadPixels, rows flipped to
// top first (GL's origin is bottom-left). PNG exports write it with stb_image_write; recordings
// hand it to the video encoder.

#include <cstdint>
#include <string>
#include <vector>

namespace dynalab {

/// Reads the w x h pixel region at (x, y) (framebuffer pixels, origin top-left) of the back
/// buffer into `out` as `channels` (3: RGB, 4: RGBA) bytes per pixel, rows top first
/// (w * h * channels bytes). Returns an error message, or "" on success.
std::string read_framebuffer(int x, int y, int w, int h, int framebuffer_h, int channels,
                             std::vector<uint8_t>& out);

/// Writes the w x h pixel region at (x, y) (framebuffer pixels, origin top-left) of the back
/// buffer to `path`. Returns an error message, or "" on success.
std::string write_framebuffer_png(const std::string& path, int x, int y, int w, int h,
                                  int framebuffer_h);

}  // namespace dynalab
