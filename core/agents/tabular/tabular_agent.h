#pragma once
// Tabular Q-learning and its model-based extensions, as in Sutton & Barto chapter 8 and the
// lecture 004: Dyna-Q (n planning updates from the learned model after every real step),
// Dyna-Q+ (planning reward r + kappa * sqrt(tau)), and prioritized sweeping (planning updates
// ordered by the size of their change, swept backwards through predecessors).
// Q-learning is Dyna-Q with n = 0 and no model.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/agents/tabular/tabular_model.h"
#include "core/config.h"
#include "core/rng.h"

namespace dynalab {

class StateVisitor;

struct TabularConfig {
  std::string algorithm = "dyna_q";  ///< q_learning, dyna_q, dyna_q_plus, prioritized_sweeping
  double alpha = 0.1;           ///< step size
  double epsilon = 0.1;         ///< exploration rate of epsilon-greedy
  double gamma = 0.95;          ///< discount
  int planning_steps = 5;       ///< n: planning updates per real step
  double kappa = 1e-3;          ///< Dyna-Q+ exploration bonus weight
  double theta = 1e-4;          ///< prioritized sweeping threshold

  static const std::vector<std::string>& algorithms();
  template <class V>
  void visit(V& v) {
    v.choice("algorithm", algorithm, algorithms(), Apply::on_reset, "which tabular algorithm");
    v.field("alpha", alpha, Range::unit(), Apply::live, "step size");
    v.field("epsilon", epsilon, Range::probability(), Apply::live, "exploration rate");
    v.field("gamma", gamma, Range::probability(), Apply::live, "discount");
    v.field("planning_steps", planning_steps, Range::closed(0, 10000), Apply::live, "n, planning updates per step");
    v.field("kappa", kappa, Range::closed(0, 10), Apply::live, "Dyna-Q+ bonus weight");
    v.field("theta", theta, Range::closed(0, 10), Apply::live, "prioritized sweeping threshold");
  }
};

/// One Q update (real or planned), for the GUI's flashing cells.
struct QUpdate {
  int state, action;
  double delta;  ///< change of Q(s, a)
};

class TabularAgent {
 public:
  TabularAgent(int n_states, int n_actions, TabularConfig cfg, Rng rng);

  /// Epsilon-greedy action with random tie-breaking among maximal actions.
  int act(int s);
  /// Greedy action (random among ties), no exploration.
  int greedy(int s);
  /// Learns from the real transition (s, a, r, s') at real time step t (1-based): one direct
  /// Q-learning update, the model update, then the planning updates. Returns them all.
  const std::vector<QUpdate>& learn(int s, int a, double r, int s_next, bool terminal);

  double q(int s, int a) const { return q_[s * n_actions_ + a]; }
  double max_q(int s) const;
  const std::vector<double>& q_table() const { return q_; }
  const TabularModel& model() const { return model_; }
  const TabularConfig& config() const { return cfg_; }
  /// Live parameter change (alpha, epsilon, gamma, n, kappa, theta); the algorithm stays.
  void set_config(const TabularConfig& cfg);
  int64_t real_updates() const { return real_updates_; }
  int64_t planning_updates() const { return planning_updates_; }
  int64_t time() const { return time_; }
  size_t queue_size() const { return queue_.size(); }
  Rng& rng() { return rng_; }
  /// Session state (tabular_agent_session.cpp), one list for save and load: Q, model, RNG, counters and the priority queue.
  void visit_state(StateVisitor& v);

 private:
  bool uses_model() const { return cfg_.algorithm != "q_learning"; }
  double update(int s, int a, double r, int s_next, bool terminal);
  void plan_uniform();
  void plan_prioritized(int s, int a);
  void push_priority(int s, int a, double p);
  double target_error(int s, int a, double r, int s_next, bool terminal) const;

  int n_states_, n_actions_;
  TabularConfig cfg_;
  Rng rng_;
  std::vector<double> q_;
  TabularModel model_;
  int64_t time_ = 0, real_updates_ = 0, planning_updates_ = 0;
  std::vector<QUpdate> last_;
  // Prioritized sweeping queue: highest priority first, ties by (s, a) so runs are deterministic.
  std::set<std::pair<double, int>, std::greater<>> queue_;
  std::map<int, double> in_queue_;  // key s * n_actions + a -> its priority in queue_
  std::vector<int> ties_;           // scratch for tie-breaking
};

}  // namespace dynalab
