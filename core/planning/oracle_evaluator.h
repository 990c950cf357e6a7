#pragma once
// The "perfect model" baseline: scores action sequences on copies of the true env. Before each
// replan, sync() copies the real env's full simulator state (Env::get_state); evaluate() then
// restores it with set_state() for every candidate and steps the true dynamics. Returns are real
// rewards, paths are real observations (particles() == 1). Once an episode terminates inside
// the horizon the remaining rewards are 0 and the path repeats the last observation.
// With threads = 2 the candidates are split in two contiguous halves, each on its own clone;
// every candidate is independent, so the results are identical to one thread.
//
// Derivatives (for iLQR): the env put at an observation and stepped (EnvDynamics: finite
// differences, or the env's closed-form Jacobians) and its closed-form reward (EnvReward), made
// on first use; nullptr when the env cannot be set to an observation or has no closed-form reward.

#include <memory>
#include <vector>

#include "core/env.h"
#include "core/gradients/env_dynamics.h"
#include "core/planning/sequence_evaluator.h"

namespace dynalab {

class OracleEvaluator : public SequenceEvaluator {
 public:
  /// An oracle over clones of `env` using 1 or 2 threads.
  explicit OracleEvaluator(const Env& env, int threads = 1);
  /// Copies the real env's current state as the start of the next evaluations.
  void sync(const Env& real);
  int obs_dim() const override { return obs_dim_; }
  int action_dim() const override { return action_dim_; }
  int particles() const override { return 1; }
  /// Scores each row from the synced state (`start` is only the first path point); noise_seed is
  /// unused because the true env is deterministic given its state.
  void evaluate(const ActionBatch& actions, int horizon, const Vec& start, uint64_t noise_seed,
                Eigen::VectorXf& returns, std::vector<float>* paths) override;
  /// Env steps taken by all evaluations so far (for speed measurements).
  int64_t env_steps() const { return env_steps_; }
  /// EnvDynamics of a clone of the env (the state is the observation `start`), or nullptr if the
  /// env cannot be put at an observation (Env::set_observation).
  const DifferentiableDynamics* differentiable_dynamics() override;
  /// EnvReward of a clone of the env, or nullptr if it has no closed-form reward (Env::reward).
  const DifferentiableReward* differentiable_reward() override;

 private:
  void run_range(int worker, const ActionBatch& actions, int horizon, const Vec& start, int i0,
                 int i1, Eigen::VectorXf& returns, std::vector<float>* paths);

  void make_derivatives();

  std::vector<std::unique_ptr<Env>> clones_;  // one per thread
  std::unique_ptr<Env> reward_env_;           // what reward_ reads (no evaluation moves it)
  std::unique_ptr<EnvDynamics> dynamics_;
  std::unique_ptr<EnvReward> reward_;
  bool derivatives_made_ = false;
  std::vector<double> state_;
  bool synced_ = false;
  int obs_dim_, action_dim_;
  int64_t env_steps_ = 0;
};

}  // namespace dynalab
