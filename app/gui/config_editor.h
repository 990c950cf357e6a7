#pragma once
// The config editor: the same visit() that reads a config struct from JSON draws it in ImGui,
// a slider or input per field with the field's Range, and marks fields that apply on reset.
// Edits go into the JSON the experiment is rebuilt from; live fields are also pushed at once.

#include <string>
#include <vector>

#include "core/config.h"

namespace dynalab {

/// What one frame of editing did.
struct ConfigEdit {
  bool live = false;                ///< a field that applies live changed
  bool on_reset = false;            ///< a field that applies on reset changed
  std::vector<std::string> errors;  ///< rejected inputs, "key: expected ..., got ..."
};

/// Draws the editor for an experiment config (kinds with a known struct get ranged widgets;
/// others a plain JSON editor) and writes accepted edits back into `config`.
ConfigEdit edit_experiment_config(Json& config);

}  // namespace dynalab
