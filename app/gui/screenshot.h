#pragma once
// Writes the current OpenGL framebuffer (or a region of it) to a PNG: glReadPixels, flip the
// rows (GL's origin is bottom-left), stb_image_write.

#include <string>

namespace dynalab {

/// Writes the w x h pixel region at (x, y) (framebuffer pixels, origin top-left) of the back
/// buffer to `path`. Returns an error message, or "" on success.
std::string write_framebuffer_png(const std::string& path, int x, int y, int w, int h,
                                  int framebuffer_h);

}  // namespace dynalab
