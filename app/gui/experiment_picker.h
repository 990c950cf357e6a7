#pragma once
// The registered experiments by category: the Controls' picker (a combo with each experiment's
// description) and File > Open experiment. Both return the name picked this frame.

#include <optional>
#include <string>
#include <vector>

#include "core/experiment.h"

namespace dynalab {

struct ExperimentPicker {
  std::vector<ExperimentInfo> experiments;

  /// "Experiment" and a combo, then the current experiment's description.
  std::optional<std::string> draw(const std::string& current) const;
  /// The items of File > Open experiment.
  std::optional<std::string> menu_items(const std::string& current) const;
};

}  // namespace dynalab
