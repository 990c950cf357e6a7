#pragma once
// The sample-efficiency ladder (deck 003, "why use model-based deep RL?": each rung about 10x
// fewer samples, "note log scale"; deck 002, "Comparison: sample efficiency" and "wall-clock
// time is not the same as efficiency"): every rung's experiment run on several seeds, its return
// against env steps on a log axis, the env steps each needs to reach a return threshold, and
// published reference results as markers.
//
// A ladder file (assets/ladders/<name>.json) lists the rungs in the order the lecture climbs:
//   { "title": ..., "env": "pendulum", "threshold": -300,
//     "rungs": [ { "label": "PPO", "experiment": "ppo_pendulum", "set": ["steps=100000"],
//                  "ceiling": false }, ... ],
//     "published": [ { "label": "PPO (rl-baselines3-zoo)", "rung": "PPO", "env_steps": 100000,
//                      "return": -172.2, "std": 104.2, "source": "..." }, ... ] }
// A rung's curve is its learning curve (learning_curve.csv: deterministic evaluations) where the
// family writes one, else its episodes' returns (metrics.csv: MPC and the random policy, whose
// every episode is its current controller at work). A "ceiling" rung (the oracle planner) needs
// no data at all: it is drawn, but not ranked.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/figure.h"

namespace dynalab {

class EnvRegistry;
struct Snapshot;

struct LadderRung {
  std::string label;       ///< legend text ("PPO")
  std::string experiment;  ///< a registered experiment or a JSON file
  std::vector<std::string> set;  ///< overrides ("steps=2000000"), before the seed
  bool ceiling = false;    ///< the perfect-model bound: drawn, not ranked
};

/// A published result: mean (and std) of the return after env_steps, with its source; drawn in
/// the colour of the rung labelled `rung` (if any).
struct PublishedPoint {
  std::string label, source, rung;
  double env_steps = 0, value = 0, std = 0;
};

struct LadderSpec {
  std::string name, source, title, env;
  double threshold = 0;  ///< the return a rung must reach ("steps to -300")
  std::vector<LadderRung> rungs;
  std::vector<PublishedPoint> published;
};

/// Reads assets/ladders/<name>.json or a path. Throws InputError naming the file and key.
LadderSpec read_ladder(const std::string& name_or_path);

/// The rung of `spec` labelled `label`, or null.
const LadderRung* ladder_rung(const LadderSpec& spec, const std::string& label);

/// One point of a rung's curve.
struct LadderPoint {
  int64_t env_steps = 0;  ///< real env steps of the run so far (warm-up included)
  double wall_s = 0;      ///< seconds since the run started
  double value = 0;       ///< evaluation (or episode) return
};

struct LadderRun {
  uint64_t seed = 0;
  std::vector<LadderPoint> curve;
  double wall_s = 0;  ///< the whole run
  std::string error;  ///< why the run failed ("" if it ran)
};

struct LadderResult {
  LadderRung rung;
  std::vector<LadderRun> runs;  ///< one per seed
  /// Seconds of simulated time per env step of the rung's env (Env::control_dt), 0 if the env
  /// has none or the result was read from a file: the summary's seconds of interaction.
  double control_dt = 0;
};

/// Wall seconds at run env steps `steps`, from the readings `wall_at_steps` (run env steps ->
/// seconds since the run started) taken as the run went: the first reading at or after `steps`,
/// `fallback` if there is none.
double wall_at(const std::map<int64_t, double>& wall_at_steps, int64_t steps, double fallback);

/// The curve of the run a live snapshot shows, read the way run_ladder reads a finished run's
/// outputs: its learning curve (the "learning_curve" figure's series of this run) where the family
/// draws one, else its finished episodes' returns (metrics env_steps and return). The lesson
/// player hands a finished rung step's run to the ladder with it (lesson 19); `wall_at_steps` are
/// the player's readings of the run's clock (see wall_at).
LadderRun ladder_run_from_snapshot(const Snapshot& s, uint64_t seed,
                                   const std::map<int64_t, double>& wall_at_steps);

/// Puts `run` into `results` as a run of the rung of `spec` labelled `label`: a new result in
/// the spec's rung order, or a run of that result (replacing a run of the same seed). The one
/// place results grow, so a climb and a lesson's rung steps fill the same plot. Throws InputError
/// if the spec has no such rung.
void add_ladder_run(const LadderSpec& spec, std::vector<LadderResult>& results,
                    const std::string& label, LadderRun run);

/// Env steps of the first point at or above `threshold`; +infinity if none.
double steps_to_threshold(const std::vector<LadderPoint>& curve, double threshold);
/// The median over runs of steps_to_threshold (+infinity counts as the largest).
double median_steps_to_threshold(const LadderResult& r, double threshold);
/// The same median in seconds of interaction (x r.control_dt), as PILCO counts data: "never"
/// if the median run never reached it, "" if the env has no control_dt.
std::string interaction_s_to_threshold_text(const LadderResult& r, double threshold);

/// Runs every rung (or those whose labels are in `only`, if not empty) on seeds 0..seeds-1,
/// `jobs` runs at a time; each run's outputs go to runs_dir/<rung>/seed<k>/ (if runs_dir is not
/// empty). Deterministic per seed: the curves' values do not depend on `jobs` (wall_s does).
/// on_done(done, total) after each run. Throws InputError if a rung's experiment is invalid.
/// `cancel`, if set, stops every run at its next tick (the GUI's Stop; those runs get an error).
std::vector<LadderResult> run_ladder(const LadderSpec& spec, int seeds, int jobs,
                                     const std::vector<std::string>& only,
                                     const EnvRegistry& envs,
                                     const std::filesystem::path& runs_dir,
                                     const std::function<void(int, int)>& on_done = {},
                                     const std::atomic<bool>* cancel = nullptr);

/// The results in a ladder.csv that write_ladder wrote for `spec` (rungs in the spec's order,
/// those absent from the file left out). Throws InputError naming the file on a malformed one.
std::vector<LadderResult> read_ladder_results(const LadderSpec& spec,
                                              const std::filesystem::path& ladder_csv);

/// The ladder figure: the median return over seeds against env steps (wall_clock: against the
/// median wall seconds) on a log x axis, one series per rung, plus one marker series per
/// published point (env-steps figure only).
Figure ladder_figure(const LadderSpec& spec, const std::vector<LadderResult>& results,
                     bool wall_clock);

/// True if the ranked rungs' medians of steps to the threshold never decrease down the list
/// order reversed, i.e. each rung needs at least as many steps as the next (the lecture's order,
/// slowest first); `order` gets "ARS 1.2e6 > A2C 2.8e5 > ..." for the report.
bool ladder_in_order(const LadderSpec& spec, const std::vector<LadderResult>& results,
                     std::string& order);

/// Writes ladder.csv (rung,seed,env_steps,wall_s,return), ladder_summary.csv (rung, the steps to
/// the threshold per seed and their median, the median in seconds of interaction where the env
/// has a control_dt (PILCO's measure), final return mean and std, wall seconds median),
/// ladder.svg / ladder_figure.csv (the env-steps figure's series) and ladder_wall_clock.svg /
/// ladder_wall_clock_figure.csv. Throws InputError naming a path it cannot write.
void write_ladder(const LadderSpec& spec, const std::vector<LadderResult>& results,
                  const std::filesystem::path& dir);

}  // namespace dynalab
