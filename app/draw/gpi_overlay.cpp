#include "app/draw/gpi_overlay.h"

#include <cmath>
#include <cstdio>

namespace dynalab {

namespace {
// Unit direction of each grid action in world coordinates (y up), GridWorld's order.
constexpr Vec2 kGpiDirs[4] = {{0, 1}, {0, -1}, {-1, 0}, {1, 0}};
constexpr double kGpiLine = 0.62;  // the key's line height, world units (a cell is 1)

std::string gpi_signed_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f", x);
  return buf;
}

Color gpi_darker(Color c, float f) { return {c.r * f, c.g * f, c.b * f, 1}; }
}  // namespace

Color gpi_policy_color(int k) {
  static constexpr Color colors[6] = {{0.12f, 0.47f, 0.71f, 1}, {1.00f, 0.50f, 0.05f, 1}, {0.58f, 0.40f, 0.74f, 1},
                                      {0.17f, 0.63f, 0.17f, 1}, {0.55f, 0.34f, 0.29f, 1}, {0.89f, 0.47f, 0.76f, 1}};
  return colors[((k % 6) + 6) % 6];
}

std::vector<std::string> gpi_legend_lines(const GpiView& v) {
  std::vector<std::string> out;
  if (v.improvement == "idea1" && v.single_policy >= 0)
    out.push_back("idea 1: pi_" + std::string(1, char('a' + v.single_policy)) + " in every cell (" + v.phase + ")");
  else
    out.push_back("GPI: the pi_k chosen per cell (" + v.phase + ")");
  for (int k = 0; k < v.n_policies; ++k) {
    const std::string name = k < int(v.policy_names.size()) ? v.policy_names[size_t(k)] : "";
    const bool known = k < int(v.weight_known.size()) && v.weight_known[size_t(k)];
    out.push_back("pi_" + std::string(1, char('a' + k)) + ": " + name + ",  w_" + std::string(1, char('a' + k)) +
                  " = " + (known && k < int(v.weights.size()) ? gpi_signed_number(v.weights[size_t(k)]) : std::string("? (no sample yet)")));
  }
  return out;
}

double gpi_legend_height(const GpiView& v, const GpiOverlayOptions& opt) {
  if (!opt.legend) return 0;
  return kGpiLine * double(v.n_policies + 1) + 0.3;
}

void draw_gpi_overlay(Canvas& canvas, const Env& world, const GpiView& v, const GpiOverlayOptions& opt) {
  const auto grid = world.grid_layout();
  if (!grid || v.n_actions != 4 || int(v.action.size()) != v.n_states || int(v.source.size()) != v.n_states) return;
  const double H = grid->rows;
  auto centre = [&](Cell c) { return Vec2{c.col + 0.5, H - c.row - 0.5}; };
  if (opt.policy_sources) {
    for (int s = 0; s < v.n_states && s < grid->rows * grid->cols; ++s) {
      const int k = v.source[size_t(s)], a = v.action[size_t(s)];
      if (k < 0 || a < 0 || a > 3) continue;
      const Vec2 p = centre(grid->cell_of(s));
      const Color c = gpi_policy_color(k);
      canvas.rect({p.x - 0.5, p.y - 0.5}, {p.x + 0.5, p.y + 0.5}, c.with_alpha(0.22f), palette::none);
      canvas.arrow({p.x - kGpiDirs[a].x * 0.3, p.y - kGpiDirs[a].y * 0.3}, {p.x + kGpiDirs[a].x * 0.36, p.y + kGpiDirs[a].y * 0.36},
                   gpi_darker(c, 0.85f), 3.5f);
    }
    // Each object framed in its own policy's colour, tying the key's pi_k to the cell it collects.
    for (size_t k = 0; k < grid->objects.size(); ++k) {
      const Vec2 o = centre(grid->objects[k]);
      const Color c = gpi_policy_color(int(k));
      canvas.segment({o.x - 0.46, o.y - 0.46}, {o.x + 0.46, o.y - 0.46}, c, 4);
      canvas.segment({o.x + 0.46, o.y - 0.46}, {o.x + 0.46, o.y + 0.46}, c, 4);
      canvas.segment({o.x + 0.46, o.y + 0.46}, {o.x - 0.46, o.y + 0.46}, c, 4);
      canvas.segment({o.x - 0.46, o.y + 0.46}, {o.x - 0.46, o.y - 0.46}, c, 4);
    }
  }
  if (opt.episode_path && v.path.size() > 1) {
    std::vector<Vec2> pts;
    for (int s : v.path)
      if (s >= 0 && s < grid->rows * grid->cols) pts.push_back(centre(grid->cell_of(s)));
    canvas.polyline(pts, palette::agent.with_alpha(0.6f), 3.0f);
  }
  canvas.circle(centre(grid->agent), 0.3, palette::agent, palette::body_outline);
  if (!opt.legend) return;
  // The key, below the maze: one line per policy with its colour and regressed weight.
  const std::vector<std::string> lines = gpi_legend_lines(v);
  double y = -0.2 - 0.5 * kGpiLine;
  canvas.text_left({0.05, y}, lines[0], palette::text, 0.85f);
  for (size_t i = 1; i < lines.size(); ++i) {
    y -= kGpiLine;
    const Color c = gpi_policy_color(int(i) - 1);
    const bool unused = v.improvement == "idea1" && v.single_policy >= 0 && int(i) - 1 != v.single_policy;
    canvas.rect({0.1, y - 0.2}, {0.6, y + 0.2}, c.with_alpha(unused ? 0.25f : 0.9f), gpi_darker(c, 0.7f));
    canvas.text_left({0.8, y}, lines[i], unused ? palette::text.with_alpha(0.5f) : palette::text, 0.85f);
  }
}

}  // namespace dynalab
