#pragma once
// Successor features and GPI on the agent seam (family "gpi"; Barreto et al., "Successor Features
// for Transfer in Reinforcement Learning", NIPS 2017; deck 001, "Using successor features").
// Env: a grid world with objects (envs/grid_world.h: entering object k pays object_rewards[k]
// and ends the episode); features phi = which object was entered.
//
// At construction the agent probes the env's transitions (core/grid_transitions.h, never stepping the
// real env) into a FeatureMdp and plans the K base policies pi_k, each optimal for "collect
// object k" (w = e_k): the policies are given, as in the paper's transfer setting, and what is
// learned is their successor features psi^{pi_k} and the reward weights w.
// Episodes, in order:
//   exploring  (until explore_steps env steps; the episode in progress finishes): follows
//              pi_{episode mod K} with explore_epsilon random actions, but tries an action it
//              has not tried in the state first; every transition updates
//              every psi_k by TD(0) (off-policy), and at each exploring episode's end the distinct
//              transitions seen so far are replayed replay_sweeps times (TD again, shuffled).
//              The behaviour never looks at rewards, so the SFs learned are the same for any task.
//   sampling   (a weight w_k no reward sample has informed): follows pi_k to object k, one reward
//              sample (deck 001: "get some reward samples").
//   acting     GPI, pi'(s) = argmax_a max_k psi_k(s, a)^T w, or idea 1 (improvement = idea1): one
//              policy-improvement step on the single pi_k that is best on average over states.
// Rewards: every transition adds (phi(s'), r) to the least-squares regression of w. A reward that
// contradicts the fit at a feature already seen (|r - phi^T w| > 1e-6: the env's rewards
// changed, a new task) restarts the regression; the SFs are not touched (they are frozen after
// exploring), so the new task costs at most K sampling episodes.
//
// metrics.csv columns after the experiment's: discounted_return (sum_t gamma^t r_t+1),
// optimal_return (V*(s_0) under the env's true rewards of the episode's start, by value iteration
// on the probed model: for the metric only, the agent never acts on it), regret (their
// difference), phase (0 exploring, 1 sampling, 2 acting), sf_updates (TD updates of psi in the
// episode), sf_error (max |psi_TD - psi_exact| over the live pairs and k, at the episode's end),
// w_error (max |w - w_true| at the episode's end), task_changes (regression restarts so far).
// Figures: discounted_return, regret (optimal -
// discounted return per episode), sf_error (log scale).

#include "core/agent.h"
#include "core/agents/registry.h"
#include "core/agents/successor_features/successor_features.h"
#include "core/snapshot.h"

namespace dynalab {

struct GpiConfig {
  double gamma = 0.9;            ///< discount of the SFs and of the GPI values
  double alpha = 0.5;            ///< TD step size of the SFs
  int explore_steps = 2000;      ///< env steps that learn the SFs before acting
  double explore_epsilon = 1;    ///< random-action rate while exploring
  int replay_sweeps = 20;        ///< TD sweeps over the distinct transitions seen, per exploring episode
  std::string improvement = "gpi";  ///< gpi | idea1
  std::string sf = "td";            ///< the SFs acted on: td (learned) | exact (linear solve)

  static const std::vector<std::string>& improvements();
  static const std::vector<std::string>& sf_sources();
  template <class V>
  void visit(V& v) {
    v.field("gamma", gamma, Range::closed(0, 0.999), Apply::on_reset, "discount of the successor features");
    v.field("alpha", alpha, Range::unit(), Apply::live, "TD step size of the successor features");
    v.field("explore_steps", explore_steps, Range::closed(0, 1e7), Apply::on_reset,
            "env steps that learn the SFs (following pi_k with random actions) before acting");
    v.field("replay_sweeps", replay_sweeps, Range::closed(0, 1000), Apply::live,
            "TD sweeps over the distinct transitions seen so far, after each exploring episode");
    v.field("explore_epsilon", explore_epsilon, Range::probability(), Apply::live,
            "random-action rate while exploring");
    v.choice("improvement", improvement, improvements(), Apply::live,
             "gpi: argmax_a max_k psi_k(s,a)^T w per state; idea1: one policy-iteration step on the single best pi_k");
    v.choice("sf", sf, sf_sources(), Apply::live,
             "the successor features acted on: td (learned from experience) or exact (linear solve on the probed model)");
  }
};

/// The family's fields: the "agent" section of the experiment file.
struct GpiSettingsConfig {
  GpiConfig agent;
  template <class V>
  void visit(V& v) {
    v.section("agent", agent);
  }
};

class GpiAgent : public Agent {
 public:
  GpiAgent(const GpiSettingsConfig& cfg, const Env& env, const RunSeed& seed);

  Vec act(const Vec& obs) override;
  void before_step(const Env& real, const Vec& obs) override;
  void observe(const Transition& t, bool truncated) override;
  void begin_episode(int episode, const Vec& obs) override;
  void end_episode(const Trajectory& episode) override;
  std::vector<std::string> metric_columns() const override {
    return {"steps",  "env_steps", "return",     "terminated", "discounted_return", "optimal_return",
            "regret", "phase",     "sf_updates", "sf_error",   "w_error", "task_changes"};
  }
  std::vector<double> episode_metrics() const override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  const FeatureMdp& mdp() const { return mdp_; }
  const std::vector<SfTable>& exact_sf() const { return exact_; }
  const SfTdLearner& td() const { return td_; }
  const RewardRegression& regression() const { return regression_; }
  /// The SFs acted on (config sf).
  const std::vector<SfTable>& acting_sf() const { return cfg_.sf == "exact" ? exact_ : td_.psi(); }
  /// The policy the agent acts with once acting (GPI or idea 1 on acting_sf() and the current w).
  ComposedPolicy composed() const;
  /// max |psi_TD - psi_exact| over the live pairs and k.
  double sf_error() const;

 private:
  enum Phase { exploring = 0, sampling = 1, acting = 2 };
  Phase phase_for() const;

  GpiConfig cfg_;
  FeatureMdp mdp_;
  std::vector<Policy> base_;    // pi_k
  std::vector<SfTable> exact_;  // psi^{pi_k} by linear solve
  SfTdLearner td_;
  RewardRegression regression_;
  Rng rng_;
  // The episode in progress.
  Phase phase_ = exploring;
  int episode_ = 0, sample_k_ = -1, t_ = 0;
  double discounted_ = 0, optimal_ = 0, w_error_ = 0;
  bool start_seen_ = false;
  int64_t sf_updates_at_start_ = 0;
  Eigen::VectorXd true_w_;
  int64_t contradictions_ = 0;  // regression restarts (task changes seen)
  int64_t steps_ = 0;           // real steps of the run
  struct Seen {
    int s, a, s2;
    bool terminal;
  };
  std::vector<Seen> seen_;         // the distinct transitions seen while exploring (replayed)
  std::vector<char> pair_seen_;    // per (s, a): in seen_
  // Per finished episode, for the figures.
  std::vector<double> regret_, sf_error_at_end_, discounted_at_end_;
};

/// The "gpi" family for core/agents/registry.cpp.
AgentFamily gpi_family();

}  // namespace dynalab
