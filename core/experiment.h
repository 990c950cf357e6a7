#pragma once
// The unit both front ends run. An Experiment is built from a JSON config, advances by tick()
// (one bounded unit of work: an env step with its planning updates, a training epoch, a CEM
// iteration), and can build an immutable Snapshot at any point between ticks.

#include <filesystem>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/live_edit.h"
#include "core/progress.h"
#include "core/snapshot.h"
#include "core/trajectory.h"

namespace dynalab {

class EnvRegistry;
class SessionReader;

class Experiment {
 public:
  virtual ~Experiment() = default;
  /// Does one bounded unit of work. Returns false (and does nothing) once finished.
  virtual bool tick() = 0;
  virtual bool finished() const = 0;
  /// An immutable picture of the current state for the GUI.
  virtual std::shared_ptr<const Snapshot> snapshot() const = 0;
  /// The counters of snapshot() without building one: cheap enough to call after every tick.
  /// Default: read from a snapshot (kinds override it).
  virtual Progress progress() const { return progress_of(*snapshot()); }
  /// Writes metrics.csv and the experiment's own files into `dir` (created if needed).
  virtual void write_outputs(const std::filesystem::path& dir) const = 0;
  /// Every real episode recorded so far (finished ones, then the one in progress), the rows of
  /// trajectories.csv; empty if the experiment records none.
  virtual std::vector<Trajectory> recorded_trajectories() const { return {}; }
  /// trajectories.csv's columns: run, episode, t, obs_<name>..., action_<d>..., reward, and for
  /// an env seen through a camera the true state behind the observation, true_<name>....
  virtual std::vector<std::string> trajectory_columns() const { return {}; }
  /// Session support (core/session.h): writes everything the next ticks depend on into `state`
  /// (session.json's "state") and kind-specific files into `dir`. Default: InputError.
  virtual void save_state(const std::filesystem::path& dir, Json& state) const;
  /// Restores what save_state wrote, on a freshly built experiment of the saved config.
  /// Throws InputError naming the file and key on broken or wrong-shape input.
  virtual void load_state(const std::filesystem::path& dir, const SessionReader& state);
  /// Loops over tick() until finished.
  void run_to_end() {
    while (tick()) {
    }
  }
  /// The fully resolved config (every field, defaults filled in), live edits included.
  const Json& config() const { return config_; }
  /// Applies an editor's change of the config (`edited`: a whole resolved config, as config()
  /// returns it): fields marked Apply::live take effect from the next tick (a planner's from
  /// its next replan) and become part of config(); the other changed fields are returned as
  /// pending (they wait for a reset). Throws InputError naming the key if a live value is
  /// invalid; then nothing changes.
  LiveEdit apply_live_edit(const Json& edited);
  /// The real env, for edits between ticks (a mouse perturbation, a grid edit); null if the
  /// experiment has none.
  virtual Env* env() { return nullptr; }

 protected:
  /// Which fields of this experiment's config apply live (default: none).
  virtual std::map<std::string, Apply> config_applies() const { return {}; }
  /// Hands the live fields of `edit.merged` (a validated shape: only live leaves differ from
  /// config()) to the running agent. Throws InputError if a value is invalid.
  virtual void apply_live(const LiveEdit& edit) { (void)edit; }

  Json config_;
};

/// An experiment's config as loaded: the JSON (overrides applied) and where it came from.
struct ExperimentSource {
  std::string name;    ///< registered name or file stem
  std::string source;  ///< file path, for error messages
  Json json;
  std::shared_ptr<const std::set<std::string>> overridden;  ///< key paths set by --set
};

/// Folder of the shipped assets: $DYNALAB_ASSETS if set, else the source tree's assets/.
std::filesystem::path assets_dir();

/// Loads a registered experiment name (assets/experiments/NAME.json) or a JSON file path and
/// applies the "key.path=value" overrides. Throws InputError naming the file or key.
ExperimentSource load_experiment(const std::string& name_or_path, const std::vector<std::string>& overrides = {});

/// Builds the experiment (its agent family read from the config's "family"). Throws InputError.
std::unique_ptr<Experiment> make_experiment(const ExperimentSource& src, const EnvRegistry& envs);

struct ExperimentInfo {
  std::string name, category, description, family;
};
/// Every registered experiment (assets/experiments/*.json), sorted by category then name.
std::vector<ExperimentInfo> list_experiments();

}  // namespace dynalab
