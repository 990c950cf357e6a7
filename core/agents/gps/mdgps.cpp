#include "core/agents/gps/mdgps.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/agents/gps/gps_state.h"
#include "core/agents/gps/policy_linearization.h"
#include "core/agents/gps/trajectory_distribution.h"
#include "core/planning/local_linear_fit.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {

/// cbfinn/gps's initial_state_var: the floor of the start distribution's variance.
constexpr double kGpsInitialStateVar = 1e-6;

}  // namespace

Mdgps::Mdgps(const MdgpsConfig& cfg, int obs_dim, int action_dim, int horizon,
             std::shared_ptr<const DifferentiableReward> reward, const RunSeed& seed)
    : cfg_(cfg), obs_dim_(obs_dim), action_dim_(action_dim), T_(horizon), reward_(std::move(reward)), seed_(seed) {
  for (int d : cfg.distance_dims)
    if (d < 0 || d >= obs_dim)
      throw InputError("gps.distance_dims: expected observation dims below " + std::to_string(obs_dim) + ", got " +
                       std::to_string(d));
  if (horizon < 1) throw std::invalid_argument("Mdgps: the horizon must be >= 1");
  Rng init = seed.stream(13);
  policy_ = GlobalPolicy(cfg.policy, obs_dim, action_dim, init);
  cond_.resize(size_t(cfg.conditions));
  for (auto& c : cond_) {
    c.controller = LinearGaussianController::constant(T_, obs_dim, Vec::Zero(action_dim), cfg.init_var);
    c.prior = DynamicsPriorGmm(cfg.dynamics.gmm);
  }
}

double Mdgps::distance(const Vec& obs) const {
  if (cfg_.distance_dims.empty()) return LocalControllerView::kNone;
  double s = 0;
  for (int d : cfg_.distance_dims) s += obs[d] * obs[d];
  return std::sqrt(s);
}

LocalControllerView::Condition& Mdgps::record(int m) {
  if (records_.empty() || records_.back()->iteration != iteration_) {
    auto it = std::make_shared<LocalControllerView::Iteration>();
    it->iteration = iteration_;
    it->conditions.resize(size_t(cfg_.conditions));
    records_.push_back(std::move(it));
  }
  // Copy on write: a published snapshot may hold the old record.
  auto copy = std::make_shared<LocalControllerView::Iteration>(*records_.back());
  records_.back() = copy;
  return copy->conditions[size_t(m)];
}

void Mdgps::add_sample(int m, GpsRollout r) {
  if (phase_ != Phase::sample) throw std::logic_error("Mdgps::add_sample while processing");
  if (int(r.U.size()) != T_ || int(r.X.size()) != T_ + 1) throw std::invalid_argument("Mdgps::add_sample: a rollout of another length");
  Condition& c = cond_[size_t(m)];
  if (int(c.samples.size()) >= cfg_.samples) throw std::logic_error("Mdgps::add_sample: condition already has its samples");
  LocalControllerView::Condition& rec = record(m);
  rec.samples.push_back(r.X);
  c.samples.push_back(std::move(r));
  // Mean cost and final distance over the samples so far.
  double cost = 0, dist = 0;
  for (const auto& s : c.samples) {
    cost += s.cost;
    dist += distance(s.X.back());
  }
  rec.sample_cost = cost / double(c.samples.size());
  rec.final_distance = dist / double(c.samples.size());
  for (const auto& cc : cond_)
    if (int(cc.samples.size()) < cfg_.samples) return;
  phase_ = Phase::fit;
  fit_next_ = 0;
  inner_ = 0;
}

void Mdgps::add_policy_rollout(int m, GpsRollout r) {
  if (phase_ != Phase::sample) throw std::logic_error("Mdgps::add_policy_rollout while processing");
  LocalControllerView::Condition& rec = record(m);
  rec.policy_cost = r.cost;
  rec.policy_final_distance = distance(r.X.back());
  rec.policy_rollout = std::move(r.X);
  if (++policy_rollouts_ < cfg_.conditions) return;
  // The iteration is complete: the updated controllers sample the next one.
  policy_rollouts_ = 0;
  for (auto& c : cond_) {
    c.prev_sample_cost = 0;
    for (const auto& s : c.samples) c.prev_sample_cost += s.cost / double(c.samples.size());
    c.samples.clear();
  }
  ++iteration_;
}

std::string Mdgps::phase_name() const {
  switch (phase_) {
    case Phase::sample: return "sample";
    case Phase::fit: return "fit";
    case Phase::catch_up: return "s-step (initial controllers)";
    case Phase::c_step: return "c-step";
    case Phase::s_step: return "s-step";
  }
  return "";
}

void Mdgps::work() {
  switch (phase_) {
    case Phase::sample:
      return;
    case Phase::fit:
      fit_condition(fit_next_);
      if (++fit_next_ < cfg_.conditions) return;
      if (iteration_ == 0) {
        start_s_step(false);
        phase_ = Phase::catch_up;
      } else {
        phase_ = Phase::c_step;
      }
      return;
    case Phase::catch_up:
      if (policy_.train(cfg_.policy.steps_per_tick)) phase_ = Phase::c_step;
      return;
    case Phase::c_step:
      c_step();
      start_s_step(true);
      phase_ = Phase::s_step;
      return;
    case Phase::s_step:
      if (!policy_.train(cfg_.policy.steps_per_tick)) return;
      if (++inner_ < cfg_.inner_iterations) {
        phase_ = Phase::c_step;
        return;
      }
      for (auto& c : cond_) c.controller = c.updated;
      phase_ = Phase::sample;  // the policy's rollouts, then the next iteration's samples
      return;
  }
}

void Mdgps::fit_condition(int m) {
  Condition& c = cond_[size_t(m)];
  std::vector<std::vector<Vec>> X, U;
  for (const auto& s : c.samples) {
    X.push_back(s.X);
    U.push_back(s.U);
  }
  if (cfg_.dynamics.prior == "gmm") {
    Rng rng = Rng::derive(seed_.seed, {uint64_t(seed_.run), 11, uint64_t(iteration_), uint64_t(m)});
    c.prior.update(X, U, rng);
    c.dynamics = fit_dynamics_with_prior(X, U, c.prior, cfg_.dynamics.regularization);
  } else {
    c.dynamics = fit_local_linear(X, U, cfg_.dynamics.regularization);
  }
  // The start distribution: the samples' mean, their variance floored (cbfinn/gps).
  const int N = int(X.size());
  c.x0_mean = Vec::Zero(obs_dim_);
  for (const auto& x : X) c.x0_mean += x[0];
  c.x0_mean /= N;
  Vec var = Vec::Zero(obs_dim_);
  for (const auto& x : X) var += (x[0] - c.x0_mean).cwiseAbs2();
  var /= N;
  c.x0_cov = var.cwiseMax(kGpsInitialStateVar).asDiagonal();
  c.cost = expand_sample_costs(*reward_, c.dynamics, X, U);
}

PolicyRegressionData Mdgps::s_step_data(bool use_updated) const {
  PolicyRegressionData d;
  for (const auto& c : cond_) {
    const LinearGaussianController& p = use_updated ? c.updated : c.controller;
    for (const auto& s : c.samples)
      for (int t = 0; t < T_; ++t) {
        d.obs.push_back(s.X[size_t(t)]);
        d.target_mean.push_back(p.mean(t, s.X[size_t(t)]));
        d.target_precision.push_back(p.precision[size_t(t)]);
      }
  }
  return d;
}

void Mdgps::start_s_step(bool use_updated) {
  s_step_updated_ = use_updated;
  Rng rng = Rng::derive(seed_.seed, {uint64_t(seed_.run), 12, uint64_t(iteration_), uint64_t(use_updated ? inner_ + 1 : 0)});
  policy_.begin_fit(s_step_data(use_updated), rng);
}

void Mdgps::c_step() {
  const int M = cfg_.conditions;
  const bool traj_opt = cfg_.algorithm == "traj_opt";
  // Linearise pi_theta around each condition's samples; the expected costs under this fit.
  std::vector<double> policy_cost(static_cast<size_t>(M), 0.0), sample_cost(static_cast<size_t>(M), 0.0),
      controller_cost(static_cast<size_t>(M), 0.0);
  for (int m = 0; m < M; ++m) {
    Condition& c = cond_[size_t(m)];
    std::vector<std::vector<Vec>> X, mu;
    std::vector<std::vector<Eigen::MatrixXd>> J;
    const bool jac = cfg_.policy_linearization == "jacobian";
    for (const auto& s : c.samples) {
      X.push_back(s.X);
      const Eigen::MatrixXd a = policy_.means(s.X);
      std::vector<Vec> rows;
      for (int t = 0; t < T_; ++t) rows.push_back(a.row(t).transpose());
      mu.push_back(std::move(rows));
      if (jac) J.push_back(policy_.jacobians(s.X));
    }
    c.policy_lin = jac ? linearize_policy_jacobian(X, mu, J, policy_.variance(), T_)
                       : linearize_policy(X, mu, policy_.variance(), T_);
    policy_cost[size_t(m)] = expected_cost(c.cost, forward_pass(c.policy_lin, c.dynamics, c.x0_mean, c.x0_cov));
    controller_cost[size_t(m)] = expected_cost(c.cost, forward_pass(c.controller, c.dynamics, c.x0_mean, c.x0_cov));
    for (const auto& s : c.samples) sample_cost[size_t(m)] += s.cost / double(c.samples.size());
  }
  // Step adjustment, once per batch of samples: model the improvement as a function of the KL
  // step and move the multiplier towards its optimum, pred / (2 (pred - actual)) times the old
  // one (cbfinn/gps algorithm.py, _set_new_mult). MDGPS: one multiplier from the means over the
  // conditions, of the global policy's costs; traj_opt: one per condition, of its controller's.
  // With step_rule "fixed" the Laplace estimates are still recorded (the view's predicted vs
  // actual change); the multiplier stays.
  if (iteration_ > 0 && inner_ == 0) {
    const bool mc = cfg_.step_rule == "mc";
    auto new_mult = [](double predicted_impr, double actual_impr) {
      return std::clamp(predicted_impr / (2 * std::max(1e-4, predicted_impr - actual_impr)), 0.1, 5.0);
    };
    double prev_mean = 0, predicted_mean = 0, now_mean = 0;
    for (int m = 0; m < M; ++m) {
      Condition& c = cond_[size_t(m)];
      const double prev = mc ? c.prev_sample_cost : traj_opt ? c.prev_controller_cost : c.prev_policy_cost;
      const double now = mc ? sample_cost[size_t(m)] : traj_opt ? controller_cost[size_t(m)] : policy_cost[size_t(m)];
      LocalControllerView::Condition& rec = record(m);
      rec.predicted_improvement = prev - c.prev_predicted_cost;
      rec.actual_improvement = prev - now;
      prev_mean += prev / M;
      predicted_mean += c.prev_predicted_cost / M;
      now_mean += now / M;
      if (traj_opt && cfg_.step_rule != "fixed")
        c.step_mult = std::clamp(new_mult(rec.predicted_improvement, rec.actual_improvement) * c.step_mult,
                                 cfg_.min_step_mult, cfg_.max_step_mult);
    }
    if (!traj_opt && cfg_.step_rule != "fixed") {
      const double mult = new_mult(prev_mean - predicted_mean, prev_mean - now_mean);
      for (auto& c : cond_) c.step_mult = std::clamp(mult * c.step_mult, cfg_.min_step_mult, cfg_.max_step_mult);
    }
  }
  // The KL-constrained update of every local controller towards pi_theta's linearisation (or,
  // traj_opt, its previous self).
  for (int m = 0; m < M; ++m) {
    Condition& c = cond_[size_t(m)];
    const double target = cfg_.kl_step * c.step_mult * T_;
    const LinearGaussianController& p_old = traj_opt ? c.controller : c.policy_lin;
    const KlStepResult r = kl_constrained_update(c.dynamics, c.cost, p_old, c.x0_mean, c.x0_cov, target, c.eta);
    c.updated = r.controller;
    c.eta = r.eta;
    c.prev_policy_cost = policy_cost[size_t(m)];
    c.prev_controller_cost = controller_cost[size_t(m)];
    c.prev_predicted_cost = expected_cost(c.cost, r.marginals);
    LocalControllerView::Condition& rec = record(m);
    rec.kl = r.kl;
    rec.kl_target = target;
    rec.eta = r.eta;
    rec.step_mult = c.step_mult;
    rec.nominal.clear();
    for (int t = 0; t <= T_; ++t) rec.nominal.push_back(r.marginals.state_mean(t));
  }
}

void Mdgps::visit_state(StateVisitor& v) {
  v.field("iteration", iteration_);
  v.field("inner", inner_);
  v.field("fit_next", fit_next_);
  v.field("policy_rollouts", policy_rollouts_);
  int phase = int(phase_);
  v.bounded("phase", phase, 0, int(Phase::s_step));
  phase_ = Phase(phase);
  v.field("s_step_updated", s_step_updated_);
  v.section("policy", [&](StateVisitor& pv) { policy_.visit_state(pv); });
  v.records(
      "conditions", cond_.size(),
      [&](size_t n) {
        if (n != cond_.size()) v.fail("conditions", std::to_string(cond_.size()) + " conditions");
      },
      [&](size_t i, StateVisitor& cv) {
        Condition& c = cond_[i];
        visit_gps_controller(cv, "controller", c.controller);
        visit_gps_controller(cv, "updated", c.updated);
        visit_gps_controller(cv, "policy_lin", c.policy_lin);
        cv.records(
            "samples", c.samples.size(), [&](size_t n) { c.samples.assign(n, {}); },
            [&](size_t j, StateVisitor& sv) {
              visit_gps_vectors(sv, "X", c.samples[j].X);
              visit_gps_vectors(sv, "U", c.samples[j].U);
              sv.field("cost", c.samples[j].cost);
            });
        cv.section("prior", [&](StateVisitor& pv) { c.prior.visit_state(pv); });
        visit_gps_dynamics(cv, "dynamics", c.dynamics);
        visit_gps_vec(cv, "x0_mean", c.x0_mean);
        visit_gps_matrix(cv, "x0_cov", c.x0_cov);
        cv.section("cost", [&](StateVisitor& kv) {
          kv.field("cc", c.cost.cc);
          visit_gps_vectors(kv, "cv", c.cost.cv);
          visit_gps_matrices(kv, "Cm", c.cost.Cm);
        });
        cv.field("eta", c.eta);
        cv.field("step_mult", c.step_mult);
        cv.field("prev_controller_cost", c.prev_controller_cost);
        cv.field("prev_policy_cost", c.prev_policy_cost);
        cv.field("prev_predicted_cost", c.prev_predicted_cost);
        cv.field("prev_sample_cost", c.prev_sample_cost);
      });
  // The S-step in progress: its data are a function of the saved samples and controllers.
  if (v.loading() && (phase_ == Phase::catch_up || phase_ == Phase::s_step) && policy_.fitting())
    policy_.restore_fit_data(s_step_data(s_step_updated_));
  // The records (gps_iterations.csv and the view).
  std::vector<LocalControllerView::Iteration> recs;
  if (!v.loading())
    for (const auto& r : records_) recs.push_back(*r);
  v.records(
      "records", recs.size(), [&](size_t n) { recs.assign(n, {}); },
      [&](size_t i, StateVisitor& rv) {
        LocalControllerView::Iteration& it = recs[i];
        rv.field("iteration", it.iteration);
        rv.records(
            "conditions", it.conditions.size(), [&](size_t n) { it.conditions.assign(n, {}); },
            [&](size_t j, StateVisitor& cv) {
              LocalControllerView::Condition& c = it.conditions[j];
              visit_gps_rollouts(cv, "samples", c.samples);
              visit_gps_vectors(cv, "nominal", c.nominal);
              visit_gps_vectors(cv, "policy_rollout", c.policy_rollout);
              cv.field("sample_cost", c.sample_cost);
              cv.field("policy_cost", c.policy_cost);
              cv.field("final_distance", c.final_distance);
              cv.field("policy_final_distance", c.policy_final_distance);
              cv.field("kl", c.kl);
              cv.field("kl_target", c.kl_target);
              cv.field("eta", c.eta);
              cv.field("step_mult", c.step_mult);
              cv.field("predicted_improvement", c.predicted_improvement);
              cv.field("actual_improvement", c.actual_improvement);
            });
      });
  if (v.loading()) {
    records_.clear();
    for (auto& r : recs) records_.push_back(std::make_shared<const LocalControllerView::Iteration>(std::move(r)));
  }
}

}  // namespace dynalab
