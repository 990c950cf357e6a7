#include "core/env.h"

namespace dynalab {

std::vector<std::string> Env::observation_names() const {
  std::vector<std::string> names;
  for (int i = 0; i < observation_space().dim(); ++i) names.push_back("obs_" + std::to_string(i));
  return names;
}

}  // namespace dynalab
