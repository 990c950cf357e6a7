#include "core/agents/vin/obstacle_map.h"

#include <stdexcept>

namespace dynalab {

ObstacleMap obstacle_map_of(const GridLayout& g) {
  if (g.rows != g.cols) throw std::invalid_argument("obstacle_map_of: a square grid expected");
  ObstacleMap m;
  m.size = g.rows;
  m.obstacle.resize(g.walls.size());
  for (size_t i = 0; i < g.walls.size(); ++i) m.obstacle[i] = g.walls[i] ? 1 : 0;
  m.goal = g.state_of(g.goal);
  return m;
}

}  // namespace dynalab
