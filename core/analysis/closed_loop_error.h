#pragma once
// Closed-loop compounding error: how far k-step model rollouts under the CURRENT POLICY drift
// from the truth, the error MBPO's branched rollouts of length k actually meet (Janner et al.
// 2019, "When to Trust Your Model", sec. 4 and its figure on compounding model error; deck 001's
// "curse of long model-based rollouts"). From each real start s_0, two rollouts of the same
// deterministic policy pi (the mean action, so the only difference is the model):
//   model:  s_hat_{h+1} = model(s_hat_h, pi(s_hat_h)),   s_hat_0 = s_0
//   true:   s_{h+1}     = env(s_h, pi(s_h))              (a clone of the env, set_state(start))
// error_h = mean over starts of ||s_hat_h - s_h||, h = 1..K, in observation units (as
// compounding_error.h). Unlike that open-loop error (real actions replayed into the model), an
// error in an imagined state here also changes the policy's next action, which changes the next
// imagined state: errors feed back through the policy.
// Open loop on the same starts (the option `open_loop`, nearly free: the true rollouts are
// already there): the true rollout's actions pi(s_h) replayed into the model.
// A start's series stops when the real env terminates (the terminating step is counted), as a
// branched rollout stops there; a prediction that becomes non-finite counts as diverged at that
// h (and stays so). Deterministic: no random draw here (the caller draws the starts).

#include <Eigen/Core>
#include <functional>
#include <vector>

#include "core/analysis/compounding_error.h"
#include "core/env.h"
#include "core/figure.h"

namespace dynalab {

class DynamicsModel;

/// One batched model step in env units: states (n x obs_dim) and actions (n x action_dim), one
/// row per rollout, to the predicted next states (n x obs_dim).
using ModelStep =
    std::function<Eigen::MatrixXd(const Eigen::MatrixXd& states, const Eigen::MatrixXd& actions)>;

/// The ensemble's mean propagation: s' = s + the mean over the elites (all members if
/// !elites_only or none are chosen yet) of their predicted mean deltas; no sampled noise and no
/// random member, so the curve is a deterministic function of the weights. (MBPO's own rollouts
/// draw a random elite per step and sample its Gaussian; the mean isolates the model's bias.)
/// Refers to `model`, which must outlive the step.
ModelStep model_mean_step(const DynamicsModel& model, bool elites_only = true);

/// A real start point: an observation and the simulator state (Env::get_state()) behind it.
struct RealStart {
  Vec obs;
  std::vector<double> state;
};

struct ClosedLoopErrorOptions {
  int horizon = 25;        ///< K (the k slider's range)
  bool open_loop = true;   ///< also the open-loop error on the same starts
};

struct ClosedLoopError {
  CompoundingError closed_loop;  ///< the policy acts on the imagined states
  CompoundingError open_loop;    ///< the true rollout's actions replayed (empty if not asked)
};

/// The error vs horizon of `model` under `policy` (observation in env units -> env action,
/// deterministic) from `starts`, against `env`'s true dynamics (cloned once; `env` is not
/// changed). Every start's state must fit env.set_state().
ClosedLoopError closed_loop_error(const ModelStep& model, const Env& env,
                                  const std::vector<RealStart>& starts,
                                  const std::function<Vec(const Vec&)>& policy,
                                  const ClosedLoopErrorOptions& options = {});

/// The figure "model_error_vs_k": the closed-loop and (if measured, else empty) open-loop errors
/// of h = 1..K (ClosedLoopError's .error vectors) against k (series "closed loop", "open loop"),
/// a vertical series "k = <k>" at the rollout length in use spanning the curves' range, log y
/// when the errors span 10x or more (they compound). No series while both are empty.
Figure model_error_vs_k_figure(const std::vector<double>& closed_loop,
                               const std::vector<double>& open_loop, int k);

}  // namespace dynalab
