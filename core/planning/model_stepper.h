#pragma once
// ModelStepper: advances a batch of imagined rows (state s, action a) by ONE step through a
// learned DynamicsModel. It is the one piece of model propagation: ModelEnv loops it over the
// horizon for open-loop action sequences (planners), policy_rollout() for a closed-loop policy
// (MBPO-style data, policy evaluation through the model).
//
// Rows come in GROUPS of rows_per_group() particles (a planner's candidate, a policy rollout's
// start state); group g draws all its noise from its own Rng::derive(seed, {g}), so a row's
// numbers never depend on the other groups in the batch or on how a caller splits the groups
// over threads.
//
// Propagation modes (config.propagation; the model's rollout_members(), E_el of them, an
// ensemble's elites):
//  - mean:  s' = s + average over members of the predicted mean delta; no sampling, so every
//           particle of a group is identical and a group is ONE row (rows_per_group() == 1).
//  - ts1:   each particle draws a uniformly random member at every step (TS-1).
//  - tsinf: particle p keeps member number p mod E_el for the whole rollout (TS-inf; with
//           particles a multiple of E_el every member gets the same number of particles).
//  - pessimistic / optimistic: at every step every member predicts the particle's next state
//           (with the SAME noise draw for all members, so only model disagreement decides) and
//           its one-step reward r_e; the particle takes the next state and reward of the member
//           whose reward has rank k = round(q * (E_el - 1)) in ascending order (nearest-rank
//           quantile, q = quantile_low for pessimistic, quantile_high for optimistic).
// Probabilistic members sample s' = s + mu + sigma * eps, eps ~ N(0, 1) (mode mean: eps = 0);
// a learned reward is sampled the same way.
//
// Epistemic reward shaping (config.disagreement_weight w, 0 = off): every row's reward of a
// step becomes r + w u(s, a), u = the ensemble's disagreement at the row's state and action, the
// norm over state dims of the standard deviation across the rollout members of their predicted
// mean change, sqrt(sum_d Var_e[mu_e,d(s, a)]) (real units; 0 for a one-member model). w < 0 is
// the uncertainty-penalised reward of MOPO (T. Yu et al., "MOPO: Model-based Offline Policy
// Optimization", NeurIPS 2020, r~ = r - lambda u with lambda = -w; its u is the largest
// aleatoric std, ours the epistemic spread, the "ensemble discrepancy" of R. Kidambi et al.,
// MOReL, NeurIPS 2020): rollouts that leave the data cost what the model does not know. w > 0
// is an optimistic exploration bonus (the deck's "optimistic value"). It costs one prediction
// per member of every row (mean, pessimistic and optimistic propagation make them anyway).
//
// Termination (config.termination): a row whose transition (s, a, s') ends the episode keeps
// the reward of that step and earns nothing after it; its state stays frozen where it ended.
// The predicate is the env's closed form (a BatchTerminationFn) or, where the env cannot say or
// config.termination is "learned", the model's learned termination output (terminated when its
// predicted probability, the member mean of that column, exceeds 0.5; never sampled). With
// "none" nothing ends a row (the mistake shown for comparison).
//
// Data support (config.support_radius > 0 and a DataSupport given by set_support): a row whose
// next state leaves the support halts like a terminated one (frozen, its path ends there) but
// earns config.halt_reward at that step and at every later step of the horizon, MOReL's
// absorbing HALT state with reward -kappa (data_support.h).
//
// Allocation: a Batch keeps every buffer; once its shapes are stable, begin() and step() do no
// heap allocation.

#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/models/bulk_normal.h"
#include "core/models/dynamics_model.h"
#include "core/planning/data_support.h"
#include "core/planning/env_functions.h"
#include "core/rng.h"

namespace dynalab {

/// The "rollout" section: how imagined particles propagate through the model.
struct ModelEnvConfig {
  int particles = 20;
  std::string propagation = "tsinf";  ///< mean | ts1 | tsinf | pessimistic | optimistic
  double quantile_low = 0.0;          ///< pessimistic: quantile of the elites' one-step rewards
  double quantile_high = 1.0;         ///< optimistic: quantile of the elites' one-step rewards
  int threads = 2;                    ///< worker threads (results do not depend on it)
  /// What ends an imagined particle: env (the env's closed form; where it cannot say, the
  /// model's learned termination) | learned (the model's learned termination) | none (nothing:
  /// rewards are summed over the whole horizon, the mistake shown for comparison).
  std::string termination = "env";
  /// How a candidate's particle returns become its score (ModelEnv::evaluate): mean (their
  /// average: the expected return under the model's uncertainty, PETS) | quantile (the
  /// nearest-rank score_quantile of them: 0 the worst particle, with tsinf particles = members
  /// the worst member's whole rollout; 1 the best) | mean_std (mean + score_std x their standard
  /// deviation: negative a lower confidence bound, positive an upper, optimistic one).
  std::string score = "mean";
  double score_quantile = 0.0;  ///< score = quantile: which one, 0 (worst) .. 1 (best)
  double score_std = -1.0;      ///< score = mean_std: the weight of the particles' std
  /// Reward shaping by the ensemble's disagreement u(s, a) (model_stepper.h): each step's reward
  /// r + disagreement_weight u. Negative: a penalty (MOPO); positive: an exploration bonus.
  double disagreement_weight = 0.0;
  /// The data's support (data_support.h): a particle whose next state lies farther than this
  /// (in standard deviations of the training states) from every state the model was fit on
  /// halts: it stops there and earns halt_reward at that step and every later one (MOReL's
  /// HALT). 0: off.
  double support_radius = 0.0;
  double halt_reward = -10.0;  ///< per step, once a particle has left the data's support

  static const std::vector<std::string>& propagations() {
    static const std::vector<std::string> p = {"mean", "ts1", "tsinf", "pessimistic", "optimistic"};
    return p;
  }
  static const std::vector<std::string>& scores() {
    static const std::vector<std::string> t = {"mean", "quantile", "mean_std"};
    return t;
  }
  static const std::vector<std::string>& terminations() {
    static const std::vector<std::string> t = {"env", "learned", "none"};
    return t;
  }
  template <class V>
  void visit(V& v) {
    v.field("particles", particles, Range::closed(1, 10000), Apply::live,
            "particles per candidate");
    v.choice("propagation", propagation, propagations(), Apply::live,
             "how particles use the ensemble");
    v.field("quantile_low", quantile_low, Range::probability(), Apply::live,
            "pessimistic reward quantile");
    v.field("quantile_high", quantile_high, Range::probability(), Apply::live,
            "optimistic reward quantile");
    v.field("threads", threads, Range::closed(1, 64), Apply::live, "planning threads");
    v.choice("termination", termination, terminations(), Apply::on_reset,
             "what ends an imagined particle: env, learned or none");
    v.choice("score", score, scores(), Apply::live,
             "a candidate's score from its particles' returns: mean, quantile or mean_std");
    v.field("score_quantile", score_quantile, Range::probability(), Apply::live,
            "score = quantile: 0 the worst particle's return, 1 the best");
    v.field("score_std", score_std, Range::closed(-100, 100), Apply::live,
            "score = mean_std: mean + this x std of the particles' returns");
    v.field("disagreement_weight", disagreement_weight, Range::closed(-1e6, 1e6), Apply::live,
            "reward + this x ensemble disagreement per step (< 0 penalty, > 0 bonus)");
    v.field("support_radius", support_radius, Range::closed(0, 100), Apply::live,
            "halt particles farther than this (data std units) from the training states; 0 off");
    v.field("halt_reward", halt_reward, Range::closed(-1e6, 1e6), Apply::live,
            "reward per step of a particle halted outside the data's support");
  }
};

class ModelStepper {
 public:
  /// The rows one caller advances, with all their buffers. Not shared between threads.
  class Batch {
   public:
    /// n x obs_dim: the rows' states s_t; step() replaces them by s_{t+1} (frozen once ended).
    RowMatrixXf states;
    /// n x action_dim: the actions a_t, filled by the caller before each step().
    RowMatrixXf actions;
    /// n: the reward each row earned in the last step (0 for a row that had already ended).
    Eigen::VectorXf reward;
    /// n: 1 where the last step's transition ended the episode (1 or 0).
    Eigen::VectorXf done;
    /// n: 1 while a row has not ended, after the last step (before the first: all 1).
    Eigen::VectorXf alive;
    /// n: alive as it was when the last step began (which rows really moved in it).
    Eigen::VectorXf was_alive;
    /// n: 1 where the row has left the data's support (it then earns halt_reward per step).
    Eigen::VectorXf halted;
    /// Rows and groups of the batch (rows = groups x rows per group).
    long rows() const { return states.rows(); }
    int groups() const { return int(rngs_.size()); }
    /// n: per row, the position in the model's rollout_members() of the member that advanced
    /// it in the last step (ts1 and tsinf; unspecified in the other modes, which mix members).
    const std::vector<int>& members() const { return member_of_; }

   private:
    friend class ModelStepper;
    RowMatrixXf next_, noise_;  // n x obs, n x D
    std::vector<Rng> rngs_;     // one stream per group
    std::vector<int> member_of_, order_, start_, rank_;
    std::unique_ptr<DynamicsModel::Workspace> ws_;
    BulkNormals normals_;
    std::vector<RowMatrixXf> sn_;      // pessimistic/optimistic: next state per member
    std::vector<Eigen::VectorXf> re_;  // pessimistic/optimistic: reward per member
    std::vector<Eigen::VectorXf> de_;  // pessimistic/optimistic: learned P(terminated) per member
    RowMatrixXf dsum_, dsq_;           // disagreement: sum and sum of squares of member means
  };

  /// Steps through `model`; `reward` computes rewards, or, if empty, the model's learned reward
  /// is used (then the model must learn it). `termination` is the env's predicate (empty: the
  /// env cannot say). Throws InputError naming the key when the model lacks an output the
  /// config needs.
  ModelStepper(std::shared_ptr<const DynamicsModel> model, const ModelEnvConfig& config,
               BatchRewardFn reward = {}, BatchTerminationFn termination = {});

  /// Validates and applies particles, propagation, quantiles and termination (threads are the
  /// caller's). InputError naming the key on a bad value or a missing model output.
  void set_config(const ModelEnvConfig& c);
  const ModelEnvConfig& config() const { return cfg_; }
  const DynamicsModel& model() const { return *model_; }
  /// The training data's support for config().support_radius (null: no halting).
  void set_support(std::shared_ptr<const DataSupport> support) { support_ = std::move(support); }
  const DataSupport* support() const { return support_.get(); }
  /// Rows per group: the particles, or 1 in mode mean (its particles would be identical).
  int rows_per_group() const { return mode_ == Mode::mean ? 1 : cfg_.particles; }

  /// Prepares `b` for groups first_group .. last_group - 1 (rows_per_group() rows each; group g's
  /// noise from Rng::derive(seed, {g})): sizes the buffers, all rows alive, reward and done 0.
  /// The caller then sets b.states (and b.actions before each step).
  void begin(Batch& b, int first_group, int last_group, uint64_t seed) const;
  /// Advances every row of `b` by one step from b.states and b.actions: fills reward, done,
  /// alive, was_alive and replaces states by the next states.
  void step(Batch& b) const;

 private:
  enum class Mode { mean, ts1, tsinf, pessimistic, optimistic };
  void add_disagreement(Batch& b) const;  // r += w u(s, a) for the rows of b (before the step)
  enum class Ends { env, learned, none };

  std::shared_ptr<const DynamicsModel> model_;
  ModelEnvConfig cfg_;
  Mode mode_ = Mode::tsinf;
  BatchRewardFn reward_;
  BatchTerminationFn termination_;
  Ends ends_ = Ends::none;
  std::shared_ptr<const DataSupport> support_;
};

}  // namespace dynalab
