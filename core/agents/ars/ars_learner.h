#pragma once
// Augmented Random Search V2-t (Mania, Guy, Recht, "Simple random search provides a competitive
// approach to reinforcement learning", NeurIPS 2018, algorithm 2), the algorithm without the
// agent seam. Names and defaults are SB3-contrib's (sb3_contrib/ars/ars.py, ars/policies.py).
//
// One iteration j, with theta the policy's flat parameters (p of them):
//   draw delta_1..delta_N ~ N(0, I_p)                                  N = n_delta
//   run n_eval_episodes episodes of each candidate theta + nu delta_k, then of each
//   theta - nu delta_k (SB3's order: the N "+" candidates, then the N "-"), giving returns r_k+
//   and r_k- (the sum over the candidate's episodes, as SB3-contrib);
//   keep the b = n_top directions with the largest max(r_k+, r_k-);
//   theta <- theta + alpha / (b sigma_R + 1e-6) sum_{top b} (r_k+ - r_k-) delta_k
// with sigma_R the standard deviation (n - 1 denominator, as torch.std) of the 2b kept returns,
// nu = delta_std, alpha = learning_rate; 1e-6 as SB3-contrib, against sigma_R = 0.
//
// Observation normalisation (V2, when norm_obs): every policy sees clip((s - mu_j) /
// sqrt(var_j + 1e-8), -10, 10), mu_j and var_j the per-dimension mean and variance of all the
// states met in the training episodes of iterations 0..j-1 (the paper's "states encountered from
// the start of training"), kept as SB3's RunningMeanStd (policy_learning/running_mean_std.h:
// its prior of mean 0, variance 1 and count 1e-4, so iteration 0 sees the raw states). They stay
// fixed within an iteration, so all 2N candidates of an iteration are compared under one
// normaliser; the iteration's states are merged into them after its update. (SB3-contrib's zoo
// runs instead update VecNormalize at every step.) Evaluation uses the same normaliser and theta.
//
// The policy (SB3-contrib's ARSPolicy, "MlpPolicy"): an MLP with `hidden` widths and
// `activation` (ReLU), then tanh on the output when squash_output (SB3's default for box
// actions), else the raw output clipped to [-1, 1]; actions are in the policy's (-1, 1) units.
// hidden = [] is the linear policy with bias. zero_policy (SB3's default) starts theta at 0;
// otherwise at PyTorch's nn.Linear default (weights and biases uniform in +-1/sqrt(fan_in)),
// drawn from the learner's Rng. Everything in double; every random draw comes from the learner's
// Rng.

#include <cstdint>
#include <string>
#include <vector>

#include "core/agents/policy_learning/running_mean_std.h"
#include "core/config.h"
#include "core/models/activation.h"
#include "core/models/mlp.h"
#include "core/rng.h"

namespace dynalab {

class StateVisitor;

/// The algorithm's hyperparameters (SB3-contrib's names and defaults). n_delta and the policy's
/// shape and n_eval_episodes apply on reset; live: learning_rate and n_top from the next update,
/// delta_std from the next iteration, alive_bonus_offset (the agent's) from the next step.
struct ArsConfig {
  int n_delta = 8;                      ///< N: random directions per iteration (2N episodes)
  int n_top = 8;                        ///< b: directions kept for the update, <= n_delta
  double learning_rate = 0.02;          ///< alpha: step size
  double delta_std = 0.05;              ///< nu: std of the parameter perturbations
  std::vector<int> hidden = {64, 64};   ///< hidden widths ([] = linear policy with bias)
  std::string activation = "relu";      ///< hidden activation (SB3-contrib: ReLU)
  bool squash_output = true;            ///< tanh on the output (else clip to [-1, 1])
  bool zero_policy = true;              ///< theta starts at 0
  bool norm_obs = true;                 ///< V2 observation normalisation (false: V1)
  double alive_bonus_offset = 0;        ///< added to every step's reward in the candidates' returns
  int n_eval_episodes = 1;              ///< episodes per candidate; its return is their sum

  template <class V>
  void visit(V& v) {
    v.field("n_delta", n_delta, Range::closed(1, 10000), Apply::on_reset,
            "random directions per iteration (2 n_delta episodes)");
    v.field("n_top", n_top, Range::closed(1, 10000), Apply::live,
            "best directions kept for the update (<= n_delta)");
    v.field("learning_rate", learning_rate, Range::positive(), Apply::live, "step size alpha");
    v.field("delta_std", delta_std, Range::positive(), Apply::live,
            "std nu of the parameter perturbations");
    v.field("hidden", hidden, Range::closed(1, 4096), Apply::on_reset,
            "hidden widths of the policy ([] = linear)");
    v.choice("activation", activation, activation_names(), Apply::on_reset, "hidden activation");
    v.field("squash_output", squash_output, Apply::on_reset, "tanh on the output (else clip)");
    v.field("zero_policy", zero_policy, Apply::on_reset, "policy parameters start at 0");
    v.field("norm_obs", norm_obs, Apply::on_reset,
            "normalise observations by the running mean/std of the training states (V2)");
    v.field("alive_bonus_offset", alive_bonus_offset, Range::closed(-1e6, 1e6), Apply::live,
            "added to every step's reward in the candidates' returns");
    v.field("n_eval_episodes", n_eval_episodes, Range::closed(1, 1000), Apply::on_reset,
            "episodes per candidate (its return is their sum)");
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if (n_top > n_delta)
        v.fail("n_top", "at most n_delta (" + std::to_string(n_delta) + "), got " + std::to_string(n_top));
  }
};

/// The b = n_top direction indices with the largest max(plus[k], minus[k]), best first (ties:
/// lower index first). plus and minus have one entry per direction; 1 <= n_top <= size.
std::vector<int> top_directions(const std::vector<double>& plus, const std::vector<double>& minus,
                                int n_top);

class ArsLearner {
 public:
  /// theta for obs_dim -> action_dim (zero, or initialised from rng), the first iteration's
  /// directions drawn from rng (the learner keeps it). Throws InputError if `cfg.activation` is
  /// unknown.
  ArsLearner(const ArsConfig& cfg, int obs_dim, int action_dim, Rng rng);

  /// A live edit: learning_rate and n_top (<= n_delta) apply at the next update, delta_std from
  /// the next iteration, alive_bonus_offset at once; the other fields keep their values.
  void set_config(const ArsConfig& cfg);

  /// The action in (-1, 1) of the candidate whose episode runs now (obs: raw, obs_dim).
  Vec candidate_action(const Vec& obs);
  /// The action in (-1, 1) of the unperturbed theta (evaluation).
  Vec deterministic_action(const Vec& obs) const;
  /// Adds a state met in a training episode to this iteration's normaliser statistics.
  void observe_state(const Vec& obs) {
    if (cfg_.norm_obs) iteration_states_.update(obs);
  }
  /// The running candidate's rollouts ended with return `candidate_return` (the reward sum over
  /// its n_eval_episodes episodes plus alive_bonus_offset per step: the caller sums them). The
  /// next candidate runs next; after the last one, the update (see above) and a new iteration's
  /// directions. Returns true if it updated.
  bool end_candidate(double candidate_return);

  /// Index of the running candidate in [0, 2 n_delta): k < N is theta + nu delta_k, k >= N is
  /// theta - nu delta_{k-N}.
  int candidate() const { return candidate_; }
  int candidates() const { return 2 * cfg_.n_delta; }
  /// Completed iterations (updates).
  int64_t iterations() const { return iterations_; }
  /// theta (p values) and the running candidate's parameters.
  const Vec& params() const { return theta_; }
  const Vec& candidate_params() const { return candidate_net_.params(); }
  /// This iteration's unit directions [n_delta, p].
  const Eigen::MatrixXd& deltas() const { return deltas_; }
  /// The normaliser's statistics now (states of the completed iterations).
  const RunningMeanStd& normaliser() const { return normaliser_.stats; }
  /// What the policies see for `obs` now (obs itself unless norm_obs).
  Vec normalize(const Vec& obs) const { return normaliser_(obs); }
  /// The step alpha / (b sigma_R + 1e-6) of the last update (0 before any).
  double last_step_size() const { return last_step_size_; }
  const ArsConfig& config() const { return cfg_; }

  /// Everything the next episodes depend on: theta, the directions and returns of this
  /// iteration, the candidate index, the normaliser and this iteration's states, the Rng.
  void visit_state(StateVisitor& v);

 private:
  using Net = MlpT<double>;
  /// The update (header comment), then the next iteration.
  void update();
  /// New directions and nu for the iteration starting now; the first candidate.
  void start_iteration();
  /// candidate_net_'s parameters from theta, the directions and candidate_.
  void load_candidate();
  /// The action in (-1, 1) of `net` for raw `obs` (normalised here when norm_obs).
  Vec policy_action(const Net& net, const Vec& obs) const;

  ArsConfig cfg_;
  int obs_dim_, action_dim_;
  Rng rng_;
  Vec theta_;
  Eigen::MatrixXd deltas_;       // [n_delta, p]
  double iteration_delta_std_ = 0;  // nu of this iteration's candidates (live edits wait)
  std::vector<double> returns_;  // [2 n_delta]: "+" candidates, then "-"
  int candidate_ = 0;
  int64_t iterations_ = 0;
  double last_step_size_ = 0;
  ObservationNormalizer normaliser_;
  RunningMeanStd iteration_states_;  // this iteration's states (count from 0: their exact moments)
  Net policy_net_, candidate_net_;  // theta; the running candidate
  // Buffers of policy_action (no state: not saved).
  mutable Net::Mat x_, out_;
  mutable Net::Scratch scratch_;
};

}  // namespace dynalab
