#pragma once
// Checked claims: the quantitative statements a lesson step's text makes about its run, stated
// next to the text so the machine can check them (issue 23). A claim measures one number on the
// snapshot at the step's pause (the same snapshot the GUI draws, so the GUI and
// `dynalab-cli lessons --verify` agree) and compares it with a bound or with the same measure on
// another variant of the step.
//
// Measures (the "measure" string):
//   STAT COLUMN                     over this run's finished episodes; STAT is first, last, mean,
//                                   min, max, sum or count (episodes where the value is not 0);
//                                   COLUMN a metrics.csv column (return, steps, terminated,
//                                   env_steps, or the agent's own)
//   STAT COLUMN over episodes A..B  episodes A to B (0-based, inclusive)
//   STAT COLUMN over last K episodes
//   STAT FIGURE[/SERIES]            the y values of a figure's series (a figure with one series, or
//                                   the one named), when COLUMN names no metrics column
//   obs[i]                          the observation at the pause
//   data STAT obs[i]                over the learned model's training states (its latest fit)
//   episodes | total_steps          finished episodes of this run | env steps of this run
//   plan terminated_fraction        share of the latest planner trace's candidates whose imagined
//                                   path terminates within the horizon
//   plan failure_fraction           share of those candidates whose imagined path reaches a failure
//                                   (Env::failure: the pit), the ones the fan draws red
//   plan predicted_return           the planner's predicted return of the plan it executes
//   q real_updates | q planning_updates   tabular update counters
//   slice disagreement_ratio        the 1-D uncertainty slice along obs[0] as the lab draws it
//                                   (uncertainty_slice_view, its defaults): the members' mean
//                                   epistemic sd at the points outside the training data's range
//                                   over that at the points inside it ("they agree on the data and
//                                   fan out past it" is a ratio well above 1)
//   two_clusters gap_ratio MODEL    the lab's "Three models" view with "two clusters" on (its
//                                   defaults: the middle half of the data's obs[0] range removed,
//                                   the experiment's seed): MODEL's (ensemble, gp or bnn) mean
//                                   epistemic sd in the gap over that on the clusters, the models
//                                   refit on the clusters (core/analysis/model_comparison.h)
//   model_error median_distance     the lab's "Model error" view on the episode on screen
//   model_error horizon_ratio       (core/analysis/model_error.h): the median distance of its
//                                   transitions to the training data (training std), and the
//                                   open-loop error at the last horizon over that at one step

#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace dynalab {

struct Snapshot;
struct LessonStep;
class ConfigNode;

/// A parsed "measure" string (see the file comment).
struct Measure {
  enum class Kind { column, obs, data, episodes, total_steps, plan, q, slice, two_clusters, model_error };
  Kind kind = Kind::column;
  std::string stat;    ///< column: first | last | mean | min | max | sum | count
  std::string source;  ///< column: the column or FIGURE[/SERIES]; plan/q: the field; two_clusters: the model type
  int from = -1, to = -1;  ///< column: "over episodes A..B" (-1: unset)
  int last = -1;           ///< column: "over last K episodes" (-1: unset)
  int index = -1;          ///< obs, data: the dimension
};

/// Parses `text`; throws std::invalid_argument saying what was expected.
Measure parse_measure(const std::string& text);

/// The measure on `s`. NaN when there is nothing to measure yet (no finished episode, no plan);
/// `why` then says what is missing. Throws std::invalid_argument when the source names neither a
/// metrics column nor a figure of `s` (the message lists what there is).
double measure_snapshot(const Measure& m, const Snapshot& s, std::string* why = nullptr);

struct LessonClaim {
  enum class Test { above, below, between, above_variant, below_variant };
  std::string says;     ///< the claim in words, as the step's text makes it
  std::string variant;  ///< the variant measured (its label; "" in a step without variants)
  std::string measure;  ///< the measure's text
  Measure parsed;
  Test test = Test::above;
  double lo = std::numeric_limits<double>::quiet_NaN();  ///< above / between: the lower bound
  double hi = std::numeric_limits<double>::quiet_NaN();  ///< below / between: the upper bound
  std::string other;    ///< above_variant / below_variant: the variant compared with
};

/// Reads one claim object; errors name the file and key ("steps[1].claims[0].measure: ...").
/// `step` gives the variant labels the claim may name.
LessonClaim read_claim(ConfigNode& node, const LessonStep& step);

/// A claim checked on the snapshots of a step's variants (in the step's variant order).
struct ClaimResult {
  bool holds = false;
  double value = std::numeric_limits<double>::quiet_NaN();  ///< the measure on the claim's variant
  double other = std::numeric_limits<double>::quiet_NaN();  ///< ... on the compared variant
  std::string note;  ///< why it could not be measured ("" when it could)
};
ClaimResult check_claim(const LessonClaim& c, const LessonStep& step,
                        const std::vector<std::shared_ptr<const Snapshot>>& variants);

/// The test in words: "above -400", "between 10 and 20", "below n = 0 (Q-learning)".
std::string describe_test(const LessonClaim& c);

}  // namespace dynalab
