#pragma once
// ModelEnv: a learned DynamicsModel seen as a SequenceEvaluator, i.e. imagined rollouts of
// candidate action sequences with particles (PETS trajectory sampling): a loop over the horizon
// around ModelStepper, which holds the propagation modes, the sampling and termination (see
// model_stepper.h). A candidate is one stepper group: its particles share its action sequence.
//
// Scores (config.score): a candidate's particle returns become one number by their mean (the
// expected return, PETS), a quantile (0: the worst particle, a worst-case / pessimistic value;
// 1: the best, an optimistic one) or mean + k std (a lower or upper confidence bound).
//
// Termination: a particle whose transition ends the episode keeps the reward of that step and
// earns nothing after it, exactly as the true env's return is summed (OracleEvaluator); its path
// holds NaN rows after the terminal state, so drawn paths end where the particle terminated.
// mbrl-lib does the same with its `termination_fn` (mbrl/env/termination_fns.py) and masks
// rewards by `dones`.
//
// Speed: all particles of all candidates advance together; at each step each elite evaluates
// its rows as ONE matrix product per layer. Candidates are cut into chunks that depend only on
// the batch, the particles and the elite count (never on the thread count); chunks run on up to
// `threads` threads, and the noise of candidate c comes from Rng::derive(noise_seed, {c}), so the
// returns are bit-identical at any thread count. Workspaces persist between calls: once shapes
// are stable an evaluate() makes one small allocation (thread bookkeeping) whatever P and H
// (plus, on builds without AVX-512, the packing buffers Eigen's GEMM allocates per product).
//
// Derivatives (for iLQR): the mean of the rollout (elite) members as ModelDynamics (through the
// model's input Jacobians; none for a model without them, e.g. system_id), and the env's
// closed-form reward if the owner handed it over (set_differentiable_reward; a learned reward has
// no derivatives). They ignore particles, propagation noise, rollout.penalty and termination.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/gradients/model_dynamics.h"
#include "core/models/dynamics_model.h"
#include "core/planning/model_stepper.h"
#include "core/planning/sequence_evaluator.h"

namespace dynalab {

/// Not thread-safe itself (it reuses its workspaces): one evaluate() at a time per ModelEnv.
class ModelEnv : public SequenceEvaluator {
 public:
  using RewardFn = BatchRewardFn;
  using TerminationFn = BatchTerminationFn;

  /// Rollouts through `model`; `reward` computes rewards, or, if empty, the model's learned
  /// reward is used (then the model must have learn_reward). `termination` is the env's
  /// predicate (empty: the env cannot say). config.termination decides which one ends a
  /// particle; "learned", or "env" with no predicate, needs a model with learn_termination.
  /// Throws InputError naming the key when the model lacks an output it needs.
  ModelEnv(std::shared_ptr<const DynamicsModel> model, const ModelEnvConfig& config,
           RewardFn reward = {}, TerminationFn termination = {});
  ~ModelEnv() override;

  /// Dimensions of the model's observations and actions; particles per candidate.
  int obs_dim() const override { return stepper_.model().obs_dim(); }
  int action_dim() const override { return stepper_.model().action_dim(); }
  int particles() const override { return stepper_.config().particles; }
  /// See SequenceEvaluator::evaluate. actions: P x (horizon * action_dim), time-major per row.
  void evaluate(const ActionBatch& actions, int horizon, const Vec& start, uint64_t noise_seed,
                Eigen::VectorXf& returns, std::vector<float>* paths) override;

  /// The current propagation settings.
  const ModelEnvConfig& config() const { return stepper_.config(); }
  /// Changes particles, propagation, quantiles, threads or termination for the next evaluate().
  void set_config(const ModelEnvConfig& c) { stepper_.set_config(c); }
  /// The training data's support for rollout.support_radius (null: no particle halts).
  void set_support(std::shared_ptr<const DataSupport> support) { stepper_.set_support(std::move(support)); }
  const DataSupport* support() const { return stepper_.support(); }
  /// The model rolled out.
  const DynamicsModel& model() const { return stepper_.model(); }
  /// The mean of the model's rollout members (ModelDynamics, made on first use; it follows the
  /// elites as they change), or nullptr if the model has no input Jacobians.
  const DifferentiableDynamics* differentiable_dynamics() override;
  /// The reward handed to set_differentiable_reward (nullptr until then).
  const DifferentiableReward* differentiable_reward() override { return diff_reward_.get(); }
  /// The closed-form reward's derivatives, the same r(s, a, s') as the RewardFn this ModelEnv
  /// scores with (e.g. EnvReward of the env); null: none (a learned reward).
  void set_differentiable_reward(std::shared_ptr<const DifferentiableReward> reward) {
    diff_reward_ = std::move(reward);
  }
  /// Model steps (rows advanced by one step) done by the last evaluate(): P x particles x H, or
  /// P x H in mode mean (its particles are computed once).
  long last_model_steps() const { return last_steps_; }

 private:
  struct Chunk;
  // A candidate's score from its particles' returns `r` (config().score); `sorted` is scratch.
  float score(const Eigen::Ref<const Eigen::VectorXf>& r, std::vector<float>& sorted) const;
  void run_chunk(Chunk& ch, const ActionBatch& actions, int horizon, const Vec& start,
                 uint64_t seed, std::vector<float>* paths);

  ModelStepper stepper_;
  std::unique_ptr<ModelDynamics> diff_dynamics_;
  bool diff_dynamics_tried_ = false;
  std::shared_ptr<const DifferentiableReward> diff_reward_;
  std::vector<std::unique_ptr<Chunk>> chunks_;
  long last_steps_ = 0;
};

}  // namespace dynalab
