#include "core/env.h"

#include <cmath>

namespace dynalab {

std::vector<std::string> Env::observation_names() const {
  std::vector<std::string> names;
  for (int i = 0; i < observation_space().dim(); ++i) names.push_back("obs_" + std::to_string(i));
  return names;
}

std::optional<Cell> GridLayout::cell_at(Vec2 p) const {
  const Cell c{rows - 1 - int(std::floor(p.y)), int(std::floor(p.x))};
  if (!inside(c)) return std::nullopt;
  return c;
}

}  // namespace dynalab
