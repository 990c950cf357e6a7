#include "app/draw/vin_overlay.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "core/heatmap.h"

namespace dynalab {

namespace {
constexpr Color kVinLow{0.97f, 0.97f, 0.92f, 1};     // low value: the floor's off-white
constexpr Color kVinHigh{0.08f, 0.30f, 0.66f, 1};    // high value: deep blue (as the Q heat map)
constexpr Color kVinRewardLow{0.80f, 0.20f, 0.15f, 1};  // reward map: red (low) .. blue (high)
constexpr Color kVinPath{0.10f, 0.35f, 0.95f, 1};
constexpr Color kVinReactive{0.95f, 0.50f, 0.05f, 1};
constexpr Color kVinExpert{0.10f, 0.65f, 0.25f, 1};

Vec2 vin_centre(const VinView& v, int cell) { return {cell % v.size + 0.5, v.size - cell / v.size - 0.5}; }

void vin_path_line(Canvas& canvas, const VinView& v, const std::vector<int>& cells, Vec2 shift, Color c, float width) {
  if (cells.size() < 2) return;
  std::vector<Vec2> pts;
  for (int cell : cells) {
    const Vec2 p = vin_centre(v, cell);
    pts.push_back({p.x + shift.x, p.y + shift.y});
  }
  canvas.polyline(pts, c, width);
  canvas.circle(pts.back(), 0.09, c, palette::none);
}

// The colour range of `maps` over the free cells: the value maps v_0..v_K share one, so a colour
// means the same value at every k of the slider (a per-k range would make every v_k look alike).
void vin_colour_range(const VinView& v, const std::vector<const std::vector<float>*>& maps, float& lo, float& hi) {
  Heatmap h;
  for (const auto* m : maps)
    for (size_t i = 0; i < m->size(); ++i)
      if (!v.obstacle[i]) h.values.push_back((*m)[i]);
  double l = 0, u = 1;
  heatmap_colour_range(h, l, u);
  lo = float(l), hi = float(u);
}

// The colour key in the left border column (always obstacles; the captions use the top and
// bottom rows): low at the bottom, high at the top, the range's ends written on its end cells.
void vin_colour_key(Canvas& canvas, const VinView& v, Color low, Color high, float lo, float hi) {
  const int n = v.size;
  for (int r = 1; r < n - 1; ++r) {
    const float t = float(r - 1) / float(std::max(1, n - 3));  // row 1 (bottom) .. n - 2 (top)
    canvas.rect({0.2, double(r)}, {0.8, r + 1.0}, mix(low, high, t), palette::none);
  }
  auto label = [](float x) {
    char s[32];
    if (std::abs(x) < 1000)
      std::snprintf(s, sizeof s, "%.3g", double(x));
    else
      std::snprintf(s, sizeof s, "%.0f", double(x));  // no exponent: 1234, not 1.23e+03
    return std::string(s);
  };
  canvas.text({0.5, n - 1.5}, label(hi), Color{1, 1, 1, 1}, 0.6f);
  canvas.text({0.5, 1.5}, label(lo), palette::text, 0.6f);
}
}  // namespace

int vin_shown_k(const VinView& v, const VinOverlayOptions& opt) {
  const int K = int(v.values.size()) - 1;
  return opt.k < 0 ? K : std::min(opt.k, K);
}

std::string vin_map_caption(const VinView& v, const VinOverlayOptions& opt) {
  if (opt.reward) return "learned reward r";
  char s[96];
  const int k = vin_shown_k(v, opt), K = int(v.values.size()) - 1;
  std::snprintf(s, sizeof s, "value v_%d (K = %d)", k, K);
  return s;
}

void draw_vin_overlay(Canvas& canvas, const Env& world, const VinView& v, const VinOverlayOptions& opt) {
  if (v.size <= 0) return;
  const int nn = v.size * v.size;
  const std::vector<float>* map = nullptr;
  if (opt.reward && v.reward.size() == size_t(nn)) map = &v.reward;
  else if (opt.values && !v.values.empty()) map = &v.values[size_t(vin_shown_k(v, opt))];
  if (map) {
    // The colour scale over the free cells (obstacles stay walls): r its own, v_k one for all k.
    std::vector<const std::vector<float>*> scale{map};
    if (map != &v.reward) {
      scale.clear();
      for (const auto& vk : v.values)
        if (vk.size() == size_t(nn)) scale.push_back(&vk);
    }
    float lo = 0, hi = 1;
    vin_colour_range(v, scale, lo, hi);
    const Color low = opt.reward ? kVinRewardLow : kVinLow;
    for (int i = 0; i < nn; ++i) {
      if (v.obstacle[size_t(i)]) continue;
      const float t = std::clamp(((*map)[size_t(i)] - lo) / (hi - lo), 0.0f, 1.0f);
      const Vec2 p = vin_centre(v, i);
      canvas.rect({p.x - 0.5, p.y - 0.5}, {p.x + 0.5, p.y + 0.5}, mix(low, kVinHigh, t), palette::grid_line);
    }
    vin_colour_key(canvas, v, low, kVinHigh, lo, hi);
    // The caption on the top border row (always obstacles).
    canvas.text({v.size * 0.5, v.size - 0.5}, vin_map_caption(v, opt), Color{1, 1, 1, 1}, 0.9f);
  }
  // S and G back on top of the heat map.
  const Vec2 s = vin_centre(v, v.start), g = vin_centre(v, v.goal);
  canvas.rect({g.x - 0.5, g.y - 0.5}, {g.x + 0.5, g.y + 0.5}, palette::none, palette::goal);
  canvas.text(s, "S", palette::text, 1.2f);
  canvas.text(g, "G", palette::text, 1.2f);
  if (opt.paths) {
    const double d = 0.12;  // paths side by side where they share cells
    vin_path_line(canvas, v, v.expert_path, {-d, -d}, kVinExpert, 2.0f);
    vin_path_line(canvas, v, v.reactive_path, {d, d}, kVinReactive, 3.0f);
    vin_path_line(canvas, v, v.vin_path, {0, 0}, kVinPath, 3.0f);
    // The key, on the bottom border row, each name in its path's colour.
    std::vector<std::pair<const char*, Color>> key = {{"expert", kVinExpert}};
    if (!v.vin_path.empty()) key.push_back({"VIN", Color{0.45f, 0.65f, 1.0f, 1}});
    if (!v.reactive_path.empty()) key.push_back({"reactive", kVinReactive});
    for (size_t i = 0; i < key.size(); ++i)
      canvas.text({v.size * (i + 0.5) / double(key.size()), 0.5}, key[i].first, key[i].second, 0.9f);
  }
  if (const auto gl = world.grid_layout())
    canvas.circle(vin_centre(v, gl->state_of(gl->agent)), 0.3, palette::agent, palette::body_outline);
}

}  // namespace dynalab
