#include "envs/registry.h"

#include "envs/grid_world.h"

namespace dynalab {

const EnvRegistry& env_registry() {
  static const EnvRegistry registry({
      {"grid worlds", "grid_world", "text maze from assets/mazes/ (Sutton & Barto chapter 8)", make_grid_world},
  });
  return registry;
}

}  // namespace dynalab
