#include "core/agents/ars/ars_learner.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/state_visitor.h"

namespace dynalab {

namespace {

/// No states yet: the moments of exactly the states update() adds (no prior).
RunningMeanStd no_states(int dim) {
  RunningMeanStd s(dim);
  s.count = 0;
  return s;
}

}  // namespace

std::vector<int> top_directions(const std::vector<double>& plus, const std::vector<double>& minus,
                                int n_top) {
  std::vector<int> order(plus.size());
  std::iota(order.begin(), order.end(), 0);
  // stable_sort: ties keep the lower index first, so the choice never depends on the library.
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return std::max(plus[a], minus[a]) > std::max(plus[b], minus[b]);
  });
  order.resize(size_t(n_top));
  return order;
}

ArsLearner::ArsLearner(const ArsConfig& cfg, int obs_dim, int action_dim, Rng rng)
    : cfg_(cfg),
      obs_dim_(obs_dim),
      action_dim_(action_dim),
      rng_(rng),
      normaliser_(cfg.norm_obs, obs_dim),
      iteration_states_(no_states(obs_dim)) {
  const MlpShape shape{obs_dim, action_dim, cfg.hidden, parse_activation(cfg.activation, "ars.activation")};
  policy_net_ = Net(shape);
  if (!cfg.zero_policy) {
    // PyTorch's nn.Linear default (the SB3-contrib policy's initialisation): weights and biases
    // uniform in +-1/sqrt(fan_in), layer by layer in params() order.
    Vec& p = policy_net_.params();
    for (int l = 0; l < shape.layers(); ++l) {
      const double bound = 1.0 / std::sqrt(double(shape.fan_in(l)));
      const long end = policy_net_.b_offset(l) + shape.fan_out(l);
      for (long i = policy_net_.w_offset(l); i < end; ++i) p[i] = rng_.uniform(-bound, bound);
    }
  }
  theta_ = policy_net_.params();
  candidate_net_ = policy_net_;
  x_.resize(1, obs_dim);
  out_.resize(1, action_dim);
  start_iteration();
}

void ArsLearner::set_config(const ArsConfig& c) {
  cfg_.learning_rate = c.learning_rate;
  cfg_.n_top = std::min(c.n_top, cfg_.n_delta);
  cfg_.delta_std = c.delta_std;
  cfg_.alive_bonus_offset = c.alive_bonus_offset;
}

void ArsLearner::start_iteration() {
  const long p = long(theta_.size());
  deltas_.resize(cfg_.n_delta, p);
  // Row by row, in order: the draws (and so a session's continuation) fix one sequence.
  for (int k = 0; k < cfg_.n_delta; ++k)
    for (long i = 0; i < p; ++i) deltas_(k, i) = rng_.normal();
  iteration_delta_std_ = cfg_.delta_std;
  returns_.assign(size_t(2 * cfg_.n_delta), 0.0);
  candidate_ = 0;
  load_candidate();
}

void ArsLearner::load_candidate() {
  const int n = cfg_.n_delta;
  const double sign = candidate_ < n ? 1.0 : -1.0;
  candidate_net_.params() = theta_ + sign * iteration_delta_std_ * deltas_.row(candidate_ % n).transpose();
}

Vec ArsLearner::policy_action(const Net& net, const Vec& obs) const {
  x_.row(0) = normaliser_(obs).transpose();
  net.predict(x_, out_, scratch_);
  const Vec y = out_.row(0).transpose();
  return cfg_.squash_output ? Vec(y.array().tanh()) : Vec(y.cwiseMax(-1.0).cwiseMin(1.0));
}

Vec ArsLearner::candidate_action(const Vec& obs) { return policy_action(candidate_net_, obs); }

Vec ArsLearner::deterministic_action(const Vec& obs) const { return policy_action(policy_net_, obs); }

bool ArsLearner::end_candidate(double candidate_return) {
  returns_[size_t(candidate_)] = candidate_return;
  if (++candidate_ < candidates()) {
    load_candidate();
    return false;
  }
  update();
  return true;
}

void ArsLearner::update() {
  const int n = cfg_.n_delta, b = cfg_.n_top;
  const std::vector<double> plus(returns_.begin(), returns_.begin() + n);
  const std::vector<double> minus(returns_.begin() + n, returns_.end());
  const std::vector<int> top = top_directions(plus, minus, b);
  // sigma_R over the 2b kept returns, n - 1 denominator (torch.std, as SB3-contrib).
  double mean = 0;
  for (int k : top) mean += (plus[size_t(k)] + minus[size_t(k)]) / (2.0 * b);
  double ss = 0;
  for (int k : top)
    ss += (plus[size_t(k)] - mean) * (plus[size_t(k)] - mean) + (minus[size_t(k)] - mean) * (minus[size_t(k)] - mean);
  const double sigma = std::sqrt(ss / (2.0 * b - 1.0));
  last_step_size_ = cfg_.learning_rate / (b * sigma + 1e-6);
  Vec step = Vec::Zero(theta_.size());
  for (int k : top) step += (plus[size_t(k)] - minus[size_t(k)]) * deltas_.row(k).transpose();
  theta_ += last_step_size_ * step;
  policy_net_.params() = theta_;
  // V2: this iteration's states join the normaliser for the next iteration's candidates.
  if (cfg_.norm_obs) normaliser_.stats.merge(iteration_states_);
  iteration_states_ = no_states(obs_dim_);
  ++iterations_;
  start_iteration();
}

void ArsLearner::visit_state(StateVisitor& v) {
  v.field("rng", rng_);
  v.field("iterations", iterations_);
  v.field("theta", theta_);
  std::vector<double> deltas(deltas_.data(), deltas_.data() + deltas_.size());
  v.sized("deltas", deltas, size_t(deltas_.size()));
  if (v.loading()) deltas_ = Eigen::Map<const Eigen::MatrixXd>(deltas.data(), deltas_.rows(), deltas_.cols());
  v.field("delta_std", iteration_delta_std_);
  v.sized("returns", returns_, returns_.size());
  v.bounded("candidate", candidate_, 0, candidates() - 1);
  v.field("last_step_size", last_step_size_);
  v.section("normaliser", [&](StateVisitor& nv) { normaliser_.stats.visit_state(nv); });
  v.section("iteration_states", [&](StateVisitor& nv) { iteration_states_.visit_state(nv); });
  if (v.loading()) {
    policy_net_.params() = theta_;
    load_candidate();
  }
}

}  // namespace dynalab
