#pragma once
// Mirror-descent guided policy search (MDGPS: Montgomery & Levine, "Guided Policy Search via
// Approximate Mirror Descent", NIPS 2016, algorithm 2 with the C-step of section 4), the algorithm
// without the agent seam, as cbfinn/gps runs it (python/gps/algorithm/algorithm_mdgps.py with
// TrajOptLQRPython, DynamicsLRPrior + DynamicsPriorGMM and the constant policy prior).
//
// M local linear-Gaussian controllers p_m, one per start condition, and one global policy
// pi_theta (global_policy.h). One iteration:
//   1. sample N rollouts of each p_m on the real env (the agent's episodes);
//   2. fit: per condition the dynamics prior (a GMM over the condition's last rollouts,
//      dynamics_prior_gmm.h) and the local linear-Gaussian dynamics from the N rollouts with it;
//      the start distribution N(mean of x_0, diag(max(var of x_0, 1e-6))); the cost's quadratic
//      expansion from the samples (trajectory_cost.h; cost = -reward);
//   3. at the first iteration only, an S-step onto the initial controllers (cbfinn/gps: "catch the
//      policy up");
//   4. C-step: per condition linearise pi_theta around the samples (policy_linearization.h) and
//      replace p_m by the KL-constrained update towards that linearisation:
//        min E_p[cost]  s.t.  KL(p || pi_lin) <= kl_step * step_mult * T       (kl_step.h);
//      from the second iteration on, first adjust step_mult (cbfinn/gps algorithm.py
//      _set_new_mult; MDGPS: one multiplier for all conditions, algorithm_mdgps.py _stepadjust):
//        step_mult *= clamp(predicted / (2 max(1e-4, predicted - actual)), 0.1, 5),
//      clamped to [min_step_mult, max_step_mult], with (step_rule "laplace", means over the
//      conditions) predicted = E_{pi_lin prev}[cost] - E_{p_prev new}[cost] under the previous
//      fit and actual = E_{pi_lin prev}[cost] under the previous fit - E_{pi_lin now}[cost]
//      under this one (expected_cost of forward passes through the fitted dynamics); "mc" takes
//      the samples' mean costs for the previous and current costs instead; "fixed" keeps 1
//      (and records the Laplace estimates all the same);
//   5. S-step: fit pi_theta to every condition's new controller mean K x + k at the samples'
//      states, weighted by its precision C^-1;
//   steps 4-5 run inner_iterations times (cbfinn/gps MDGPS: once; its BADMM: 4);
//   6. one noise-free rollout of pi_theta's mean per condition on the real env (the agent's
//      episodes), for the global policy's cost.
// Variants (MdgpsConfig): algorithm "traj_opt" bounds the C-step's KL to the previous local
// controller instead (Levine & Abbeel 2014's local update alone, cbfinn/gps AlgorithmTrajOpt:
// per-condition step multipliers, predicted = E_{p_prev}[cost] - E_{p_now}[cost] under the
// previous fit, actual = E_{p_prev}[cost] under the previous fit - E_{p_now}[cost] under this
// one); the S-step still fits pi_theta, which then guides nothing. sample_on_policy draws the
// samples from pi_theta (MDGPS's on-policy variant). policy_linearization "jacobian" linearises
// pi_theta by its derivatives instead of cbfinn/gps's regression.
//
// What the fitted models mean for the step rule: with 5 rollouts the fitted dynamics' forward
// pass can leave the samples far behind over 100 steps (on the default reacher by metres), and
// the Laplace estimates with it; step_rule "fixed" or a narrow multiplier range (cbfinn/gps's
// MDGPS example: [0.5, 3]) keeps the steps from following them.
//
// Every random draw comes from the run's seed: the GMM initialisations from
// Rng::derive(seed, {run, 11, iteration, condition}), the S-step's minibatch order from
// {run, 12, iteration, inner}, pi_theta's initial weights from {run, 13}.

#include <memory>
#include <string>
#include <vector>

#include "core/agent.h"
#include "core/agents/gps/dynamics_prior_gmm.h"
#include "core/agents/gps/global_policy.h"
#include "core/agents/gps/kl_step.h"
#include "core/agents/gps/linear_gaussian_controller.h"
#include "core/agents/gps/trajectory_cost.h"
#include "core/config.h"
#include "core/gradients/differentiable_dynamics.h"
#include "core/views.h"

namespace dynalab {

class StateVisitor;

/// The local dynamics fit (the `gps.dynamics` section).
struct GpsDynamicsConfig {
  /// "gmm": cbfinn/gps's normal-inverse-Wishart fit with the GMM prior; "none": ridge least
  /// squares of each step alone (core/planning/local_linear_fit.h, ridge = regularization).
  std::string prior = "gmm";
  double regularization = 1e-6;  ///< added to the [x; u] covariance (cbfinn/gps) or the ridge
  GmmPriorConfig gmm;

  template <class V>
  void visit(V& v) {
    v.choice("prior", prior, {"gmm", "none"}, Apply::on_reset,
             "prior of the local dynamics fit: gmm (cbfinn/gps) or none (ridge least squares per step)");
    v.field("regularization", regularization, Range::closed(0, 1e6), Apply::on_reset,
            "added to the fit's [x; u] covariance (gmm) or its ridge (none)");
    gmm.visit(v);
  }
};

/// The family's algorithm settings (the `gps` section). Names follow cbfinn/gps and the papers.
struct MdgpsConfig {
  /// "mdgps": the C-step bounds the KL to the global policy's linearisation (Montgomery & Levine
  /// 2016). "traj_opt": to the previous local controller, each condition's step multiplier
  /// adjusted on its own (Levine & Abbeel 2014's trajectory optimisation alone, cbfinn/gps
  /// AlgorithmTrajOpt); the S-step still fits the global policy, which then guides nothing.
  std::string algorithm = "mdgps";
  int conditions = 2;         ///< M: start conditions, one local controller each
  int samples = 5;            ///< N: rollouts per condition per iteration (cbfinn/gps num_samples)
  double kl_step = 0.2;       ///< per-step KL bound; the trajectory's is kl_step * step_mult * T
  std::string step_rule = "laplace";  ///< step adjustment: laplace | mc | fixed
  double min_step_mult = 0.01, max_step_mult = 10.0;
  double init_var = 0.1;      ///< the initial controllers' action variance (zero gains, zero mean)
  int inner_iterations = 1;   ///< C-step + S-step rounds per batch of samples
  /// Sample the global policy (its mean plus its noise) instead of the local controllers from
  /// the second iteration on: MDGPS's on-policy variant (Montgomery & Levine 2016, section 4.2;
  /// cbfinn/gps sample_on_policy). The local models are then fitted where pi_theta goes.
  bool sample_on_policy = false;
  /// How the global policy is linearised for the C-step: "regression" (cbfinn/gps's, of its mean
  /// actions on the samples' states) or "jacobian" (its own derivatives at the samples' states,
  /// policy_linearization.h).
  std::string policy_linearization = "regression";
  /// Observation dims whose Euclidean norm is the distance to the goal, reported per rollout
  /// (reacher [8, 9]: tip minus target; point mass [0]: the position). [] reports none.
  std::vector<int> distance_dims;
  GpsDynamicsConfig dynamics;
  GlobalPolicyConfig policy;

  template <class V>
  void visit(V& v) {
    v.choice("algorithm", algorithm, {"mdgps", "traj_opt"}, Apply::on_reset,
             "C-step towards the global policy (mdgps) or the previous local controller (traj_opt)");
    v.field("conditions", conditions, Range::closed(1, 100), Apply::on_reset, "start conditions (local controllers)");
    v.field("samples", samples, Range::closed(2, 1000), Apply::on_reset, "rollouts per condition per iteration");
    v.field("kl_step", kl_step, Range::positive(), Apply::live,
            "KL bound per time step (the trajectory's bound is kl_step * step_mult * T); live: the next C-step's");
    v.choice("step_rule", step_rule, {"laplace", "mc", "fixed"}, Apply::on_reset,
             "step-size adjustment from predicted vs actual improvement (fixed: none)");
    v.field("min_step_mult", min_step_mult, Range::positive(), Apply::on_reset, "lower bound of the KL step multiplier");
    v.field("max_step_mult", max_step_mult, Range::positive(), Apply::on_reset, "upper bound of the KL step multiplier");
    v.field("init_var", init_var, Range::positive(), Apply::on_reset, "action variance of the initial local controllers");
    v.field("sample_on_policy", sample_on_policy, Apply::on_reset,
            "sample the global policy instead of the local controllers (from the second iteration)");
    v.field("inner_iterations", inner_iterations, Range::closed(1, 100), Apply::on_reset,
            "C-step + S-step rounds per batch of samples");
    v.choice("policy_linearization", policy_linearization, {"regression", "jacobian"}, Apply::on_reset,
             "the global policy's linearisation for the C-step: regression on the samples or its Jacobians");
    v.field("distance_dims", distance_dims, Range::closed(0, 100000), Apply::on_reset,
            "observation dims whose norm is the distance to the goal (reported)");
    v.section("dynamics", dynamics);
    v.section("policy", policy);
    if constexpr (requires { v.fail(std::string(), std::string()); })
      if (min_step_mult > max_step_mult)
        v.fail("min_step_mult", "at most max_step_mult (" + std::to_string(max_step_mult) + ")");
  }
};

/// One rollout on the real env: T + 1 observations, T commanded actions, its cost (-return).
struct GpsRollout {
  std::vector<Vec> X, U;
  double cost = 0;
};

class Mdgps {
 public:
  /// For an env with obs_dim observations, action_dim actions and episodes of `horizon` steps;
  /// `reward` is the env's closed-form reward (kept). Throws InputError naming gps.distance_dims
  /// if a dim is not below obs_dim, InputError naming gps.policy.activation if unknown.
  Mdgps(const MdgpsConfig& cfg, int obs_dim, int action_dim, int horizon,
        std::shared_ptr<const DifferentiableReward> reward, const RunSeed& seed);

  const MdgpsConfig& config() const { return cfg_; }
  /// A live edit of gps.kl_step (nats per time step, > 0): the next C-step's bound uses it.
  void set_kl_step(double kl_step) { cfg_.kl_step = kl_step; }
  /// T: steps per rollout.
  int horizon() const { return T_; }
  /// The iteration whose samples are being collected or processed (0-based).
  int iteration() const { return iteration_; }
  /// The local controller condition m samples from now.
  const LinearGaussianController& controller(int m) const { return cond_[size_t(m)].controller; }
  /// The global policy pi_theta.
  const GlobalPolicy& policy() const { return policy_; }
  /// The KL step multiplier of condition m (one for all conditions in mdgps).
  double step_mult(int m = 0) const { return cond_[size_t(m)].step_mult; }
  /// Condition m's Lagrange multiplier after its last C-step (1 before the first).
  double eta(int m) const { return cond_[size_t(m)].eta; }

  /// A rollout of condition m's controller for this iteration. When every condition has its N,
  /// the processing starts (busy()).
  void add_sample(int m, GpsRollout r);
  /// pi_theta's rollout from condition m after the iteration's processing; after the last
  /// condition's the next iteration begins.
  void add_policy_rollout(int m, GpsRollout r);
  /// True while a batch of samples is being processed (fit, C-step, S-step): call work().
  bool busy() const { return phase_ != Phase::sample; }
  /// One bounded unit of processing: one condition's fit, one C-step of all conditions, or
  /// policy.steps_per_tick Adam steps of an S-step.
  void work();
  /// What the processing is doing ("sample" when idle).
  std::string phase_name() const;

  /// The record of every iteration so far (the view's data and gps_iterations.csv's rows).
  const std::vector<std::shared_ptr<const LocalControllerView::Iteration>>& records() const { return records_; }
  /// |distance dims| of an observation (NaN without distance dims).
  double distance(const Vec& obs) const;

  void visit_state(StateVisitor& v);

 private:
  enum class Phase { sample, fit, catch_up, c_step, s_step };
  struct Condition {
    LinearGaussianController controller;  // samples this iteration
    LinearGaussianController updated;     // the C-step's result (the next iteration's controller)
    LinearGaussianController policy_lin;  // pi_theta's linearisation of this iteration
    std::vector<GpsRollout> samples;
    DynamicsPriorGmm prior;
    LocalLinearModel dynamics;
    Vec x0_mean;
    Eigen::MatrixXd x0_cov;
    QuadraticTrajectoryCost cost;
    double eta = 1.0;  // cbfinn/gps's initial multiplier
    double step_mult = 1.0;
    // The previous iteration's Laplace estimates, for the step adjustment.
    double prev_policy_cost = LocalControllerView::kNone, prev_predicted_cost = LocalControllerView::kNone;
    double prev_sample_cost = LocalControllerView::kNone;
    double prev_controller_cost = LocalControllerView::kNone;  // traj_opt: the sampling controller's
  };

  void fit_condition(int m);
  void c_step();
  /// Starts an S-step onto the controllers `use_updated` ? updated : controller at the samples.
  void start_s_step(bool use_updated);
  PolicyRegressionData s_step_data(bool use_updated) const;
  /// Copy-on-write access to the current iteration's record of condition m.
  LocalControllerView::Condition& record(int m);

  MdgpsConfig cfg_;
  int obs_dim_, action_dim_, T_;
  std::shared_ptr<const DifferentiableReward> reward_;
  RunSeed seed_;
  std::vector<Condition> cond_;
  GlobalPolicy policy_;
  int iteration_ = 0, inner_ = 0, fit_next_ = 0, policy_rollouts_ = 0;
  Phase phase_ = Phase::sample;
  bool s_step_updated_ = false;  // the S-step in progress fits the updated controllers
  std::vector<std::shared_ptr<const LocalControllerView::Iteration>> records_;
};

}  // namespace dynalab
