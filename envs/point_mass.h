#pragma once
// A 1-D point mass for planner tests and the first MPC lesson, closed form and exact:
//   vel' = vel + a * dt,  pos' = pos + vel' * dt,  a in [-1, 1]
// (dt = 1 is the lecture's "vel += a; pos += vel"). Reward
//   r = -(pos_cost pos'^2 + vel_cost vel'^2 + action_cost a^2)   (defaults 1, 0.1, 0.01):
// the origin at rest is the goal. Episodes start at rest at a position uniform in
// [-init_pos, init_pos] (from the reset seed), or at init_pos itself with random_start false,
// and never terminate; they truncate after max_episode_steps. Observation (pos, vel); state
// (pos, vel, step). random_start false, init_pos 1, costs (0.001, 0, 0) and 30 steps is
// mbrl-lib's MockLineEnv (tests/algorithms/test_algorithms.py), the env of its MBPO test.

#include "core/config.h"
#include "core/env.h"

namespace dynalab {

struct PointMassConfig {
  double dt = 1.0;             ///< time step (s)
  double init_pos = 3.0;       ///< start position is uniform in [-init_pos, init_pos]
  int max_episode_steps = 30;  ///< truncation limit
  bool random_start = true;    ///< start uniform in [-init_pos, init_pos]; false: at init_pos
  double pos_cost = 1.0;       ///< reward weight of pos'^2
  double vel_cost = 0.1;       ///< reward weight of vel'^2
  double action_cost = 0.01;   ///< reward weight of a^2

  template <class V>
  void visit(V& v) {
    v.field("dt", dt, Range{0, 10, true, false}, Apply::on_reset, "time step (s)");
    v.field("init_pos", init_pos, Range::closed(0, 100), Apply::on_reset,
            "start position range [-x, x]");
    v.field("max_episode_steps", max_episode_steps, Range::closed(1, 1e7), Apply::on_reset);
    v.field("random_start", random_start, Apply::on_reset,
            "start uniform in [-init_pos, init_pos] (false: at init_pos)");
    v.field("pos_cost", pos_cost, Range::closed(0, 1e6), Apply::on_reset, "reward weight of pos^2");
    v.field("vel_cost", vel_cost, Range::closed(0, 1e6), Apply::on_reset, "reward weight of vel^2");
    v.field("action_cost", action_cost, Range::closed(0, 1e6), Apply::on_reset,
            "reward weight of a^2");
  }
};

class PointMass : public Env {
 public:
  explicit PointMass(PointMassConfig cfg = {}) : cfg_(cfg) {}
  std::string name() const override { return "point_mass"; }
  Vec reset(uint64_t seed) override;
  StepResult step(const Vec& action) override;
  Space observation_space() const override;
  Space action_space() const override { return Space::box(1, -1.0, 1.0); }
  std::unique_ptr<Env> clone() const override { return std::make_unique<PointMass>(*this); }
  std::vector<double> get_state() const override { return {pos_, vel_, double(step_)}; }
  void set_state(const std::vector<double>& state) override;
  void draw(Canvas& canvas) const override;
  Bounds world_bounds() const override;
  int max_episode_steps() const override { return cfg_.max_episode_steps; }
  int episode_step() const override { return step_; }
  std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  /// Never: episodes end by truncation only.
  std::optional<bool> terminated(const Vec&, const Vec&, const Vec&) const override { return false; }
  std::vector<std::string> observation_names() const override { return {"pos", "vel"}; }
  /// (pos, vel) is the whole state.
  bool set_observation(const Vec& obs) override;
  /// Exact: pos' = pos + dt vel', vel' = vel + dt a (B = 0 where the action is clipped).
  bool dynamics_jacobians(const Vec& obs, const Vec& action, Eigen::MatrixXd& A,
                          Eigen::MatrixXd& B) const override;
  std::optional<Vec2> obs_position(const Vec& obs) const override { return Vec2{obs[0], 0.0}; }
  FutureLayout future_layout() const override { return {FutureLayout::time_up, {}}; }

  double pos() const { return pos_; }
  double vel() const { return vel_; }

 private:
  /// The reward of a step that ends at (pos, vel) after action a (clipped).
  double reward_at(double pos, double vel, double a) const {
    return -(cfg_.pos_cost * pos * pos + cfg_.vel_cost * vel * vel + cfg_.action_cost * a * a);
  }

  PointMassConfig cfg_;
  double pos_ = 0, vel_ = 0;
  int step_ = 0;
};

/// Builds a point mass from its config section.
std::unique_ptr<Env> make_point_mass(ConfigNode& node);

}  // namespace dynalab
