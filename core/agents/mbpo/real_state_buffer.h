#pragma once
// The simulator states behind MBPO's real data, for the closed-loop model error
// (core/analysis/closed_loop_error.h): its true rollouts restart the env from real states, and
// an observation alone does not determine a simulator's state (Box2D bodies, step counter). A
// ring of (observation, Env::get_state()) pairs, one per real env step, with the replay
// buffer's capacity, filled by MbpoAgent::before_step. It feeds no learning number.

#include <cstdint>
#include <vector>

#include "core/analysis/closed_loop_error.h"

namespace dynalab {

class Rng;
class StateVisitor;

class RealStateBuffer {
 public:
  RealStateBuffer(int obs_dim, int64_t capacity) : obs_dim_(obs_dim), capacity_(capacity) {}
  /// Stores one real state (the oldest is dropped when full); every state has the same size.
  void add(const Vec& obs, const std::vector<double>& state);
  int64_t size() const { return size_; }
  /// n starts drawn uniformly with replacement through `rng` (as MBPO draws its branch points);
  /// none if the buffer is empty.
  std::vector<RealStart> sample(int n, Rng& rng) const;
  void visit_state(StateVisitor& v);

 private:
  int obs_dim_, state_dim_ = 0;
  int64_t capacity_, size_ = 0, next_ = 0;
  std::vector<double> obs_, states_;  // row-major, size_ rows
};

}  // namespace dynalab
