#include "core/agents/c_learning/future_replay.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace dynalab {

int geometric_offset(Rng& rng, double gamma) {
  if (!(gamma >= 0 && gamma < 1)) throw std::invalid_argument("geometric_offset: gamma must be in [0, 1)");
  if (gamma == 0) return 1;
  const double u = 1.0 - rng.uniform();  // (0, 1]
  const double k = std::floor(std::log(u) / std::log(gamma));
  return 1 + int(std::min(k, 1e9));
}

void FutureReplay::begin(const Vec& obs) {
  if (int(obs.size()) != obs_dim_) throw std::invalid_argument("FutureReplay::begin: wrong observation size");
  obs_.insert(obs_.end(), obs.data(), obs.data() + obs.size());
  episode_last_.push_back(observations() - 1);
  episode_terminated_.push_back(0);
  open_ = true;
}

void FutureReplay::end(bool terminated) {
  if (open_) episode_terminated_.back() = terminated ? 1 : 0;
  open_ = false;
}

void FutureReplay::push(const Vec& action, const Vec& next_obs) {
  if (!open_) throw std::logic_error("FutureReplay::push: no open episode");
  if (int(action.size()) != action_dim_ || int(next_obs.size()) != obs_dim_)
    throw std::invalid_argument("FutureReplay::push: wrong sizes");
  anchors_.push_back(observations() - 1);
  anchor_episode_.push_back(episodes() - 1);
  actions_.insert(actions_.end(), action.data(), action.data() + action.size());
  obs_.insert(obs_.end(), next_obs.data(), next_obs.data() + next_obs.size());
  episode_last_.back() = observations() - 1;
}

FutureReplay::Draw FutureReplay::sample_transition(Rng& rng) const {
  if (anchors_.empty()) throw std::logic_error("FutureReplay: no transitions");
  Draw d;
  d.anchor = int64_t(rng.below(uint64_t(anchors_.size())));
  const int64_t row = anchors_[size_t(d.anchor)];
  const size_t episode = size_t(anchor_episode_[size_t(d.anchor)]);
  const int64_t last = episode_last_[episode];
  d.next = d.future = row + 1;
  // Transitions of one episode are stored consecutively, so s_{t+1}'s transition is the next one.
  d.next_anchor = d.next < last ? d.anchor + 1 : -1;
  d.next_terminal = d.next == last && episode_terminated_[episode] != 0;
  return d;
}

FutureReplay::Draw FutureReplay::sample_positive(Rng& rng, double gamma) const {
  for (;;) {
    Draw d = sample_transition(rng);
    const int64_t row = anchors_[size_t(d.anchor)];
    const size_t episode = size_t(anchor_episode_[size_t(d.anchor)]);
    const int64_t last = episode_last_[episode];
    const int64_t future = row + geometric_offset(rng, gamma);
    if (future <= last) {
      d.future = future;
      return d;
    }
    if (episode_terminated_[episode] != 0) {  // absorbing: the rest of the future is the end
      d.future = last;
      return d;
    }
    // Cut by the step limit (or still open): what came after the cut is unknown; redraw.
  }
}

}  // namespace dynalab
