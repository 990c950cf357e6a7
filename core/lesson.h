#pragma once
// Lessons: the lecture decks as guided live demonstrations. A lesson is a JSON file in
// assets/lessons/: a title, the deck it follows, and steps. Each step loads an experiment with
// config overrides (or several side by side, each with its own overrides or experiment), says what to look at and asks the audience one
// question, picks the overlays and plots to show, and may run until a condition, then pause.

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/lesson_claims.h"
#include "core/progress.h"

namespace dynalab {

class EnvRegistry;

/// When a step stops running by itself. Every set field is a condition; the first met stops.
struct LessonUntil {
  int episode = -1;          ///< this many episodes completed (the snapshot's episode index reached)
  int64_t ticks = -1;        ///< this many ticks done
  int64_t total_steps = -1;  ///< this many real env steps in the run
  bool finished = false;     ///< the experiment finished
  bool terminated = false;   ///< an episode ended by termination (the goal, the pit, a fall)
  int obs_dim = -1;          ///< with above/below: observation dimension to watch
  double above = std::numeric_limits<double>::quiet_NaN();  ///< obs[obs_dim] > above
  double below = std::numeric_limits<double>::quiet_NaN();  ///< obs[obs_dim] < below
  int64_t max_ticks = 1000000;  ///< safety net: stop after this many ticks whatever happens

  template <class V>
  void visit(V& v) {
    v.field("episode", episode, Range::at_least(-1));
    v.field("ticks", ticks, Range::at_least(-1));
    v.field("total_steps", total_steps, Range::at_least(-1));
    v.field("finished", finished);
    v.field("terminated", terminated);
    v.field("obs_dim", obs_dim, Range::closed(-1, 1000));
    v.field("above", above);
    v.field("below", below);
    v.field("max_ticks", max_ticks, Range::closed(1, 1e9));
  }
  /// True once `p` meets any of the set conditions (or max_ticks).
  bool reached(const Progress& p) const { return !met(p).empty(); }
  /// The first condition `p` meets, as the lesson file words it ("episode 3", "max_ticks
  /// 1000000"), or "" while none holds.
  std::string met(const Progress& p) const;
  /// A short description for the panel, e.g. "until episode 5".
  std::string describe() const;
};

/// One of several experiments run side by side in a step (e.g. Dyna n = 0 / 5 / 50).
struct LessonVariant {
  std::string label;
  /// Its own registered experiment ("experiment" in the file; "": the step's), so a step can
  /// put two families side by side (SAC and MBPO on the pendulum).
  std::string experiment;
  std::vector<std::string> overrides;  ///< "key.path=value", applied after the step's own
};

struct LessonStep {
  std::string title, narrative, question;
  std::string experiment;              ///< registered experiment name
  std::vector<std::string> overrides;  ///< "key.path=value" from the step's "set" object
  std::vector<LessonVariant> variants; ///< empty: one experiment; else side by side
  std::vector<std::string> overlays;   ///< overlay names (see lesson_overlays())
  std::vector<std::string> plots;      ///< figure ids to show
  std::vector<std::string> panels;     ///< lab views to open beside the world (lesson_panels())
  bool has_until = false;
  LessonUntil until;
  /// What the text claims about the run at the pause, checked by `dynalab-cli lessons --verify`
  /// on the step's seed and further seeds (core/lesson_claims.h).
  std::vector<LessonClaim> claims;
  /// The claims hold on the step's own seed only; the narrative says "this run".
  bool one_run = false;
  /// The label of a rung of the lesson's ladder this step runs (lesson 19, one step per rung):
  /// its experiment and overrides must be the rung's (check_lesson), and when the step pauses
  /// the player adds its run to the ladder plot under this label. "": not a rung step.
  std::string rung;
};

struct Lesson {
  std::string name;    ///< file stem
  std::string source;  ///< file path
  std::string title, deck;
  /// A ladder of assets/ladders/ (core/analysis/ladder.h) whose rungs the steps' "rung" name,
  /// and whose plot the panel "ladder" opens. "": none.
  std::string ladder;
  std::vector<LessonStep> steps;
};

/// Overlay names a step may ask for; the GUI has one toggle per name.
const std::vector<std::string>& lesson_overlays();
/// Panel names a step may ask for: the views of the GUI's uncertainty and distribution-shift lab
/// (disagreement_map, uncertainty_slice, model_comparison, ensemble_size, state_visitation,
/// model_error, gp_fit_time), kTwoClustersPanel or kLadderPanel.
const std::vector<std::string>& lesson_panels();
/// The panel that opens the sample-efficiency ladder's window, with the runs of the lesson's rung
/// steps so far (a window beside the lab, not one of its views).
inline constexpr const char* kLadderPanel = "ladder";
/// The panel that opens the lab's model_comparison view with "two clusters" on (the three models
/// refit without the middle half of the data: Foong et al. 2019's in-between gap).
inline constexpr const char* kTwoClustersPanel = "model_comparison_two_clusters";

/// Parses a lesson file. Errors name the file and the step, e.g.
/// "assets/lessons/x.json: steps[2].until.episode: expected ...". Does not build experiments.
Lesson load_lesson(const std::filesystem::path& path);
/// Loads assets/lessons/NAME.json.
Lesson load_lesson_named(const std::string& name);
/// Every lesson file in assets/lessons/, sorted by file name (the files are numbered in teaching order).
std::vector<std::filesystem::path> lesson_files();
/// Validates a lesson deeply: each step's experiment (and each variant) is built with its
/// overrides, so unknown keys and bad values are caught, and a rung step resolves to exactly its
/// rung's config (less the seed). Throws InputError naming file and step.
void check_lesson(const Lesson& lesson, const EnvRegistry& envs);
/// The overrides of a step for variant `v` (-1: the step's own), in application order.
std::vector<std::string> step_overrides(const LessonStep& step, int variant = -1);
/// The experiment of variant `v` (-1: the step's own): its own if it names one, else the step's.
const std::string& variant_experiment(const LessonStep& step, int variant = -1);

}  // namespace dynalab
