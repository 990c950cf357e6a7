#pragma once
// What the model analysis recipes (disagreement map, uncertainty slice, ensemble-size study) read
// from a running experiment: a frozen copy of the learned model, the transitions it was fit on,
// the state and action to hold fixed, and how the env names and bounds its observations. The
// GUI's lab and dynalab-cli analysis build it from the same snapshot, so they get the same
// numbers; MpcAgent::write_analysis builds it from its own final state.

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/snapshot.h"
#include "core/space.h"

namespace dynalab {

class LearnedModel;

/// Per-dim range of a training set, and a fixed subsample of its states for drawing as dots.
struct TrainingSummary {
  Eigen::RowVectorXd lo, hi;  ///< per obs dim min and max over every training state
  Eigen::MatrixXd dots;       ///< at most kMaxTrainingDots states (rows), a seeded subsample
};
inline constexpr int kMaxTrainingDots = 600;

/// The summary of `d` (not empty): its range and a seeded subsample of its states.
std::shared_ptr<const TrainingSummary> training_summary(const Dataset& d);

struct ModelInputs {
  std::shared_ptr<const LearnedModel> model;          ///< never null
  std::shared_ptr<const Dataset> training_data;   ///< null before the first fit
  std::shared_ptr<const TrainingSummary> summary; ///< of training_data (null with it)
  Vec state;        ///< the observation held fixed (the experiment's current one), obs_dim
  Vec plan_action;  ///< the planner's next action, action_dim; zeros when there is no plan
  Space obs_space, action_space;
  std::vector<std::string> obs_names;  ///< one per obs dim ("obs 0"... if the env has none)
  /// The env's step() draws no noise (Env::deterministic): an aleatoric band would only show
  /// noise the members learned from the data's spread, so the views say so instead.
  bool deterministic_world = false;
  /// The experiment's base seed (Snapshot::seed): analyses that draw (model_comparison's fits,
  /// gp_fit_time's rows) seed from it, so the lab and dynalab-cli --seed S agree.
  uint64_t seed = 0;
  int obs_dim() const { return int(state.size()); }
};

/// The inputs of `snap` (its ModelView with a learned model; the PlanView's next action). `reuse`: an earlier result whose
/// TrainingSummary is kept when the training data is the same copy (the GUI asks every frame).
/// Throws InputError when the snapshot has no learned model (another kind, the oracle, or still
/// collecting random data).
ModelInputs model_inputs(const Snapshot& snap, const ModelInputs* reuse = nullptr);

/// True if model_inputs(snap) would succeed.
bool has_model_inputs(const Snapshot& snap);

/// Range [lo, hi] shown for obs dim `d`: the observation space's bounds where they are finite
/// (the whole world, so a map reaches the cliff the data never saw), together with the training
/// data and the held state; along an unbounded dim, the data's range with the held state widened
/// by `widen` x its span on each side (to show extrapolation), or the state +- 1 without data.
void axis_range(const ModelInputs& in, int d, double widen, double& lo, double& hi);

}  // namespace dynalab
