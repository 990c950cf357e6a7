#pragma once
// UCT, Monte-Carlo tree search with upper confidence bounds (Kocsis & Szepesvari, "Bandit Based
// Monte-Carlo Planning", ECML 2006), in imagination through a simulator with undo: every
// simulation restores the root's saved state into a private copy of the env, walks down the
// tree choosing argmax_a Q(s, a) + c sqrt(ln N(s) / N(s, a)), adds one node, finishes with a
// random rollout to the horizon, and backs the discounted return up the path. The real env is
// never stepped. For a box action space the actions are a few fixed values (the pendulum's
// torques -2, 0, 2: REFERENCES.md section 10, "a few discretised torques").
//
// Q is scaled to [0, 1] by the lowest and highest backed-up return seen so far before the bonus
// is added, so c = sqrt(2) means what it means for rewards in [0, 1] whatever the env's reward
// scale (the pendulum's is about -16 .. 0 per step); the same normalisation as MuZero's
// (Schrittwieser et al. 2020, appendix B).

#include <memory>
#include <vector>

#include "core/agents/tree_search/search_tree.h"
#include "core/env.h"
#include "core/rng.h"

namespace dynalab {

struct UctSettings {
  double exploration = 1.4142135623730951;  ///< c of the UCB bonus (sqrt 2, Kocsis & Szepesvari)
  int horizon = 30;                         ///< imagined steps per simulation: tree walk + rollout
  double gamma = 0.99;                      ///< discount of the backed-up returns
  int max_nodes = 100000;                   ///< no node is added beyond this (the walk still rolls out)
};

class UctSearch {
 public:
  /// A search from `real`'s current state (observation `obs`), copied and never touched again.
  /// `actions`: the actions a node can take (at least one, each valid for the env).
  UctSearch(const Env& real, const Vec& obs, std::vector<Vec> actions, UctSettings settings);
  /// Runs `n` simulations, drawing the untried-action order and the rollouts from `rng`.
  void simulate(int n, Rng& rng);
  /// The root's most visited action (ties: the higher Q, then the lower index); 0 before any
  /// simulation.
  int best_action() const;
  /// The most visited path from the root (node indices, root first): the principal variation.
  std::vector<int> principal_path() const;
  int simulations() const { return simulations_; }
  /// The observations each simulation went through, root first (tree walk, then rollout), and
  /// its discounted return: the what-if futures, drawn as a fan. The first kMaxKeptPaths only.
  const std::vector<std::vector<Vec>>& simulation_paths() const { return paths_; }
  const std::vector<double>& simulation_returns() const { return path_returns_; }
  static constexpr int kMaxKeptPaths = 300;
  int64_t imagined_steps() const { return imagined_steps_; }
  const std::vector<SearchNode>& nodes() const { return nodes_; }
  /// Mean backed-up return of action `a` at node `node` (NaN if never tried).
  double q(int node, int a) const;
  int64_t action_visits(int node, int a) const { return stats_[size_t(node)][size_t(a)].visits; }
  int child(int node, int a) const { return stats_[size_t(node)][size_t(a)].child; }

 private:
  struct Edge {
    int child = -1;
    int64_t visits = 0;
    double total_return = 0;
  };
  int select(int node) const;

  std::unique_ptr<Env> sim_;
  std::vector<Vec> actions_;
  UctSettings s_;
  std::vector<SearchNode> nodes_;
  std::vector<std::vector<Edge>> stats_;  // per node, per action
  double lo_ = 0, hi_ = 0;                // lowest and highest backed-up return so far
  bool have_range_ = false;
  int simulations_ = 0;
  int64_t imagined_steps_ = 0;
  std::vector<std::vector<Vec>> paths_;
  std::vector<double> path_returns_;
};

}  // namespace dynalab
