#pragma once
// The tree-search family on the agent seam (family "tree_search"): planning by reversible
// search in imagination (deck 004, "Reversible Planning vs. Irreversible Learning": tree vs
// path, undo yes vs no). Before acting, the agent grows a search tree through a copy of the real
// env whose state it saves and restores (Env::clone, get_state, set_state): think() ticks, each
// a few expansions or simulations, none of them a real step. Then it acts.
//   breadth_first, uniform_cost, depth_first  (graph_search.h) once per episode on a
//       deterministic env with discrete observations and actions (the grid worlds): the whole
//       path to the goal is found in imagination, then executed; a real step that lands off
//       the plan (the lecturer moved a wall) sends the agent back to search from where it is.
//   uct  (uct_search.h) before every real step on a deterministic env (the pendulum with a
//       few torques): `simulations` simulations, then the root's most visited action.
// Q-learning, on the same maze, learns the path by walking it: its real steps are the price of
// an irreversible world (the lesson puts the two side by side).
//
// metrics.csv columns: steps, env_steps, return, terminated, then per episode
//   imagined_steps  imagined env steps of the episode's searches
//   searches        searches started (graph search: 1 + replans; uct: one per real step)
//   backtracks      expansions that jumped elsewhere in the tree (graph search; 0 for uct)
// Figure: imagined_vs_real, cumulative imagined and real env steps at each episode's end.

#include <memory>
#include <optional>

#include "core/agent.h"
#include "core/agents/registry.h"
#include "core/agents/tree_search/graph_search.h"
#include "core/agents/tree_search/uct_search.h"

namespace dynalab {

struct TreeSearchConfig {
  std::string algorithm = "breadth_first";  ///< breadth_first, uniform_cost, depth_first, uct
  int expansions_per_tick = 1;   ///< graph search: node expansions per tick (how fast the tree grows on screen)
  double step_cost = 1;          ///< uniform cost: cost per step before the reward is subtracted
  int max_nodes = 100000;        ///< the tree's node budget
  int simulations = 200;         ///< uct: simulations before each real step
  int simulations_per_tick = 20; ///< uct: simulations per tick
  double exploration = 1.4142135623730951;  ///< uct: c of the UCB bonus (Kocsis & Szepesvari: sqrt 2)
  int horizon = 30;              ///< uct: imagined steps per simulation
  double gamma = 0.99;           ///< uct: discount of the backed-up returns
  int torques = 3;               ///< uct on a box action: this many actions evenly spaced from low to high

  static const std::vector<std::string>& algorithms();
  bool graph() const { return algorithm != "uct"; }
  template <class V>
  void visit(V& v) {
    v.choice("algorithm", algorithm, algorithms(), Apply::on_reset,
             "breadth_first / uniform_cost / depth_first: one graph search per episode; uct: Monte-Carlo tree search before every step");
    v.field("expansions_per_tick", expansions_per_tick, Range::closed(1, 1e6), Apply::live,
            "graph search: node expansions per tick");
    v.field("step_cost", step_cost, Range::closed(0, 1e6), Apply::on_reset,
            "uniform cost: cost of a step before its reward is subtracted (edge cost max(0, step_cost - reward))");
    v.field("max_nodes", max_nodes, Range::closed(1, 1e7), Apply::live, "the search tree's node budget");
    v.field("simulations", simulations, Range::closed(1, 1e6), Apply::live, "uct: simulations before each real step");
    v.field("simulations_per_tick", simulations_per_tick, Range::closed(1, 1e6), Apply::live, "uct: simulations per tick");
    v.field("exploration", exploration, Range::closed(0, 100), Apply::live, "uct: c of the UCB bonus");
    v.field("horizon", horizon, Range::closed(1, 10000), Apply::live, "uct: imagined steps per simulation");
    v.field("gamma", gamma, Range::probability(), Apply::live, "uct: discount");
    v.field("torques", torques, Range::closed(2, 101), Apply::on_reset,
            "uct on a box action space: number of evenly spaced actions from its low to its high bound");
  }
};

struct TreeSearchSettingsConfig {
  TreeSearchConfig agent;
  template <class V>
  void visit(V& v) {
    v.section("agent", agent);
  }
};

class TreeSearchAgent : public Agent {
 public:
  /// Throws InputError naming agent.algorithm if the env cannot be searched that way.
  TreeSearchAgent(const TreeSearchSettingsConfig& cfg, const Env& env, const RunSeed& seed);

  bool thinking() const override;
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  Vec act(const Vec& obs) override;
  void observe(const Transition& t, bool truncated) override;
  void begin_episode(int episode, const Vec& obs) override;
  void end_episode(const Trajectory& episode) override;
  std::vector<std::string> metric_columns() const override {
    return {"steps", "env_steps", "return", "terminated", "imagined_steps", "searches", "backtracks"};
  }
  std::vector<double> episode_metrics() const override;
  EpisodeCurve episode_curve() const override {
    return cfg_.graph() ? EpisodeCurve::steps_per_episode : EpisodeCurve::return_per_episode;
  }
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  /// The run's imagined env steps so far.
  int64_t imagined_steps() const { return imagined_run_; }

 private:
  void start_search(const Env& real, const Vec& obs);
  void grow(int n);  // n expansions (graph) or simulations (uct) of the search in progress

  TreeSearchConfig cfg_;
  Rng rng_;
  std::vector<Vec> actions_;  // uct: the discrete actions
  int n_actions_ = 0;
  // Graph search: the episode's plan.
  std::unique_ptr<GraphSearch> graph_;
  int64_t graph_expansions_ = 0;  // expansions requested of graph_ (replayed on session load)
  bool searching_ = false;  // a search is in progress (graph_ or uct_)
  bool plan_ready_ = false;
  std::vector<int> plan_;
  std::vector<Vec> plan_obs_;  // the observation each plan step should lead to
  int plan_index_ = 0;
  // UCT: the search for the next real step.
  std::unique_ptr<UctSearch> uct_;
  Rng::State rng_at_search_;  // rng_ when uct_ began (replayed on session load)
  bool uct_ready_ = false;         // uct_ has its simulations: the next tick acts
  // Counters.
  int64_t imagined_run_ = 0;  // imagined steps of every search of the run so far
  int64_t episode_imagined_start_ = 0, episode_searches_ = 0, episode_backtracks_ = 0;
  int64_t real_steps_ = 0;
  std::vector<double> imagined_at_end_, real_at_end_;
  std::string message_;
};

/// The "tree_search" family for core/agents/registry.cpp.
AgentFamily tree_search_family();

}  // namespace dynalab
