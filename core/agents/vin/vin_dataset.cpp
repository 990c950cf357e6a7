#include "core/agents/vin/vin_dataset.h"

#include <cmath>
#include <stdexcept>

#include "core/grid_moves.h"
#include "core/rng.h"

namespace dynalab {

GridLayout current_map(const Env& env) {
  std::optional<GridLayout> g = env.grid_layout();
  if (!g || g->rows != g->cols) throw std::invalid_argument("VIN: env '" + env.name() + "' has no square grid of cells");
  return std::move(*g);
}

std::vector<MapSamples> make_vin_dataset(const Env& env, int maps, int trajectories, Rng& rng) {
  const std::unique_ptr<Env> copy = env.clone();
  std::vector<MapSamples> data;
  data.reserve(size_t(maps));
  while (int(data.size()) < maps) {
    MapSamples ms;
    copy->reset(rng.next_u64());
    ms.map = current_map(*copy);
    const std::vector<double> dist = distances_to_goal(ms.map);
    std::vector<int> free;
    for (int c = 0; c < ms.map.rows * ms.map.cols; ++c)
      if (!ms.map.walls[size_t(c)]) free.push_back(c);
    // A random permutation of the free cells (Fisher-Yates); fewer cells than trajectories: the
    // permutation repeats, as sample_trajectory's np.tile does.
    for (size_t i = free.size(); i > 1; --i) std::swap(free[i - 1], free[size_t(rng.below(i))]);
    for (int t = 0; t < trajectories; ++t) {
      const int start = free[size_t(t) % free.size()];
      const std::vector<int> path = expert_path(ms.map, dist, start);
      if (path.size() > 1) ms.starts.push_back(start);
      for (size_t i = 0; i + 1 < path.size(); ++i) {
        ms.cells.push_back(path[i]);
        ms.actions.push_back(expert_action(ms.map, dist, path[i]));
      }
    }
    if (!ms.cells.empty()) data.push_back(std::move(ms));
  }
  return data;
}

size_t sample_count(const std::vector<MapSamples>& data) {
  size_t n = 0;
  for (const auto& m : data) n += m.cells.size();
  return n;
}

}  // namespace dynalab
