#pragma once
// The VIN imitation dataset (kentsommer/pytorch-value-iteration-networks,
// dataset/make_training_data.py and domains/gridworld.py sample_trajectory): per map, expert
// trajectories from `trajectories` start cells drawn without replacement among the free cells
// (the goal and cells that cannot reach it give no trajectory); every cell of a trajectory but
// the goal is one sample, labelled with the expert's action there. Samples stay grouped by map:
// the VI module runs once per map and every sample of the map reads its result.

#include <vector>

#include "core/env.h"
#include "core/grid_layout.h"

namespace dynalab {

class Rng;

/// One map and its labelled cells (a cell may repeat: trajectories overlap near the goal).
struct MapSamples {
  GridLayout map;  ///< square; its walls are the obstacles
  std::vector<int> cells;    ///< agent cells
  std::vector<int> actions;  ///< the expert's action at each cell (0..7)
  std::vector<int> starts;   ///< the start cell of each trajectory (held-out rollouts start here)
};

/// `maps` maps (each with at least one sample) and their expert samples, `trajectories` per map.
/// The maps are the env's: a copy of `env` is reset with seeds drawn from `rng` and its
/// grid_layout() read (the obstacle_map env: a new random map per reset seed). Throws
/// std::invalid_argument if the env has no square grid.
std::vector<MapSamples> make_vin_dataset(const Env& env, int maps, int trajectories, Rng& rng);

/// The map on which `env` stands now (its grid layout). Throws std::invalid_argument if the env
/// has no square grid.
GridLayout current_map(const Env& env);

/// Samples in `data`.
size_t sample_count(const std::vector<MapSamples>& data);

}  // namespace dynalab
