#include "core/agents/tree_search/graph_search.h"

#include <algorithm>
#include <stdexcept>

namespace dynalab {

SearchOrder search_order_from_name(const std::string& name) {
  if (name == "breadth_first") return SearchOrder::breadth_first;
  if (name == "uniform_cost") return SearchOrder::uniform_cost;
  if (name == "depth_first") return SearchOrder::depth_first;
  throw std::invalid_argument("unknown search order '" + name + "'");
}

namespace {
std::vector<double> key_of(const Vec& obs) { return {obs.data(), obs.data() + obs.size()}; }
}  // namespace

GraphSearch::GraphSearch(const Env& real, const Vec& obs, SearchOrder order, double step_cost, int max_nodes)
    : sim_(real.clone()), order_(order), step_cost_(step_cost), max_nodes_(std::max(1, max_nodes)),
      n_actions_(real.action_space().n) {
  SearchNode root;
  root.state = real.get_state();
  root.obs = obs;
  nodes_.push_back(std::move(root));
  is_expanded_.push_back(false);
  by_obs_[key_of(obs)] = 0;
  push(0);
}

void GraphSearch::push(int node) {
  const int64_t k = inserted_++;
  double priority = 0;
  switch (order_) {
    case SearchOrder::breadth_first: priority = double(k); break;         // first in, first out
    case SearchOrder::depth_first: priority = -double(k); break;          // last in, first out
    case SearchOrder::uniform_cost: priority = nodes_[size_t(node)].cost; break;  // ties: first in
  }
  frontier_.insert({priority, k});
  frontier_node_[k] = node;
}

int GraphSearch::add_child(int parent, int action, const StepResult& r) {
  SearchNode n;
  n.state = sim_->get_state();
  n.obs = r.obs;
  n.parent = parent;
  n.action = action;
  n.depth = nodes_[size_t(parent)].depth + 1;
  n.cost = nodes_[size_t(parent)].cost + std::max(0.0, step_cost_ - r.reward);
  n.reward = r.reward;
  n.terminal = r.terminated || r.truncated;
  nodes_.push_back(std::move(n));
  is_expanded_.push_back(false);
  return int(nodes_.size()) - 1;
}

bool GraphSearch::expand(int n) {
  for (int i = 0; i < n && !done(); ++i) {
    const auto top = frontier_.begin();
    const int node = frontier_node_.at(top->second);
    frontier_node_.erase(top->second);
    frontier_.erase(top);
    if (is_expanded_[size_t(node)]) continue;  // a stale entry (uniform cost found it cheaper)
    const SearchNode& at = nodes_[size_t(node)];
    if (order_ == SearchOrder::uniform_cost && at.goal) {
      goal_ = node;  // uniform cost: the goal test when the goal leaves the frontier (optimal)
      break;
    }
    if (!expanded_.empty() && at.parent != expanded_.back()) ++backtracks_;
    is_expanded_[size_t(node)] = true;
    expanded_.push_back(node);
    nodes_[size_t(node)].visits = 1;
    for (int a = 0; a < n_actions_; ++a) {
      sim_->set_state(nodes_[size_t(node)].state);  // the undo: back to the node before each try
      const StepResult r = sim_->step(Vec::Constant(1, double(a)));
      ++imagined_steps_;
      const auto key = key_of(r.obs);
      const auto seen = by_obs_.find(key);
      if (seen != by_obs_.end()) {
        // Uniform cost: a cheaper way to a state still on the frontier replaces the old one.
        SearchNode& old = nodes_[size_t(seen->second)];
        const double cost = nodes_[size_t(node)].cost + std::max(0.0, step_cost_ - r.reward);
        if (order_ == SearchOrder::uniform_cost && !is_expanded_[size_t(seen->second)] && cost < old.cost) {
          old.parent = node, old.action = a, old.cost = cost, old.depth = nodes_[size_t(node)].depth + 1;
          old.state = sim_->get_state();
          push(seen->second);
        }
        continue;
      }
      if (int(nodes_.size()) >= max_nodes_) {
        budget_spent_ = true;
        break;
      }
      const int child = add_child(node, a, r);
      by_obs_[key] = child;
      SearchNode& c = nodes_[size_t(child)];
      c.goal = r.terminated && !sim_->failure(r.obs);
      if (c.goal && order_ != SearchOrder::uniform_cost) {
        goal_ = child;  // breadth- and depth-first: the goal test when the goal is generated
        break;
      }
      if (!c.terminal || c.goal) push(child);  // a dead end (failure, time limit) is not expanded
    }
  }
  return done();
}

std::vector<int> GraphSearch::path() const {
  std::vector<int> p;
  for (int n = goal_; n >= 0; n = nodes_[size_t(n)].parent) p.push_back(n);
  std::reverse(p.begin(), p.end());
  return p;
}

std::vector<int> GraphSearch::plan() const {
  std::vector<int> actions;
  for (int n : path())
    if (nodes_[size_t(n)].parent >= 0) actions.push_back(nodes_[size_t(n)].action);
  return actions;
}

std::vector<int> GraphSearch::frontier() const {
  std::vector<int> f;
  for (const auto& [k, node] : frontier_node_)
    if (!is_expanded_[size_t(node)] && std::find(f.begin(), f.end(), node) == f.end()) f.push_back(node);
  return f;
}

}  // namespace dynalab
