#pragma once
// The learned model of tabular Dyna: for each (state, action) tried, the last observed next state
// and reward (deterministic, as in the book), when it was last tried, and how often the outcome
// changed. In a truly deterministic world outcome_changes stays 0; on a discretised physics
// world it counts the aliasing that makes the tabular model wrong.
// It also counts every distinct outcome (next state, terminal) of each pair with the mean reward
// that came with it: the maximum-likelihood estimate of T(s, a, s') and R(s, a, s'), which a
// "maximum_likelihood" Dyna agent samples from instead of replaying the last outcome.

#include <cstdint>
#include <vector>

#include "core/config.h"
#include "core/rng.h"

namespace dynalab {

class StateVisitor;

/// One distinct observed outcome of an (s, a) pair.
struct ModelOutcome {
  int next_state = -1;
  bool terminal = false;
  double mean_reward = 0;  ///< mean of the rewards observed with this outcome
  int64_t count = 0;       ///< times observed
};

struct ModelEntry {
  int state = -1, action = -1;
  int next_state = -1;
  double reward = 0;
  bool terminal = false;
  int64_t last_visit = 0;       ///< real time step at which (s, a) was last tried (Dyna-Q+'s tau)
  int64_t visits = 0;           ///< real transitions observed from (s, a); 0 for Dyna-Q+'s untried actions
  int64_t outcome_changes = 0;  ///< times the observed next state differed from the stored one
  std::vector<ModelOutcome> outcomes;  ///< every distinct observed outcome, in order of first sight
};

class TabularModel {
 public:
  TabularModel(int n_states, int n_actions);
  /// Records a real transition at time `t`.
  void observe(int s, int a, int s_next, double r, bool terminal, int64_t t);
  /// Dyna-Q+ (book footnote): an untried action of a visited state is modelled as leading back
  /// to the same state with reward 0, so planning may consider it.
  void add_untried(int s, int a);
  bool known(int s, int a) const { return index_[s * n_actions_ + a] >= 0; }
  const ModelEntry& entry(int s, int a) const { return entries_[index_[s * n_actions_ + a]]; }
  /// Entries in the order they were first added (uniform sampling picks from this list).
  const std::vector<ModelEntry>& entries() const { return entries_; }
  /// (s, a) pairs whose stored next state is s (for prioritized sweeping's predecessor sweep).
  const std::vector<int>& predecessors(int s) const { return predecessors_[s]; }  // entry indices
  bool state_seen(int s) const { return seen_[s]; }
  void mark_seen(int s) { seen_[s] = true; }
  int n_states() const { return n_states_; }
  int n_actions() const { return n_actions_; }
  /// One outcome of `e` drawn in proportion to its count (maximum-likelihood sample model); an
  /// entry never tried for real (Dyna-Q+'s untried actions) yields its stored outcome.
  ModelOutcome sample(const ModelEntry& e, Rng& rng) const;
  /// Fraction of tried pairs whose outcome has changed at least once (0 in a deterministic world).
  double aliased_fraction() const;
  /// Session state (tabular_agent_session.cpp), one list for save and load: every entry and the predecessor lists, exactly.
  void visit_state(StateVisitor& v);

 private:
  void link(int entry);
  void unlink(int entry);
  int n_states_, n_actions_;
  std::vector<int> index_;  // (s, a) -> entry index or -1
  std::vector<ModelEntry> entries_;
  std::vector<std::vector<int>> predecessors_;
  std::vector<bool> seen_;
};

}  // namespace dynalab
