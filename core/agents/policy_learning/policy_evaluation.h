#pragma once
// What every policy learner on a bounded box action space shares (sac, mbpo, ppo, a2c, ars):
// the map between the policy's (-1, 1) units and the env's action bounds, and the evaluation
// episodes that make learning_curve.csv, so curves of different learners go on one plot.
//
// Every eval_every env steps a learner runs eval_episodes episodes with its deterministic policy
// (SAC: tanh(mean); PPO/A2C: the clipped mean; ARS: the linear/MLP map) on its own copy of the env (episode k starts from Rng::derive(seed, {run, 3, k}),
// the same starts at every evaluation) and appends their mean return to the learning curve:
//   learning_curve.csv   run,env_steps,wall_s,eval_return   one row per evaluation of every run
//                        (wall_s: seconds since the run's agent was built, evaluations
//                        included, continued across a saved session; the only column that
//                        differs between two runs of the same seed)

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "core/agent.h"

namespace dynalab {

/// When and how long a learner is evaluated: top-level keys of the family's config.
struct EvaluationConfig {
  int64_t eval_every = 1000;  ///< env steps between evaluations
  int eval_episodes = 5;      ///< deterministic episodes per evaluation

  template <class V>
  void visit(V& v) {
    v.field("eval_every", eval_every, Range::closed(1, 1e9), Apply::live,
            "env steps between evaluations");
    v.field("eval_episodes", eval_episodes, Range::closed(1, 1000), Apply::live,
            "deterministic episodes per evaluation");
  }
};

/// A deterministic policy: observation (obs_dim) -> action in the policy's (-1, 1) units
/// (action_dim), mapped to the env's bounds by ActionScale.
using DeterministicPolicy = std::function<Vec(const Vec& obs)>;

/// One evaluation: a row of learning_curve.csv.
struct LearningCurveRow {
  int run = 0;
  int64_t env_steps = 0;
  double wall_s = 0, eval_return = 0;
};

/// The affine map between a bounded box action space and the policy's (-1, 1) units.
struct ActionScale {
  Space space;  ///< the env's action space (bounded box)
  /// Env action from policy units (vector of action_dim).
  Vec to_env(const Vec& a) const;
  /// Policy units from an env action.
  Vec to_unit(const Vec& a) const;
};

/// AgentFamily::check_env of a family that needs a bounded box action space: fails naming
/// env.name otherwise.
void check_bounded_box(const std::string& family, const Env& env, ConfigNode& env_node);

/// A run's evaluations: its own env copy, its seed's starts, and the learning curve that every
/// run's agent appends to (shared between the runs of an experiment).
class PolicyEvaluation {
 public:
  PolicyEvaluation(const Env& env, const RunSeed& seed,
                   std::shared_ptr<std::vector<LearningCurveRow>> curve);
  /// Mean return of `episodes` episodes of `policy` (see above).
  double evaluate(const DeterministicPolicy& policy, int episodes);
  /// evaluate() and append its row for `env_steps` to the curve.
  void record(const DeterministicPolicy& policy, int episodes, int64_t env_steps);
  /// The figure "learning_curve": eval return vs env steps, one series per run.
  void add_figure(std::vector<Figure>& figures) const;
  /// The status line "last eval return" once this run has one.
  void publish(Snapshot& s) const;
  /// learning_curve.csv in `dir`.
  void write(const std::filesystem::path& dir) const;
  /// The curve so far and the run's wall clock (continued from its saved reading on load).
  void visit_state(StateVisitor& v);
  const std::vector<LearningCurveRow>& curve() const { return *curve_; }

 private:
  ActionScale scale_;
  std::unique_ptr<Env> env_;
  RunSeed seed_;
  std::shared_ptr<std::vector<LearningCurveRow>> curve_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace dynalab
