#include "envs/registry.h"

#include "envs/grid_world.h"
#include "envs/point_mass.h"

namespace dynalab {

const EnvRegistry& env_registry() {
  static const EnvRegistry registry({
      {"grid worlds", "grid_world", "text maze from assets/mazes/ (Sutton & Barto chapter 8)", make_grid_world},
      {"toy", "point_mass", "1-D point mass, vel += a dt; pos += vel dt; reward -(pos^2 + 0.1 vel^2) (planner tests)",
       make_point_mass},
  });
  return registry;
}

}  // namespace dynalab
