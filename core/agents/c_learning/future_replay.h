#pragma once
// The C-learning replay (Eysenbach, Salakhutdinov & Levine 2020; lecture deck 001, "The
// C-Learning algorithm"): the behaviour policy's episodes kept whole, because a positive example
// needs the state Delta steps later in the SAME episode, and the samplers of the classifier's
// positives and negatives.
//
// Positives: an anchor transition (s_t, a_t) uniform over all transitions, and s_f = s_{t+Delta}
// with P(Delta = k) = (1 - gamma) gamma^(k-1), k >= 1 (geometric_offset), the deck's
// "t' = t + Delta, Delta ~ Geom(gamma)". An offset past the end of an episode that TERMINATED
// takes its last state (a terminal state is absorbing), as the Monte Carlo rollouts of
// monte_carlo_futures.h stop there. An episode cut by the step limit (or still open) is not
// absorbing: its future past the cut was never seen, and piling those offsets on its last state
// would teach the classifier (which never sees the step counter) that the puck stops at step
// 100. Such a draw is redrawn, anchor and offset together. The residual bias: anchors within
// ~1 / (1 - gamma) steps of a cut are drawn less often (with weight 1 - gamma^k, k steps left)
// and their kept offsets are the short ones. Negatives: s_f uniform over every stored
// observation, the replay marginal p(s) the deck writes D_- ~ p^pi(s).

#include <cstdint>
#include <vector>

#include "core/rng.h"
#include "core/space.h"

namespace dynalab {

/// Delta ~ Geom(1 - gamma) on {1, 2, ...}: P(Delta = k) = (1 - gamma) gamma^(k-1), mean
/// 1 / (1 - gamma). gamma in [0, 1); gamma = 0 gives 1 always. By inversion of one uniform
/// draw: Delta = 1 + floor(log(U) / log(gamma)), U in (0, 1].
int geometric_offset(Rng& rng, double gamma);

class FutureReplay {
 public:
  FutureReplay() = default;
  FutureReplay(int obs_dim, int action_dim) : obs_dim_(obs_dim), action_dim_(action_dim) {}

  /// Starts a new episode at observation `obs` (an unfinished previous one is closed as is).
  void begin(const Vec& obs);
  /// Appends one step of the open episode: the action applied and the observation it led to.
  void push(const Vec& action, const Vec& next_obs);
  /// Closes the open episode. `terminated`: it ended inside the MDP (goal, pit), so its last
  /// observation is absorbing for future offsets; false: cut by the step limit, whose future past
  /// the cut is unknown (sample_positive redraws offsets that run past it).
  void end(bool terminated);

  int obs_dim() const { return obs_dim_; }
  int action_dim() const { return action_dim_; }
  /// Stored transitions (anchors) and observations (the marginal's samples).
  int64_t transitions() const { return int64_t(anchors_.size()); }
  int64_t observations() const { return int64_t(obs_.size()) / std::max(1, obs_dim_); }
  int episodes() const { return int(episode_last_.size()); }
  /// Observation row r (0 <= r < observations()).
  const double* obs_row(int64_t r) const { return obs_.data() + r * obs_dim_; }

  /// One draw: anchor transition index (into anchor_obs/anchor_action), the rows of s_{t+1} and
  /// (sample_positive only) of s_{t+Delta}.
  struct Draw {
    int64_t anchor = 0;   ///< anchor transition
    int64_t future = 0;   ///< observation row of s_f (sample_positive)
    int64_t next = 0;     ///< observation row of s_{t+1}
    int64_t next_anchor = -1;  ///< transition index of (s_{t+1}, a_{t+1}); -1 at the episode's end
    bool next_terminal = false;  ///< s_{t+1} is the last state of an episode that terminated
  };
  /// An anchor transition uniform over all transitions, with its next state (the TD version's
  /// draw); future = next.
  Draw sample_transition(Rng& rng) const;
  /// A positive: s_{t+Delta}, Delta from geometric_offset(rng, gamma); past a terminated
  /// episode's end its last state, past a cut (or open) episode's end the anchor and offset are
  /// redrawn (expected draws at most 1 / (1 - gamma): Delta = 1 always fits).
  Draw sample_positive(Rng& rng, double gamma) const;
  /// A uniformly drawn observation row: s_f ~ the replay marginal.
  int64_t sample_marginal(Rng& rng) const { return int64_t(rng.below(uint64_t(observations()))); }
  /// The anchor's observation row and action.
  int64_t anchor_obs_row(int64_t anchor) const { return anchors_[size_t(anchor)]; }
  const double* anchor_action(int64_t anchor) const { return actions_.data() + anchor * action_dim_; }

  /// The raw arrays, for sessions: observations (rows), actions (one per transition), the
  /// observation row of each transition's s_t, and each episode's last observation row.
  std::vector<double>& obs_data() { return obs_; }
  std::vector<double>& action_data() { return actions_; }
  std::vector<int64_t>& anchor_rows() { return anchors_; }
  std::vector<int64_t>& episode_last() { return episode_last_; }
  std::vector<int>& anchor_episode() { return anchor_episode_; }
  std::vector<int>& episode_terminated() { return episode_terminated_; }
  bool& open() { return open_; }

 private:
  int obs_dim_ = 0, action_dim_ = 0;
  std::vector<double> obs_;              // observations, row-major
  std::vector<double> actions_;          // one row per transition
  std::vector<int64_t> anchors_;         // transition -> observation row of s_t
  std::vector<int> anchor_episode_;      // transition -> episode
  std::vector<int64_t> episode_last_;    // episode -> observation row of its last observation
  std::vector<int> episode_terminated_;  // episode -> 1 if it terminated (absorbing end), 0 if cut or open
  bool open_ = false;
};

}  // namespace dynalab
