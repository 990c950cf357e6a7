#include "core/analysis/closed_loop_error.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <numeric>
#include <stdexcept>

#include "core/analysis/error_vs_distance.h"

namespace dynalab {

ModelStep model_mean_step(const DynamicsModel& model, bool elites_only) {
  return [&model, elites_only](const Eigen::MatrixXd& s, const Eigen::MatrixXd& a) {
    return predict_next_mean(model, s, a, elites_only);
  };
}

namespace {

// The true closed-loop rollout of one start: states s_0..s_T and actions a_0..a_{T-1}, T <= K
// (fewer: the env terminated at step T).
struct TrueRollout {
  std::vector<Vec> states, actions;
};

TrueRollout true_rollout(Env& sim, const RealStart& start,
                         const std::function<Vec(const Vec&)>& policy, int K) {
  sim.set_state(start.state);
  TrueRollout r;
  r.states.push_back(start.obs);
  for (int h = 0; h < K; ++h) {
    const Vec a = policy(r.states.back());
    const StepResult st = sim.step(a);
    r.actions.push_back(sim.action_space().clip(a));  // what the env applied
    r.states.push_back(st.obs);
    if (st.terminated) break;  // truncation is a time limit: the dynamics go on
  }
  return r;
}

void add_error(CompoundingError& r, int h, const Eigen::VectorXd& predicted, const Vec& real) {
  const double e = (predicted - real).norm();
  if (!std::isfinite(e)) {
    ++r.diverged[size_t(h - 1)];
    return;
  }
  r.error[size_t(h - 1)] += e;
  ++r.count[size_t(h - 1)];
}

CompoundingError empty_error(int K) {
  CompoundingError r;
  r.horizon.resize(size_t(K));
  std::iota(r.horizon.begin(), r.horizon.end(), 1);
  r.error.assign(size_t(K), 0.0);
  r.count.assign(size_t(K), 0);
  r.diverged.assign(size_t(K), 0);
  return r;
}

void finish(CompoundingError& r) {
  for (size_t h = 0; h < r.error.size(); ++h) r.error[h] = r.count[h] ? r.error[h] / r.count[h] : NAN;
}

}  // namespace

ClosedLoopError closed_loop_error(const ModelStep& model, const Env& env,
                                  const std::vector<RealStart>& starts,
                                  const std::function<Vec(const Vec&)>& policy,
                                  const ClosedLoopErrorOptions& o) {
  if (o.horizon < 1) throw std::invalid_argument("closed_loop_error: horizon must be >= 1");
  const int K = o.horizon, D = env.observation_space().dim(), A = env.action_space().dim();
  const Eigen::Index n = Eigen::Index(starts.size());
  ClosedLoopError out;
  out.closed_loop = empty_error(K);
  if (o.open_loop) out.open_loop = empty_error(K);

  // The truth first, one start at a time on one clone.
  std::vector<TrueRollout> truth;
  truth.reserve(starts.size());
  const std::unique_ptr<Env> sim = env.clone();
  for (const RealStart& s : starts) {
    if (s.obs.size() != D) throw std::invalid_argument("closed_loop_error: start obs size");
    truth.push_back(true_rollout(*sim, s, policy, K));
  }

  // The model, all starts in one batch per step: closed loop (the policy on s_hat) and open loop
  // (the true actions); rows whose true series has ended keep stepping but are not counted.
  Eigen::MatrixXd closed(n, D), open(n, D), a(n, A), a_open = Eigen::MatrixXd::Zero(n, A);
  for (Eigen::Index i = 0; i < n; ++i) closed.row(i) = starts[size_t(i)].obs.transpose();
  open = closed;
  for (int h = 1; h <= K && n > 0; ++h) {
    for (Eigen::Index i = 0; i < n; ++i) {
      const TrueRollout& t = truth[size_t(i)];
      a.row(i) = policy(closed.row(i).transpose()).transpose();
      if (h - 1 < int(t.actions.size())) a_open.row(i) = t.actions[size_t(h - 1)].transpose();
    }
    closed = model(closed, a);
    if (o.open_loop) open = model(open, a_open);
    for (Eigen::Index i = 0; i < n; ++i) {
      const TrueRollout& t = truth[size_t(i)];
      if (h >= int(t.states.size())) continue;  // terminated before step h
      add_error(out.closed_loop, h, closed.row(i).transpose(), t.states[size_t(h)]);
      if (o.open_loop) add_error(out.open_loop, h, open.row(i).transpose(), t.states[size_t(h)]);
    }
  }
  finish(out.closed_loop);
  if (o.open_loop) finish(out.open_loop);
  return out;
}

Figure model_error_vs_k_figure(const std::vector<double>& closed_loop,
                               const std::vector<double>& open_loop, int k) {
  Figure f{"model_error_vs_k",
           "model error vs k",
           "rollout length k",
           "||s_hat_k - s_k||",
           {},
           false};
  auto add = [&](const std::string& label, const std::vector<double>& err, int colour) {
    if (err.empty()) return;
    Series& s = f.series_named(label);
    for (size_t i = 0; i < err.size(); ++i) s.x.push_back(double(i + 1)), s.y.push_back(err[i]);
    s.colour = colour;
  };
  // The closed loop, the point of the plot, is drawn last (on top).
  add("open loop", open_loop, 1);
  add("closed loop", closed_loop, 0);
  f.log_y = spans_orders_of_magnitude(f, 10);
  double lo = INFINITY, hi = 0;
  for (const Series& s : f.series)
    for (double y : s.y)
      if (std::isfinite(y) && (y > 0 || !f.log_y)) lo = std::min(lo, y), hi = std::max(hi, y);
  if (hi > 0 && lo <= hi) {
    Series& line = f.series_named("k = " + std::to_string(k));
    line.x = {double(k), double(k)};
    line.y = {lo, hi};
    line.colour = 3;
  }
  return f;
}

}  // namespace dynalab
