#include "core/models/activation.h"

#include "core/config.h"

namespace dynalab {

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = {"relu", "tanh", "silu"};
  return names;
}

Activation parse_activation(const std::string& name, const std::string& where) {
  const auto& n = activation_names();
  for (size_t i = 0; i < n.size(); ++i)
    if (n[i] == name) return static_cast<Activation>(i);
  throw InputError(where + ": expected one of relu, tanh, silu, got \"" + name + "\"");
}

const std::string& activation_name(Activation a) { return activation_names()[static_cast<int>(a)]; }

}  // namespace dynalab
