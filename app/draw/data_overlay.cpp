#include "app/draw/data_overlay.h"

#include <algorithm>
#include <string>

namespace dynalab {

namespace {
// Translucent enough that ~10 stacked dots read as solid: density shows as darkness.
constexpr Color kDataDot{0.55f, 0.10f, 0.65f, 0.12f};
constexpr Color kDataLabel{0.45f, 0.05f, 0.55f, 1};
}  // namespace

void draw_training_data(Canvas& canvas, const Env& world, const Dataset& data) {
  if (data.size() == 0) return;
  const Bounds b = world.world_bounds();
  const double r = 0.008 * std::max(b.hi.x - b.lo.x, b.hi.y - b.lo.y);
  const Eigen::MatrixXd states = data.observations();
  Vec2 sum{0, 0};
  double top = -1e300;
  int n = 0;
  for (Eigen::Index i = 0; i < states.rows(); ++i) {
    const auto p = world.obs_position(states.row(i).transpose());
    if (!p) continue;
    canvas.circle(*p, r, kDataDot, palette::none);
    sum = {sum.x + p->x, sum.y + p->y};
    top = std::max(top, p->y);
    ++n;
  }
  if (n == 0) return;
  // Above the data's centre (where it is, not where the car happens to be).
  canvas.text({sum.x / n, top + 6 * r}, "training data (" + std::to_string(data.size()) + " transitions)",
              kDataLabel, 0.9f);
}

}  // namespace dynalab
