#include "core/agents/policy_learning/running_mean_std.h"

#include <algorithm>
#include <cmath>

#include "core/state_visitor.h"

namespace dynalab {

void RunningMeanStd::update(const Vec& x) {
  // SB3 update_from_moments with a batch of one (batch_var 0, batch_count 1).
  const double total = count + 1;
  const Vec delta = x - mean;
  mean += delta / total;
  var = ((var * count).array() + delta.array().square() * count / total).matrix() / total;
  count = total;
}

void RunningMeanStd::merge(const RunningMeanStd& o) {
  const double total = count + o.count;
  const Vec delta = o.mean - mean;
  var = ((var * count + o.var * o.count).array() + delta.array().square() * (count * o.count / total))
            .matrix() /
        total;
  mean += delta * (o.count / total);
  count = total;
}

void RunningMeanStd::visit_state(StateVisitor& v) {
  v.field("mean", mean);
  v.field("var", var);
  v.field("count", count);
}

Vec ObservationNormalizer::operator()(const Vec& obs) const {
  if (!enabled) return obs;
  return ((obs - stats.mean).array() / (stats.var.array() + 1e-8).sqrt())
      .max(-10.0)
      .min(10.0)
      .matrix();
}

double RewardNormalizer::operator()(double reward, bool episode_end) {
  if (!enabled) return reward;
  discounted_return = discounted_return * gamma + reward;
  stats.update(Vec::Constant(1, discounted_return));
  const double r = std::clamp(reward / std::sqrt(stats.var[0] + 1e-8), -10.0, 10.0);
  if (episode_end) discounted_return = 0;
  return r;
}

void RewardNormalizer::visit_state(StateVisitor& v) {
  v.section("return_stats", [&](StateVisitor& sv) { stats.visit_state(sv); });
  v.field("discounted_return", discounted_return);
}

}  // namespace dynalab
