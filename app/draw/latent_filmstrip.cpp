#include "app/draw/latent_filmstrip.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "core/export/world_svg.h"

namespace dynalab {

namespace {

// Proportions of a frame's side s: the gap between frames and the height of a line of text.
constexpr double kFrameGapRatio = 0.12, kLineRatio = 0.42;
// LatentSettings::filmstrip_frames' default: the strip's columns before the first plan.
constexpr int kDefaultStripColumns = 8;

double frame_side(double width, int columns) {
  const int n = std::max(columns, 1);
  return width / (n + kFrameGapRatio * (n - 1));
}

/// An empty slot: the real frame of a step that has not happened yet.
void draw_pending(Canvas& c, Bounds box) {
  c.rect(box.lo, box.hi, palette::floor, palette::grid_line);
}

/// A caption left-aligned at the top-left of a slot `height` high, as large as it fits.
void caption_left(Canvas& c, Vec2 top_left, const std::string& s, double height, double width, Color color) {
  c.text_left({top_left.x, top_left.y - 0.5 * height}, s, color, caption_size(c, s, 0.8 * height, width));
}

}  // namespace

int filmstrip_columns(const LatentView& v) {
  return v.predicted.empty() ? kDefaultStripColumns : int(v.predicted.size());
}

double filmstrip_height(double width, int columns) {
  const double s = frame_side(width, columns);
  return 2 * s + 3 * kLineRatio * s;
}

void draw_filmstrip(Canvas& c, const LatentView& v, Bounds box) {
  const int n = filmstrip_columns(v);
  const double w = box.hi.x - box.lo.x, s = frame_side(w, n), g = kFrameGapRatio * s, t = kLineRatio * s;
  double y = box.hi.y;
  char line[160];
  if (v.predicted.empty())
    std::snprintf(line, sizeof line, "predicted (decoded plan): none yet");
  else
    std::snprintf(line, sizeof line, "predicted (decoded plan), chosen at step %lld", (long long)v.strip_start);
  caption_left(c, {box.lo.x, y}, line, t, w, palette::plan);
  y -= t;
  // Column labels: k steps after the plan was chosen.
  for (int k = 0; k < n; ++k) {
    const std::string label = "t+" + std::to_string(k + 1);
    const double cx = box.lo.x + k * (s + g) + 0.5 * s;
    c.text({cx, y - 0.5 * t}, label, palette::text, caption_size(c, label, 0.75 * t, s));
  }
  y -= t;
  for (int k = 0; k < n; ++k) {
    const Bounds f{{box.lo.x + k * (s + g), y - s}, {box.lo.x + k * (s + g) + s, y}};
    if (size_t(k) < v.predicted.size())
      gray_image(c, v.predicted[size_t(k)], v.frame_size, f, palette::plan);
    else
      draw_pending(c, f);
  }
  y -= s;
  std::snprintf(line, sizeof line, "real (%zu of %d arrived)", std::min(v.real.size(), size_t(n)), n);
  caption_left(c, {box.lo.x, y}, v.predicted.empty() ? std::string("real") : std::string(line), t, w, palette::text);
  y -= t;
  for (int k = 0; k < n; ++k) {
    const Bounds f{{box.lo.x + k * (s + g), y - s}, {box.lo.x + k * (s + g) + s, y}};
    if (size_t(k) < v.real.size() && size_t(k) < v.predicted.size())
      gray_image(c, v.real[size_t(k)], v.frame_size, f, palette::body_outline);
    else
      draw_pending(c, f);
  }
}

Bounds filmstrip_alone_box(const LatentView& v) {
  return {{0, 0}, {1, filmstrip_height(1, filmstrip_columns(v))}};
}

std::string filmstrip_svg(const LatentView& v, int width_px) {
  const Bounds box = filmstrip_alone_box(v);
  return world_svg(box, [&](Canvas& c) { draw_filmstrip(c, v, box); }, width_px);
}

double frame_pair_height(double width) {
  const double s = 0.5 * (width - kFrameGapRatio * width / 2);
  return s + kLineRatio * s;
}

void draw_frame_pair(Canvas& c, const LatentView& v, Bounds box) {
  const double w = box.hi.x - box.lo.x, g = kFrameGapRatio * w / 2, s = 0.5 * (w - g), t = kLineRatio * s;
  const double y = box.hi.y;
  const char* captions[2] = {v.keypoints.empty() ? "what the agent sees" : "what the agent sees, keypoints", "reconstruction"};
  const std::vector<float>* frames[2] = {&v.current, &v.reconstruction};
  // One size for both captions (the longer one's), so neither reads as the more important.
  const float size = caption_size(c, captions[0], 0.7 * t, s);
  for (int i = 0; i < 2; ++i) {
    const double x0 = box.lo.x + i * (s + g);
    c.text({x0 + 0.5 * s, y - 0.5 * t}, captions[i], palette::text, size);
    const Bounds f{{x0, y - t - s}, {x0 + s, y - t}};
    if (frames[i]->empty())
      draw_pending(c, f);
    else
      gray_image(c, *frames[i], v.frame_size, f, palette::body_outline);
  }
  // The keypoints on what the agent sees: where each channel's soft-argmax lands, the sharpest
  // (last) largest; they should sit on the moving object wherever it goes.
  const Bounds seen{{box.lo.x, y - t - s}, {box.lo.x + s, y - t}};
  for (size_t k = 0; k < v.keypoints.size(); ++k) {
    const Vec2 p{seen.lo.x + 0.5 * (v.keypoints[k].x + 1) * s, seen.lo.y + 0.5 * (v.keypoints[k].y + 1) * s};
    const double r = s * (0.015 + 0.02 * double(k + 1) / double(v.keypoints.size()));
    c.circle(p, r, palette::danger.with_alpha(0.75f), palette::none);
  }
}

}  // namespace dynalab
