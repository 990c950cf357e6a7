#pragma once
// The successor family on the agent seam (family "successor"): the tabular successor
// representation agent (SuccessorLearner, successor_learner.h) on a grid world, and the two
// agents it races after the world changes, Q-learning and Dyna-Q (the tabular family's
// TabularAgent, run here so that all three are measured the same way).
//
// The revaluation race (deck 001; Dayan 1993): when the goal moves, the SR agent only has to
// learn the new reward vector r, so its values V = M r re-form everywhere as soon as it has
// entered the new goal once; Q-learning must propagate the new reward back one step per visit
// and Dyna-Q through its planning updates. When a *wall* moves instead, M itself is wrong and is
// relearned transition by transition, like Q.
//
// The agent keeps the real env's true transitions (probed from a copy in before_step whenever its
// layout changes: the maze's "after N:" change or the lecturer's edit) for what the lecturer
// sees and what lessons measure, never for acting: the exact M of the view, the shortest path and
// the length of the agent's greedy path.
//
// metrics.csv columns: steps, env_steps, return, terminated (the experiment's), then per episode
//   greedy_steps    steps of the greedy path from the start in the true world at the episode's
//                   end (the number of cells if it never reaches the goal)
//   shortest_steps  the shortest path's steps in the true world then
//   sr_error        SR agents: the total variation distance between the learned and the exact
//                   row, 0.5 sum_j |M(s, j) - M_exact(s, j)| (rows are distributions over future
//                   cells), averaged over the cells visited so far
// Figures, shown once the world has changed (walls or goal, the latest change):
//   revaluation        "Greedy path after each goal visit since the world changed": x = visits to
//                      the goal since the change (the first 30), y = greedy_steps - shortest_steps
//                      just after that visit (0: optimal). Lesson claims read "first revaluation" (after the first
//                      visit) and "max revaluation".
//   revaluation_race   "Greedy path since the world changed": x = real steps since the change
//                      (every 50 steps, from 0), y = greedy_steps - shortest_steps then: the race
//                      itself ("last revaluation_race": still off the shortest path at the end).
// Views: a QTableView of the (derived) Q, so the heat map and policy arrows work; for SR agents a
// SuccessorView (M learned and exact, core/views.h) whose row is the agent's cell, or the start's
// while the agent stands in the goal (the episode is over; the goal's own row is e_g).

#include <optional>

#include "core/agent.h"
#include "core/agents/registry.h"
#include "core/agents/successor/closed_form_sr.h"
#include "core/agents/successor/successor_learner.h"
#include "core/agents/tabular/tabular_agent.h"
#include "core/snapshot.h"

namespace dynalab {

/// The "agent" section of a successor experiment.
struct SuccessorAgentConfig {
  std::string algorithm = "sr";  ///< sr | q_learning | dyna_q
  SrConfig sr;                   ///< its fields sit directly in the section
  int planning_steps = 5;        ///< dyna_q: n planning updates per real step

  static const std::vector<std::string>& algorithms();
  TabularConfig tabular() const;
  template <class V>
  void visit(V& v) {
    v.choice("algorithm", algorithm, algorithms(), Apply::on_reset,
             "sr (successor representation), or the q_learning / dyna_q it races");
    v.choice("sr_policy", sr.sr_policy, SrConfig::policies(), Apply::on_reset,
             "whose SR M is: uniform (the random policy's, learned off-policy) or own (the agent's "
             "epsilon-greedy policy, on-policy: deck 001's idea 1)");
    v.field("alpha", sr.alpha, Range::unit(), Apply::live, "step size (of M for sr, of Q otherwise)");
    v.field("reward_alpha", sr.reward_alpha, Range::unit(), Apply::live,
            "sr: step size of the reward regression r(s') <- r(s') + a (R - r(s'))");
    v.field("epsilon", sr.epsilon, Range::probability(), Apply::live, "exploration rate");
    v.field("gamma", sr.gamma, Range::closed(0, 0.999), Apply::live, "discount");
    v.field("planning_steps", planning_steps, Range::closed(0, 10000), Apply::live,
            "dyna_q: planning updates per real step");
  }
};

struct SuccessorSettingsConfig {
  SuccessorAgentConfig agent;
  template <class V>
  void visit(V& v) {
    v.section("agent", agent);
  }
};

class SuccessorAgent : public Agent {
 public:
  SuccessorAgent(const SuccessorSettingsConfig& cfg, const Env& env, const RunSeed& seed);

  void before_step(const Env& real, const Vec& obs) override;
  Vec act(const Vec& obs) override;
  void observe(const Transition& t, bool truncated) override;
  std::vector<std::string> metric_columns() const override;
  std::vector<double> episode_metrics() const override;
  EpisodeCurve episode_curve() const override { return EpisodeCurve::steps_per_episode; }
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  /// The action values the agent acts on (derived from M for sr), n_states * n_actions.
  const std::vector<double>& q() const;
  /// The SR learner (null for the baselines).
  const SuccessorLearner* sr() const { return sr_ ? &*sr_ : nullptr; }
  /// greedy_steps - shortest_steps after each goal visit since the latest change.
  const std::vector<double>& revaluation() const { return regret_; }
  /// greedy_steps - shortest_steps every 50 real steps since the latest change (from 0).
  const std::vector<double>& revaluation_race() const { return race_y_; }
  /// The mean over visited cells of the total variation distance between the learned row of M
  /// and the exact one (NaN for the baselines or before the first step).
  double sr_error() const;

 private:
  /// The closed-form M of the policy the SR is learned for, in the world as probed now (empty
  /// for the baselines, before the first probe, or past kMaxExactStates). Cached: the uniform
  /// policy's changes only with the world or gamma, the own policy's with every TD update.
  const Eigen::MatrixXd& exact_sr() const;
  void set_truth(const Env& real);

  SuccessorAgentConfig cfg_;
  std::optional<SuccessorLearner> sr_;
  std::optional<TabularAgent> tab_;
  std::optional<GridTransitions> truth_;  // the real world's transitions now
  int shortest_ = -1;
  int64_t changes_ = 0;            // changes of the world's layout seen so far
  std::vector<double> regret_;     // since the latest change
  int64_t since_change_ = 0;       // real steps since the latest change
  std::vector<double> race_x_, race_y_;  // revaluation_race's points
  std::vector<int> visited_;       // 0/1 per state
  int64_t truth_version_ = 0;      // probes of the world so far (the exact M's cache key)
  mutable Eigen::MatrixXd exact_;  // exact_sr()'s cache and its key
  mutable int64_t exact_truth_ = -1, exact_updates_ = -1;
  mutable double exact_gamma_ = -1;
};

/// The "successor" family for core/agents/registry.cpp.
AgentFamily successor_family();

}  // namespace dynalab
