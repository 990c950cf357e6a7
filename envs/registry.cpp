#include "envs/registry.h"

#include "envs/cartpole_balance.h"
#include "envs/cartpole_swingup.h"
#include "envs/cliff_hill.h"
#include "envs/discretized_env.h"
#include "envs/grid_world.h"
#include "envs/point_mass.h"
#include "envs/mountain_car.h"
#include "envs/obstacle_map_env.h"
#include "envs/pendulum.h"
#include "envs/pixels_env.h"
#include "envs/point_obstacles.h"
#include "envs/reacher.h"

namespace dynalab {

const EnvRegistry& env_registry() {
  static const EnvRegistry registry({
      {"grid worlds", "grid_world", "text maze from assets/mazes/ (Sutton & Barto chapter 8)", make_grid_world},
      {"toy", "point_mass", "1-D point mass, vel += a dt; pos += vel dt; reward -(pos^2 + 0.1 vel^2) (planner tests)",
       make_point_mass},
      {"physics", "pendulum", "Gymnasium Pendulum-v1 in Box2D: swing up a pole with a bounded torque", make_pendulum},
      {"physics", "cartpole_swingup", "PETS cart-pole swing-up in Box2D: the pole starts hanging down", make_cartpole_swingup},
      {"physics", "cartpole_balance", "Gymnasium CartPole-v1 in Box2D (discrete: false for a force)", make_cartpole_balance},
      {"physics", "mountain_car", "Gymnasium MountainCarContinuous in Box2D: a weak car on a sin(3x) hill", make_mountain_car},
      {"physics", "cliff_hill", "go right to get higher... until the cliff: slope, summit, pit", make_cliff_hill},
      {"physics", "reacher", "planar two-link arm reaching a random target (no gravity)", make_reacher},
      {"physics", "point_obstacles", "a disc pushed among 5 obstacles to a goal (CS285 obstacles)", make_point_obstacles},
      {"grid worlds", "obstacle_map", "VIN's random obstacle maps, 8-connected moves, a new map per episode (Tamar et al. 2016)",
       make_obstacle_map_env},
      {"physics", "discretized", "a physics env binned into cells and a finite action list, for tabular Dyna", make_discretized},
      {"physics", "pixels", "an env seen through a camera: its last frames, grayscale (models from pixels)", make_pixels},
  });
  return registry;
}

}  // namespace dynalab
