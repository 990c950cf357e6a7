#include "core/agents/sac/replay_buffer.h"

#include <stdexcept>

#include "core/rng.h"
#include "core/state_visitor.h"

namespace dynalab {

ReplayBuffer::ReplayBuffer(int obs_dim, int action_dim, int64_t capacity)
    : obs_dim_(obs_dim), action_dim_(action_dim), capacity_(capacity) {}

namespace {
/// Writes x into rows of `store` (row width x.size()) at row i, growing it by one row if i is new.
void put_row(std::vector<float>& store, int64_t i, const Vec& x) {
  const size_t w = size_t(x.size()), at = size_t(i) * w;
  if (store.size() < at + w) store.resize(at + w);
  for (size_t k = 0; k < w; ++k) store[at + k] = float(x[Eigen::Index(k)]);
}
}  // namespace

void ReplayBuffer::add(const Vec& obs, const Vec& action, double reward, const Vec& next_obs,
                       bool terminated) {
  put_row(obs_, next_, obs);
  put_row(actions_, next_, action);
  put_row(rewards_, next_, Vec::Constant(1, reward));
  put_row(next_obs_, next_, next_obs);
  put_row(dones_, next_, Vec::Constant(1, terminated ? 1.0 : 0.0));
  next_ = (next_ + 1) % capacity_;
  if (size_ < capacity_) ++size_;
}

template <class Slot>
void ReplayBuffer::gather(int n, Slot&& slot, ReplayBatch& b) const {
  b.obs.resize(n, obs_dim_);
  b.actions.resize(n, action_dim_);
  b.rewards.resize(n, 1);
  b.next_obs.resize(n, obs_dim_);
  b.dones.resize(n, 1);
  for (int r = 0; r < n; ++r) {  // in row order: the draws' order does not depend on storage
    const size_t i = slot(r);
    for (int k = 0; k < obs_dim_; ++k) {
      b.obs(r, k) = obs_[i * obs_dim_ + k];
      b.next_obs(r, k) = next_obs_[i * obs_dim_ + k];
    }
    for (int k = 0; k < action_dim_; ++k) b.actions(r, k) = actions_[i * action_dim_ + k];
    b.rewards(r, 0) = rewards_[i];
    b.dones(r, 0) = dones_[i];
  }
}

void ReplayBuffer::sample(int n, Rng& rng, ReplayBatch& b) const {
  gather(
      n, [&](int) { return size_t(rng.below(uint64_t(size_))); }, b);
}

void ReplayBuffer::rows(int64_t first, int n, ReplayBatch& b) const {
  if (first < 0 || first + n > size_) throw std::out_of_range("ReplayBuffer::rows: past the end");
  gather(
      n, [&](int r) { return size_t(first + r); }, b);
}

void ReplayBuffer::visit_state(StateVisitor& v) {
  v.field("size", size_);
  v.field("next", next_);
  if (v.loading() && (size_ < 0 || size_ > capacity_ || next_ < 0 || next_ >= capacity_))
    v.fail("size", "0 <= next < capacity and size <= capacity (" + std::to_string(capacity_) + ")");
  v.sized("obs", obs_, size_t(size_) * obs_dim_);
  v.sized("actions", actions_, size_t(size_) * action_dim_);
  v.sized("rewards", rewards_, size_t(size_));
  v.sized("next_obs", next_obs_, size_t(size_) * obs_dim_);
  v.sized("dones", dones_, size_t(size_));
}

}  // namespace dynalab
