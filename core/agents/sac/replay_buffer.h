#pragma once
// The replay buffer of off-policy learners (SAC; Stable-Baselines3's ReplayBuffer): a fixed
// number of transitions (obs, action, reward, next_obs, terminated) in a ring, the oldest
// overwritten once full, minibatches drawn uniformly with replacement through an Rng (so a seed
// fixes every batch). Stored in float32, rows = transitions, as the networks consume them.
// `terminated` is the MDP's end only: a time-limit truncation still bootstraps (SB3's
// handle_timeout_termination).

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "core/space.h"

namespace dynalab {

class Rng;
class StateVisitor;

/// One minibatch, rows = transitions: obs and next_obs [n, obs_dim], actions [n, action_dim],
/// rewards and dones [n, 1] (done = 1 if the transition terminated the MDP).
struct ReplayBatch {
  Eigen::MatrixXf obs, actions, rewards, next_obs, dones;
};

class ReplayBuffer {
 public:
  /// Room for `capacity` (>= 1) transitions of the given dimensions; memory grows as it fills.
  ReplayBuffer(int obs_dim, int action_dim, int64_t capacity);

  /// Stores one transition (obs: obs_dim, action: action_dim), overwriting the oldest when full.
  void add(const Vec& obs, const Vec& action, double reward, const Vec& next_obs, bool terminated);
  /// n transitions drawn uniformly with replacement (n draws rng.below(size())). size() > 0.
  void sample(int n, Rng& rng, ReplayBatch& batch) const;

  /// Slots first .. first + n - 1 in storage order (slot i is the i-th transition added until
  /// the ring wraps), for inspection: MBPO's tests and views. 0 <= first, first + n <= size().
  void rows(int64_t first, int n, ReplayBatch& batch) const;

  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }
  int obs_dim() const { return obs_dim_; }
  int action_dim() const { return action_dim_; }

  /// Contents and ring position, for sessions (loading checks the sizes).
  void visit_state(StateVisitor& v);

 private:
  /// Fills `batch` with n rows, row r from slot slot(r) (called in row order).
  template <class Slot>
  void gather(int n, Slot&& slot, ReplayBatch& batch) const;

  int obs_dim_, action_dim_;
  int64_t capacity_, size_ = 0, next_ = 0;
  // Row-major per transition: obs_[i * obs_dim + k].
  std::vector<float> obs_, actions_, rewards_, next_obs_, dones_;
};

}  // namespace dynalab
