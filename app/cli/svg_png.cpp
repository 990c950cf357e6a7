#include "app/cli/svg_png.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <memory>

#include "core/io/atomic_file.h"
#include "core/io/input_error.h"

namespace dynalab::cli {

namespace {

cairo_status_t append_png_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

void write_svg_as_png(const std::string& svg, const std::filesystem::path& png, double scale) {
  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, void (*)(gpointer)> handle(
      rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error), g_object_unref);
  const auto fail = [&](const std::string& what) {
    std::string msg = png.string() + ": " + what;
    if (error) msg += " (" + std::string(error->message) + ")", g_error_free(error);
    throw InputError(msg);
  };
  if (!handle) fail("the SVG could not be read");
  double w = 0, h = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle.get(), &w, &h) || w <= 0 || h <= 0)
    fail("the SVG has no pixel size");
  const int pw = int(std::ceil(w * scale)), ph = int(std::ceil(h * scale));
  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph), cairo_surface_destroy);
  std::unique_ptr<cairo_t, void (*)(cairo_t*)> cr(cairo_create(surface.get()), cairo_destroy);
  cairo_scale(cr.get(), scale, scale);
  const RsvgRectangle viewport{0, 0, w, h};
  if (!rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &error)) fail("the SVG could not be drawn");
  std::string bytes;
  if (cairo_surface_write_to_png_stream(surface.get(), append_png_bytes, &bytes) != CAIRO_STATUS_SUCCESS)
    fail("the PNG could not be encoded");
  write_file_atomic(png, bytes);
}

}  // namespace dynalab::cli
