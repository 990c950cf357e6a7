#include "core/agents/mbpo/real_state_buffer.h"

#include <stdexcept>
#include <string>

#include "core/rng.h"
#include "core/state_visitor.h"

namespace dynalab {

void RealStateBuffer::add(const Vec& obs, const std::vector<double>& state) {
  if (state_dim_ == 0) state_dim_ = int(state.size());
  if (obs.size() != obs_dim_ || int(state.size()) != state_dim_)
    throw std::invalid_argument("RealStateBuffer: observation or state of another size");
  if (size_ < capacity_) {
    obs_.insert(obs_.end(), obs.data(), obs.data() + obs_dim_);
    states_.insert(states_.end(), state.begin(), state.end());
    ++size_;
  } else {
    std::copy(obs.data(), obs.data() + obs_dim_, obs_.begin() + next_ * obs_dim_);
    std::copy(state.begin(), state.end(), states_.begin() + next_ * state_dim_);
  }
  next_ = (next_ + 1) % capacity_;
}

std::vector<RealStart> RealStateBuffer::sample(int n, Rng& rng) const {
  std::vector<RealStart> out;
  if (size_ == 0) return out;
  out.reserve(size_t(n));
  for (int k = 0; k < n; ++k) {
    const int64_t i = int64_t(rng.below(uint64_t(size_)));
    RealStart s;
    s.obs = Eigen::Map<const Vec>(obs_.data() + i * obs_dim_, obs_dim_);
    s.state.assign(states_.begin() + i * state_dim_, states_.begin() + (i + 1) * state_dim_);
    out.push_back(std::move(s));
  }
  return out;
}

void RealStateBuffer::visit_state(StateVisitor& v) {
  v.field("state_dim", state_dim_);
  v.field("size", size_);
  v.field("next", next_);
  if (v.loading() && (state_dim_ < 0 || size_ < 0 || size_ > capacity_ || next_ < 0 || next_ >= capacity_))
    v.fail("size", "0 <= next < capacity and size <= capacity (" + std::to_string(capacity_) + ")");
  v.sized("obs", obs_, size_t(size_) * size_t(obs_dim_));
  v.sized("states", states_, size_t(size_) * size_t(state_dim_));
}

}  // namespace dynalab
