#pragma once
// Graph search in imagination through a simulator with undo (deck 004, "Reversible Planning vs.
// Irreversible Learning"): breadth-first, uniform-cost (Dijkstra) and depth-first search over an
// env with discrete actions, where every expansion restores a node's saved state
// (Env::set_state) into a private copy of the env (Env::clone) and tries each action. The real
// env is never stepped: "imagined steps N, real steps 0". Textbook algorithms (Russell & Norvig,
// "Artificial Intelligence: A Modern Approach", chapter 3: BFS with the goal test at generation,
// uniform-cost search with the goal test at expansion, graph search with an explored set).
//
// Nodes are keyed by their observation, so the env's observations must identify its states (a
// grid world's cell; envs/grid_world.h), and the env must be deterministic.
// A goal is a step that terminates the episode without a failure (Env::failure): the Dyna maze's
// goal cell. Edge cost for uniform-cost search: step_cost - reward, at least 0 (time costs,
// reward pays back; with the maze's 0/1 reward it equals BFS's path length).

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/agents/tree_search/search_tree.h"
#include "core/env.h"

namespace dynalab {

enum class SearchOrder { breadth_first, uniform_cost, depth_first };

/// "breadth_first", "uniform_cost", "depth_first".
SearchOrder search_order_from_name(const std::string& name);

class GraphSearch {
 public:
  /// Starts a search from `real`'s current state, whose observation is `obs`. `real` is copied
  /// (clone) and never touched again. `max_nodes` >= 1 bounds the tree; `step_cost` >= 0.
  GraphSearch(const Env& real, const Vec& obs, SearchOrder order, double step_cost, int max_nodes);

  /// Expands up to `n` nodes (each tries every action: one imagined env step per action).
  /// Returns done().
  bool expand(int n);
  /// The goal was found, the frontier is empty, or the node budget is spent.
  bool done() const { return found() || frontier_.empty() || budget_spent_; }
  bool found() const { return goal_ >= 0; }
  /// The actions from the root to the goal (empty if not found).
  std::vector<int> plan() const;
  /// The nodes from the root to the goal, root first (empty if not found).
  std::vector<int> path() const;
  const std::vector<SearchNode>& nodes() const { return nodes_; }
  /// Node indices in the order they were expanded.
  const std::vector<int>& expansion_order() const { return expanded_; }
  /// Nodes generated but not yet expanded.
  std::vector<int> frontier() const;
  /// Imagined env steps so far (one per action tried per expansion).
  int64_t imagined_steps() const { return imagined_steps_; }
  /// Expansions whose node is not a child of the node expanded just before: the search jumped
  /// elsewhere in the tree by restoring a saved state (the undo).
  int backtracks() const { return backtracks_; }
  bool budget_spent() const { return budget_spent_; }

 private:
  void push(int node);
  int add_child(int parent, int action, const StepResult& r);

  std::unique_ptr<Env> sim_;
  SearchOrder order_;
  double step_cost_;
  int max_nodes_;
  int n_actions_;
  std::vector<SearchNode> nodes_;
  std::map<std::vector<double>, int> by_obs_;  // observation -> node (the explored/generated set)
  std::set<std::pair<double, int64_t>> frontier_;  // (priority, insertion), smallest first
  std::map<int64_t, int> frontier_node_;           // insertion -> node
  int64_t inserted_ = 0, imagined_steps_ = 0;
  std::vector<int> expanded_;
  std::vector<bool> is_expanded_;
  int goal_ = -1, backtracks_ = 0;
  bool budget_spent_ = false;
};

}  // namespace dynalab
