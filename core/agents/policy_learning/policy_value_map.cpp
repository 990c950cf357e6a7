#include "core/agents/policy_learning/policy_value_map.h"

#include <algorithm>
#include <stdexcept>

#include "core/agents/sac/sac_losses.h"
#include "core/agents/sac/squashed_gaussian.h"

namespace dynalab {

PolicyValueView policy_value_map(const SacLearner& learner, const StatePlane& plane, int cells) {
  if (cells < 1 || !plane.obs)
    throw std::invalid_argument("policy_value_map: needs cells >= 1 and plane.obs");
  const int n = cells * cells;
  const int action_dim = learner.buffer().action_dim();
  PolicyValueView v;
  Heatmap& h = v.value;
  h.title = "critic: V(s) = min(Q1, Q2)(s, pi(s)), arrows: pi(s)";
  h.x_label = plane.x_label, h.y_label = plane.y_label;
  h.value_label = "V(s)";
  h.nx = h.ny = cells;
  h.x_lo = plane.x_lo, h.x_hi = plane.x_hi, h.y_lo = plane.y_lo, h.y_hi = plane.y_hi;
  // One batch of every cell centre's observation.
  Mlp::Mat obs;
  for (int iy = 0; iy < cells; ++iy)
    for (int ix = 0; ix < cells; ++ix) {
      const double x = h.x_lo + (ix + 0.5) * (h.x_hi - h.x_lo) / cells;
      const double y = h.y_lo + (iy + 0.5) * (h.y_hi - h.y_lo) / cells;
      const Vec o = plane.obs(x, y);
      if (obs.rows() == 0) obs.resize(n, o.size());
      obs.row(iy * cells + ix) = o.transpose().cast<float>();
    }
  const Mlp::Mat action = squashed_gaussian_mode(learner.actor(), obs, action_dim);
  Mlp::Mat x;
  critic_input<float>(obs, action, x);
  Mlp::Cache c1, c2;
  learner.q1().forward(x, c1);
  learner.q2().forward(x, c2);
  h.values.resize(size_t(n));
  v.action.resize(size_t(n));
  for (int i = 0; i < n; ++i) {
    h.values[size_t(i)] = double(std::min(c1.out(i, 0), c2.out(i, 0)));
    v.action[size_t(i)] = double(action(i, 0));
  }
  v.action_label = "pi(s), action dim 0 in (-1, 1)";
  v.updates = learner.updates();
  return v;
}

std::shared_ptr<const PolicyValueView> PolicyValueMapCache::current(const SacLearner& learner) {
  if (!plane_) return nullptr;
  if (!last_ || learner.updates() - last_->updates >= kEveryUpdates)
    last_ = std::make_shared<const PolicyValueView>(policy_value_map(learner, *plane_, kCells));
  return last_;
}

}  // namespace dynalab
