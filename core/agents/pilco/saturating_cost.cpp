#include "core/agents/pilco/saturating_cost.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace dynalab {

SaturatingCost::SaturatingCost(Vec target, Vec weights, double width)
    : target_(std::move(target)), weights_(std::move(weights)), width_(width) {
  if (target_.size() != weights_.size())
    throw std::invalid_argument("SaturatingCost: target and weights differ in size");
  if ((weights_.array() < 0).any()) throw std::invalid_argument("SaturatingCost: negative weight");
  if (!(width_ > 0)) throw std::invalid_argument("SaturatingCost: width must be > 0");
}

double SaturatingCost::distance(const Vec& s) const {
  return std::sqrt((weights_.array() * (s - target_).array().square()).sum());
}

double SaturatingCost::cost(const Vec& s) const {
  const double d = distance(s);
  return 1 - std::exp(-0.5 * d * d / (width_ * width_));
}

double SaturatingCost::reward(const Vec&, const Vec&, const Vec& s_next) const {
  return -cost(s_next);
}

RewardGradient SaturatingCost::gradient(const Vec& s, const Vec& a, const Vec& s_next) const {
  RewardGradient g;
  g.r = reward(s, a, s_next);
  g.rs = Vec::Zero(s.size());
  g.ra = Vec::Zero(a.size());
  // d cost / ds' = exp(-d^2 / 2 w^2) W (s' - target) / w^2, and r = -cost.
  const double e = 1 + g.r;
  g.rn = -e * (weights_.array() * (s_next - target_).array()).matrix() / (width_ * width_);
  return g;
}

}  // namespace dynalab
