#pragma once
// The Config panel of the controls: the editor's copy of the running experiment's resolved
// config (every field with its range), the env combo, and "changes pending" until Reset. The
// copy comes from the worker after each load: a failed load leaves the old experiment running,
// so the panel never guesses which config is live.

#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/runner.h"

namespace dynalab {

struct ConfigPanel {
  Json edited;                 ///< Reset rebuilds the experiment from this
  bool ready = false;          ///< `edited` holds the running experiment's config
  bool pending_reset = false;  ///< fields that apply on reset were changed

  /// Posts to the runner's worker: send back the experiment's name and resolved config.
  void request_from(Runner& runner);
  /// The name of the experiment whose config arrived since the last call (then in `edited`).
  std::optional<std::string> take_incoming();

  struct Result {
    bool live = false;                ///< a live field changed: apply it now
    std::vector<std::string> errors;  ///< invalid values, for the status bar
    std::string note;                 ///< a message for the status bar ("" none)
  };
  Result draw();

 private:
  void env_picker(Result& r);
  std::mutex mu_;
  std::optional<std::pair<std::string, Json>> incoming_;
};

}  // namespace dynalab
