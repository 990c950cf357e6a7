#pragma once
// Tabular Q-learning and its model-based extensions, as in Sutton & Barto chapter 8 and the
// lecture 004: Dyna-Q (n planning updates from the learned model after every real step),
// Dyna-Q+ (planning reward r + kappa * sqrt(tau)), and prioritized sweeping (planning updates
// ordered by the size of their change, swept backwards through predecessors).
// Q-learning is Dyna-Q with n = 0 and no model.
//
// Hybrid or strict (lecture 004, "Why Hybrid?"): Dyna is a hybrid, each real sample updates Q
// directly (learning) and the model, which then supplies n updates (planning). With `strict` the
// agent is strictly model-based: a real sample only updates the model, and Q changes only through
// the n planning updates ("Strict learned dynamics model"). Prioritized sweeping is strict by
// construction (the book's algorithm sends real experience through its queue).
//
// The model (lecture 004, "Learning the model"): "deterministic" replays the last outcome seen
// from (s, a), the book's Dyna-Q table, which is wrong in a stochastic or aliased world, and the
// more planning updates per real step, the more that error is replayed. "maximum_likelihood"
// samples a planning outcome in proportion to how often each was seen (the counts' estimate of
// T and R; Sutton & Barto section 8.1's sample model).

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
  bool strict = false;          ///< strict model-based: Q learns from the model only, never directly
  std::string model = "deterministic";  ///< deterministic (last outcome) or maximum_likelihood (counts)

  static const std::vector<std::string>& algorithms();
  static const std::vector<std::string>& models();
  template <class V>
  void visit(V& v) {
    v.choice("algorithm", algorithm, algorithms(), Apply::on_reset, "which tabular algorithm");
    v.field("alpha", alpha, Range::unit(), Apply::live, "step size");
    v.field("epsilon", epsilon, Range::probability(), Apply::live, "exploration rate");
    v.field("gamma", gamma, Range::probability(), Apply::live, "discount");
    v.field("planning_steps", planning_steps, Range::closed(0, 10000), Apply::live, "n, planning updates per step");
    v.field("kappa", kappa, Range::closed(0, 10), Apply::live, "Dyna-Q+ bonus weight");
    v.field("theta", theta, Range::closed(0, 10), Apply::live, "prioritized sweeping threshold");
    v.field("strict", strict, Apply::live,
            "strict model-based: a real sample only updates the model, Q learns from planning alone "
            "(false: Dyna's hybrid, real samples also update Q directly)");
    v.choice("model", model, models(), Apply::live,
             "what planning replays: deterministic (the last outcome of each pair, as in the book) or "
             "maximum_likelihood (an outcome sampled in proportion to its count)");
    if constexpr (requires { v.fail(std::string(), std::string()); }) {
      if (model != "deterministic" && algorithm == "prioritized_sweeping")
        v.fail("model", "deterministic for prioritized_sweeping (its priorities assume one outcome per pair), got '" +
                            model + "'");
      if (strict && algorithm == "q_learning")
        v.fail("strict", "false for q_learning (it has no model to learn from), got true");
      if (strict && planning_steps < 1)
        v.fail("planning_steps", "at least 1 with strict (Q learns only from planning), got " +
                                     std::to_string(planning_steps));
    }
  }
};

/// One Q update (real or planned), for the GUI's flashing cells.
struct QUpdate {
  int state, action;
  double delta;   ///< change of Q(s, a)
  bool planning;  ///< from the model (planning), not directly from a real transition (learning)
};

class TabularAgent {
 public:
  TabularAgent(int n_states, int n_actions, TabularConfig cfg, Rng rng);

  /// Epsilon-greedy action with random tie-breaking among maximal actions.
  int act(int s);
  /// Greedy action (random among ties), no exploration.
  int greedy(int s);
  /// Learns from the real transition (s, a, r, s'), advancing the real time step: one direct
  /// Q-learning update (none when strict, none for prioritized sweeping), the model update, then
  /// the planning updates. Returns them all, the direct one first.
  const std::vector<QUpdate>& learn(int s, int a, double r, int s_next, bool terminal);

  double q(int s, int a) const { return q_[s * n_actions_ + a]; }
  double max_q(int s) const;
  const std::vector<double>& q_table() const { return q_; }
  const TabularModel& model() const { return model_; }
  const TabularConfig& config() const { return cfg_; }
  /// Live parameter change (alpha, epsilon, gamma, n, kappa, theta, strict); the algorithm stays.
  void set_config(const TabularConfig& cfg);
  /// Direct Q updates from real transitions so far (0 when strict or prioritized sweeping).
  int64_t real_updates() const { return real_updates_; }
  /// Q updates from the model so far.
  int64_t planning_updates() const { return planning_updates_; }
  int64_t time() const { return time_; }
  size_t queue_size() const { return queue_.size(); }
  Rng& rng() { return rng_; }
  /// Session state (tabular_agent_session.cpp), one list for save and load: Q, model, RNG, counters and the priority queue.
  void visit_state(StateVisitor& v);

 private:
  bool uses_model() const { return cfg_.algorithm != "q_learning"; }
  /// True if a real transition updates Q directly (the hybrid's learning step).
  bool direct_update() const {
    return cfg_.algorithm != "prioritized_sweeping" && !(cfg_.strict && uses_model());
  }
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
