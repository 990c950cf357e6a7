#include "core/agents/tree_search/uct_search.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace dynalab {

UctSearch::UctSearch(const Env& real, const Vec& obs, std::vector<Vec> actions, UctSettings settings)
    : sim_(real.clone()), actions_(std::move(actions)), s_(settings) {
  if (actions_.empty()) throw std::invalid_argument("UctSearch: no actions");
  SearchNode root;
  root.state = real.get_state();
  root.obs = obs;
  nodes_.push_back(std::move(root));
  stats_.emplace_back(actions_.size());
}

double UctSearch::q(int node, int a) const {
  const Edge& e = stats_[size_t(node)][size_t(a)];
  return e.visits ? e.total_return / double(e.visits) : std::numeric_limits<double>::quiet_NaN();
}

int UctSearch::select(int node) const {
  const auto& edges = stats_[size_t(node)];
  const double log_n = std::log(double(nodes_[size_t(node)].visits));
  const double span = hi_ > lo_ ? hi_ - lo_ : 1.0;
  int best = 0;
  double best_score = -std::numeric_limits<double>::infinity();
  for (size_t a = 0; a < edges.size(); ++a) {
    const double q01 = (edges[a].total_return / double(edges[a].visits) - lo_) / span;
    const double score = q01 + s_.exploration * std::sqrt(log_n / double(edges[a].visits));
    if (score > best_score) best_score = score, best = int(a);
  }
  return best;
}

void UctSearch::simulate(int n, Rng& rng) {
  const int n_actions = int(actions_.size());
  std::vector<std::pair<int, int>> walk;  // (node, action) pairs of the tree part
  std::vector<double> rewards;            // reward of each step of the tree part
  std::vector<int> passed;                // the nodes this simulation went through, root first
  for (int sim = 0; sim < n; ++sim) {
    walk.clear();
    rewards.clear();
    const bool keep = int(paths_.size()) < kMaxKeptPaths;
    std::vector<Vec> path;
    if (keep) path.push_back(nodes_[0].obs);
    passed.assign(1, 0);
    int node = 0;
    sim_->set_state(nodes_[0].state);  // the undo: every simulation starts from the real state
    bool ended = false;
    int depth = 0;
    // Selection and expansion: down the tree while every action has been tried, then one new node.
    while (depth < s_.horizon && !ended) {
      auto& edges = stats_[size_t(node)];
      int a = -1;
      int untried = 0;
      for (const Edge& e : edges) untried += e.visits == 0;
      if (untried > 0) {
        int pick = int(rng.below(uint64_t(untried)));  // a random untried action
        for (int k = 0; k < n_actions; ++k)
          if (edges[size_t(k)].visits == 0 && pick-- == 0) a = k;
      } else {
        a = select(node);
      }
      const int known_child = edges[size_t(a)].child;
      if (known_child >= 0) sim_->set_state(nodes_[size_t(known_child)].state);
      StepResult r;
      if (known_child >= 0) {
        const SearchNode& c = nodes_[size_t(known_child)];
        r.reward = c.reward, r.terminated = c.terminal, r.obs = c.obs;  // deterministic: replay the stored step
      } else {
        r = sim_->step(actions_[size_t(a)]);
        ++imagined_steps_;
      }
      walk.push_back({node, a});
      rewards.push_back(r.reward);
      if (keep) path.push_back(r.obs);
      ++depth;
      ended = r.terminated;
      if (known_child >= 0) {
        node = known_child;
        passed.push_back(node);
        continue;
      }
      if (int(nodes_.size()) < s_.max_nodes) {
        SearchNode c;
        c.state = sim_->get_state();
        c.obs = r.obs;
        c.parent = node;
        c.action = a;
        c.depth = depth;
        c.reward = r.reward;
        c.terminal = r.terminated || r.truncated;
        c.goal = r.terminated && !sim_->failure(r.obs);
        nodes_.push_back(std::move(c));
        stats_.emplace_back(actions_.size());
        stats_[size_t(node)][size_t(a)].child = int(nodes_.size()) - 1;
        node = int(nodes_.size()) - 1;
        passed.push_back(node);
      }
      ended = ended || r.truncated;
      break;  // one new node per simulation; the rest is the rollout
    }
    // Rollout: uniformly random actions to the horizon.
    double rollout_return = 0, discount = 1;
    for (; depth < s_.horizon && !ended; ++depth) {
      const StepResult r = sim_->step(actions_[size_t(rng.below(uint64_t(n_actions)))]);
      ++imagined_steps_;
      if (keep) path.push_back(r.obs);
      rollout_return += discount * r.reward;
      discount *= s_.gamma;
      ended = r.terminated || r.truncated;
    }
    // Backup: the discounted return from each tree step on.
    double g = rollout_return;
    for (int p : passed) ++nodes_[size_t(p)].visits;
    for (int k = int(walk.size()) - 1; k >= 0; --k) {
      g = rewards[size_t(k)] + s_.gamma * g;
      Edge& e = stats_[size_t(walk[size_t(k)].first)][size_t(walk[size_t(k)].second)];
      ++e.visits;
      e.total_return += g;
      if (!have_range_) lo_ = hi_ = g, have_range_ = true;
      lo_ = std::min(lo_, g), hi_ = std::max(hi_, g);
    }
    if (keep) {
      paths_.push_back(std::move(path));
      path_returns_.push_back(g);
    }
    ++simulations_;
  }
}

int UctSearch::best_action() const {
  const auto& edges = stats_[0];
  int best = 0;
  for (size_t a = 1; a < edges.size(); ++a) {
    const Edge& e = edges[a];
    const Edge& b = edges[size_t(best)];
    if (e.visits > b.visits || (e.visits == b.visits && e.visits > 0 && q(0, int(a)) > q(0, best))) best = int(a);
  }
  return best;
}

std::vector<int> UctSearch::principal_path() const {
  std::vector<int> path{0};
  for (int node = 0;;) {
    int best = -1;
    int64_t most = 0;
    for (size_t a = 0; a < actions_.size(); ++a) {
      const Edge& e = stats_[size_t(node)][a];
      if (e.child >= 0 && e.visits > most) most = e.visits, best = e.child;
    }
    if (best < 0) return path;
    path.push_back(best);
    node = best;
  }
}

}  // namespace dynalab
