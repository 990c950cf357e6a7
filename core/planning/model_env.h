#pragma once
// ModelEnv: a learned Ensemble seen as a SequenceEvaluator, i.e. imagined rollouts of candidate
// action sequences with particles (PETS trajectory sampling).
//
// Propagation modes (the ensemble's ELITE members are the ones used; E_el of them):
//  - mean:  s' = s + average over elites of the predicted mean delta; no sampling, so every
//           particle is identical (computed once per candidate, copied to all particles).
//  - ts1:   each particle draws a uniformly random elite at every step (TS-1).
//  - tsinf: particle p keeps elite number p mod E_el for the whole horizon (TS-inf; with
//           particles a multiple of E_el every elite gets the same number of particles).
//  - pessimistic / optimistic: at every step every elite predicts the particle's next state
//           (with the SAME noise draw for all elites, so only model disagreement decides) and its
//           one-step reward r_e; the particle takes the next state and reward of the elite whose
//           reward has rank k = round(q * (E_el - 1)) in ascending order (nearest-rank quantile,
//           q = quantile_low for pessimistic, quantile_high for optimistic). With q = 0 that is
//           the worst elite at each step, with q = 1 the best.
// Probabilistic members sample s' = s + mu + sigma * eps, eps ~ N(0, 1) (mode mean: eps = 0);
// a learned reward is sampled the same way.
//
// Termination (`termination`): a particle whose transition (s, a, s') ends the episode keeps the
// reward of that step and earns nothing after it, exactly as the true env's return is summed
// (OracleEvaluator); its state is frozen and its path holds NaN rows after the terminal state,
// so drawn paths end where the particle terminated. The predicate is the env's closed form
// (Env::terminated, batched as a TerminationFn) or, where the env cannot say, the model's
// learned termination output (ModelConfig::learn_termination: terminated when its predicted
// probability, the member mean of that column, exceeds 0.5; never sampled). mbrl-lib does the
// same with its `termination_fn` (mbrl/env/termination_fns.py) and masks rewards by `dones`.
//
// Speed: all particles of all candidates advance together; at each step each elite evaluates
// its rows as ONE matrix product per layer. Candidates are cut into chunks that depend only on
// the batch, the particles and the elite count (never on the thread count); chunks run on up to
// `threads` threads, and the noise of candidate c comes from Rng::derive(noise_seed, {c}), so the
// returns are bit-identical at any thread count. Workspaces persist between calls: once shapes
// are stable an evaluate() makes one small allocation (thread bookkeeping) whatever P and H
// (plus, on builds without AVX-512, the packing buffers Eigen's GEMM allocates per product).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/models/ensemble.h"
#include "core/planning/sequence_evaluator.h"
#include "core/rng.h"

namespace dynalab {

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

  static const std::vector<std::string>& propagations() {
    static const std::vector<std::string> p = {"mean", "ts1", "tsinf", "pessimistic", "optimistic"};
    return p;
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
  }
};

/// Not thread-safe itself (it reuses its workspaces): one evaluate() at a time per ModelEnv.
class ModelEnv : public SequenceEvaluator {
 public:
  /// Batched reward r(s, a, s'): row i of obs (n x obs_dim), action (n x action_dim) and next_obs
  /// is one transition; write its reward to reward[i]. Called concurrently from worker threads
  /// (on disjoint rows), so it must not mutate shared state.
  using RewardFn = std::function<void(
      const Eigen::Ref<const RowMatrixXf>& obs, const Eigen::Ref<const RowMatrixXf>& action,
      const Eigen::Ref<const RowMatrixXf>& next_obs, Eigen::Ref<Eigen::VectorXf> reward)>;

  /// Batched termination predicate: terminated[i] = 1 if row i's transition ends the episode,
  /// else 0. Same rows and threading rules as RewardFn.
  using TerminationFn = std::function<void(
      const Eigen::Ref<const RowMatrixXf>& obs, const Eigen::Ref<const RowMatrixXf>& action,
      const Eigen::Ref<const RowMatrixXf>& next_obs, Eigen::Ref<Eigen::VectorXf> terminated)>;

  /// Rollouts through `model`; `reward` computes rewards, or, if empty, the model's learned
  /// reward is used (then the model must have learn_reward). `termination` is the env's
  /// predicate (empty: the env cannot say). config.termination decides which one ends a
  /// particle; "learned", or "env" with no predicate, needs a model with learn_termination.
  /// Throws InputError naming the key when the model lacks an output it needs.
  ModelEnv(std::shared_ptr<const Ensemble> model, const ModelEnvConfig& config,
           RewardFn reward = {}, TerminationFn termination = {});
  ~ModelEnv() override;

  /// Dimensions of the model's observations and actions; particles per candidate.
  int obs_dim() const override { return model_->obs_dim(); }
  int action_dim() const override { return model_->action_dim(); }
  int particles() const override { return cfg_.particles; }
  /// See SequenceEvaluator::evaluate. actions: P x (horizon * action_dim), time-major per row.
  void evaluate(const ActionBatch& actions, int horizon, const Vec& start, uint64_t noise_seed,
                Eigen::VectorXf& returns, std::vector<float>* paths) override;

  /// The current propagation settings.
  const ModelEnvConfig& config() const { return cfg_; }
  /// Changes particles, propagation, quantiles, threads or termination for the next evaluate().
  void set_config(const ModelEnvConfig& c);
  /// The ensemble rolled out.
  const Ensemble& model() const { return *model_; }
  /// Model steps (rows advanced by one step) done by the last evaluate(): P x particles x H, or
  /// P x H in mode mean (its particles are computed once).
  long last_model_steps() const { return last_steps_; }

 private:
  enum class Mode { mean, ts1, tsinf, pessimistic, optimistic };
  enum class Ends { env, learned, none };
  struct Chunk;
  void run_chunk(Chunk& ch, const ActionBatch& actions, int horizon, const Vec& start,
                 uint64_t seed, std::vector<float>* paths);

  std::shared_ptr<const Ensemble> model_;
  ModelEnvConfig cfg_;
  Mode mode_ = Mode::tsinf;
  RewardFn reward_;
  TerminationFn termination_;
  Ends ends_ = Ends::none;
  std::vector<std::unique_ptr<Chunk>> chunks_;
  long last_steps_ = 0;
};

/// The env's closed-form reward r(s, a, s') as a batched ModelEnv::RewardFn. `env` must outlive
/// it and must not be stepped meanwhile (ModelEnv calls it from its worker threads); the env
/// must have a closed-form reward (Env::reward not nullopt).
ModelEnv::RewardFn env_reward(const Env& env);
/// The env's closed-form Env::terminated as a batched ModelEnv::TerminationFn (same rules).
ModelEnv::TerminationFn env_termination(const Env& env);

}  // namespace dynalab
