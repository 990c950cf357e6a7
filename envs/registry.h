#pragma once
#include "core/env_registry.h"

namespace dynalab {
/// Every environment dynalab ships, as an explicit list {category, name, description, factory}.
const EnvRegistry& env_registry();
}  // namespace dynalab
