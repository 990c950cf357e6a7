#pragma once
// The "backprop" family: version 2.0 of deck 001 ("Backpropagate directly into the policy?"):
// fit a model f, backpropagate through f into the policy pi_theta, run pi_theta, append the
// data, repeat. The model is model.type's (make_learned_model): by default the probabilistic
// ensemble of PETS, used through its mean (the elites' average, or one member: model_member); a
// BNN likewise through its weight draws (their average, or one); a GP through its predictive
// mean with the analytic Jacobians of gp_particle_dynamics.h (learned_dynamics.h); the policy is a
// deterministic tanh MLP (core/gradients/squashed_policy.h); the gradient is the pathwise one
// (core/gradients/pathwise_gradient.h) of the return of `horizon`-step imagined rollouts from
// `start_batch` states drawn from the real data, with the env's closed-form reward.
//
// The loop: random actions for random_steps env steps (warm-up), then per iteration:
//   think: refit the ensemble (one epoch per tick, warm start), then policy_updates Adam steps
//          of gradient ascent on the imagined return (one per tick), then (every analysis_every
//          iterations) the gradient analysis, one horizon per tick;
//   act:   one real episode of pi_theta with Gaussian exploration noise (exploration_noise x
//          half the action range), its transitions appended to the data.
// The analysis (core/analysis/gradient_vs_horizon.h) runs on the learned model with the
// current policy from analysis_batches batches of analysis_starts real states each, drawn through
// an Rng stream of its own (stream 6), so it changes no learning number. With
// analysis_action_noise > 0 it also compares the variances of the pathwise and likelihood-ratio
// gradients of the noisy policy (version 2.5's question), and it gives the model's own rate at
// the env's unstable equilibrium (equilibrium_growth_rate) beside the physics'.
//
// What the lesson shows (deck 001, "What's the problem with backprop into policy?"): at short
// H the gradient is informative and the pole is balanced from nearby starts; at long H the
// Jacobian products explode near the upright equilibrium (Env::unstable_equilibrium gives the
// physics' rate) and the gradient's direction becomes random (Parmas et al., PIPPS, ICML 2018).
// Clipping (clip_norm) hides the magnitude, not the direction.
//
// Outputs: learning_curve.csv (policy_evaluation.h), gradient_vs_horizon.csv
// (run,iteration,horizon,log10_gradient_norm,cosine,log10_state_jacobian,objective,
// log10_pathwise_variance,log10_likelihood_ratio_variance,model_equilibrium_rate; the variances
// NaN without analysis noise, the rate NaN for an env without an unstable equilibrium), and per
// episode metric columns objective (the imagined return of the last update), log10_gradient_norm,
// clipped (share of the iteration's updates that were clipped), model_fits,
// model_equilibrium_rate (the model's rate at the env's unstable equilibrium after the latest
// iteration, per step; NaN before the first or for an env without one).

#include <limits>
#include <memory>

#include "core/agent.h"
#include "core/agents/policy_learning/policy_evaluation.h"
#include "core/agents/registry.h"
#include "core/analysis/gradient_vs_horizon.h"
#include "core/dataset.h"
#include "core/gradients/squashed_policy.h"
#include "core/models/adam.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"

namespace dynalab {

struct BackpropAgentConfig {
  ModelConfig model = [] {
    ModelConfig m;
    m.hidden = {200, 200};
    m.ensemble_size = 5;
    m.elite_members = 3;
    return m;
  }();
  int random_steps = 400;        ///< env steps of uniform random actions before the first fit
  int horizon = 10;              ///< H, imagined steps per rollout
  int policy_updates = 40;       ///< gradient steps through the model per iteration
  int start_batch = 32;          ///< real start states per gradient step
  /// where the imagined rollouts (and the analysis's) start: "episode_starts", the first state
  /// of every real episode so far (the env's start distribution, as seen), or "replay", any
  /// real state
  std::string start_states = "episode_starts";
  double learning_rate = 3e-3;   ///< Adam's step size on theta
  double gamma = 1.0;            ///< discount of the imagined return
  double clip_norm = 0;          ///< rescale the gradient to at most this norm (0: off)
  int truncation = 0;            ///< detach the state every T steps (0: full backprop)
  int model_member = -1;         ///< one ensemble member, or -1: the elites' mean
  std::vector<int> policy_hidden = {32, 32};
  double exploration_noise = 0.1;  ///< std of the real episodes' action noise / half range
  int analysis_every = 1;          ///< iterations between gradient analyses (0: never)
  int analysis_starts = 16;        ///< real states per batch of the analysis
  int analysis_batches = 4;        ///< disjoint batches (the cosine is their pairs' mean)
  std::vector<int> analysis_horizons = {5, 10, 20, 40, 80, 160};
  /// std of the analysis's exploration noise / half range: with it the analysis also compares
  /// the variances of the pathwise and the likelihood-ratio gradients (0: off)
  double analysis_action_noise = 0.2;
  EvaluationConfig evaluation;

  template <class V>
  void visit(V& v) {
    v.section("model", model);
    v.field("random_steps", random_steps, Range::closed(2, 1e7), Apply::on_reset,
            "env steps of random actions before the first fit");
    v.field("horizon", horizon, Range::closed(1, 1000), Apply::live, "imagined steps per rollout (H)");
    v.field("policy_updates", policy_updates, Range::closed(0, 100000), Apply::live,
            "gradient steps through the model per iteration");
    v.field("start_batch", start_batch, Range::closed(1, 4096), Apply::live,
            "real start states per gradient step");
    v.choice("start_states", start_states, {"episode_starts", "replay"}, Apply::live,
             "rollouts start from real episodes' first states or from any real state");
    v.field("learning_rate", learning_rate, Range::closed(0, 1), Apply::live, "Adam step size");
    v.field("gamma", gamma, Range::closed(0, 1), Apply::live, "discount of the imagined return");
    v.field("clip_norm", clip_norm, Range::closed(0, 1e12), Apply::live,
            "gradient norm clip (0: off)");
    v.field("truncation", truncation, Range::closed(0, 1000), Apply::live,
            "detach the state every T steps (0: full backprop)");
    v.field("model_member", model_member, Range::closed(-1, 1000), Apply::live,
            "model member to backprop through (-1: the rollout members' mean)");
    v.field("policy_hidden", policy_hidden, Range::closed(1, 4096), Apply::on_reset,
            "policy MLP hidden widths");
    v.field("exploration_noise", exploration_noise, Range::closed(0, 10), Apply::live,
            "real action noise std / half range");
    v.field("analysis_every", analysis_every, Range::closed(0, 100000), Apply::live,
            "iterations between gradient analyses (0: never)");
    v.field("analysis_starts", analysis_starts, Range::closed(1, 1024), Apply::live,
            "real states per batch of the gradient analysis");
    v.field("analysis_batches", analysis_batches, Range::closed(2, 64), Apply::live,
            "batches of the gradient analysis (the cosine is the mean over their pairs)");
    v.field("analysis_horizons", analysis_horizons, Range::closed(1, 10000), Apply::live,
            "horizons of the gradient analysis");
    v.field("analysis_action_noise", analysis_action_noise, Range::closed(0, 10), Apply::live,
            "analysis's action noise std / half range: pathwise vs likelihood-ratio variance (0: off)");
    evaluation.visit(v);
    if constexpr (requires { v.fail(std::string(), std::string()); }) {
      if (model_member >= model.members())
        v.fail("model_member", "at most " + std::to_string(model.members() - 1) +
                                   " (a model.type = " + model.type + " model of " +
                                   std::to_string(model.members()) + " member" +
                                   (model.members() == 1 ? "" : "s") + "), got " +
                                   std::to_string(model_member));
    }
  }
};

/// One row of gradient_vs_horizon.csv.
struct GradientAnalysisRow {
  int run = 0, iteration = 0;
  GradientVsHorizonRow row;
  /// The learned model's rate at the env's unstable equilibrium when the row was computed
  /// (equilibrium_growth_rate, per step; NaN if the env has none).
  double equilibrium_rate = 0;
};

/// What the runs of a backprop experiment share: the learning curve and the analysis rows.
struct BackpropRuns {
  std::vector<LearningCurveRow> curve;
  std::vector<GradientAnalysisRow> analysis;
};

class BackpropAgent : public Agent {
 public:
  /// Throws InputError if the env has no closed-form reward or cannot be differentiated.
  BackpropAgent(const BackpropAgentConfig& cfg, const Env& env, const RunSeed& seed,
                std::shared_ptr<BackpropRuns> runs);
  bool thinking() const override;
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  Vec act(const Vec& obs) override;
  bool warming_up() const override { return int64_t(dataset_.size()) < cfg_.random_steps; }
  void begin_episode(int episode, const Vec& obs) override;
  void observe(const Transition& t, bool truncated) override;
  void end_episode(const Trajectory& episode) override;
  std::vector<std::string> metric_columns() const override;
  std::vector<double> episode_metrics() const override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void write_outputs(const std::filesystem::path& dir) const override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  const SquashedPolicy& policy() const { return policy_; }
  /// The learned model (model.type's kind) and its completed fits.
  const LearnedModel& model() const { return *model_; }
  int model_fits() const { return fits_; }
  /// The latest complete gradient analysis (empty rows before the first).
  const GradientVsHorizon& analysis() const { return analysis_; }

 private:
  void begin_fit();
  void finish_iteration();
  void policy_update();
  void analysis_step();
  double model_equilibrium_rate() const;
  std::vector<Vec> sample_starts(int n, Rng& rng) const;

  BackpropAgentConfig cfg_;
  int run_;
  Dataset dataset_;
  std::vector<Vec> episode_starts_;  // the first observation of every real episode
  std::unique_ptr<Env> reward_env_;  // the env's closed forms (the real env keeps stepping)
  std::shared_ptr<LearnedModel> model_;
  SquashedPolicy policy_;
  AdamT<double> adam_;
  Rng rng_, noise_rng_, analysis_rng_;
  PolicyEvaluation eval_;
  std::shared_ptr<BackpropRuns> runs_;
  std::optional<UnstableEquilibrium> equilibrium_;

  bool training_ = false;
  int updates_left_ = 0, iteration_ = 0, fits_ = 0;
  int64_t env_steps_ = 0;
  // The last update's numbers and rollout (for the metrics and the view).
  double objective_ = 0, log10_gradient_norm_ = 0;
  // The learned model's rate at the env's unstable equilibrium after the last fit (NaN without one).
  double model_rate_ = std::numeric_limits<double>::quiet_NaN();
  int clipped_updates_ = 0, iteration_updates_ = 0;
  std::vector<Vec> shown_states_;          // the last update's first imagined rollout
  std::vector<double> shown_sensitivity_;  // |dJ_t / da_t| along it
  // The analysis in progress: its batches, the next horizon's index, the rows so far.
  std::vector<std::vector<Vec>> batches_;
  size_t analysis_next_ = 0;
  bool analysing_ = false;
  GradientVsHorizon analysis_, partial_;
};

/// The "backprop" family for core/agents/registry.cpp.
AgentFamily backprop_family();

}  // namespace dynalab
