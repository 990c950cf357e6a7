#pragma once
// The lecture's "go right to get higher" world (distribution shift in model-based RL): a car
// (a sliding disc, see car.h) starts on flat ground; to the right a smooth slope rises to a summit
// plateau, which ends in a sheer cliff over a pit. A model fitted on data from the slope learns
// "going right gets higher" and, trusted blindly, drives off the cliff. Observation (x, v): the
// car's position (m) and horizontal velocity (m/s). Engine force in [-1, 1] times `engine_accel`
// m/s^2; the car has rolling resistance (a force against its speed along the ground), so it can
// stop on the plateau. Reward per step: the height of the ground under the car (m), and
// -pit_depth once the car's centre is past the cliff edge, which terminates the episode (it falls
// into the pit). 200 steps of 0.1 s. Driving right at full force goes over the cliff; stopping
// near the summit earns the most.
// clone/set_state: exact; the car touches the ground, so the world is rebuilt from the state at
// every control period (box2d_env.h).

#include "envs/box2d_env.h"
#include "envs/car.h"

namespace dynalab {

struct CliffHillConfig {
  double slope_length = 8.0;  ///< m, from the flat start to the summit
  double summit_height = 2.0; ///< m
  double plateau = 1.5;       ///< m of flat summit before the cliff
  double pit_depth = 4.0;     ///< m below the start level
  double engine_accel = 5.0;  ///< m/s^2 at full throttle
  /// Rolling resistance, 1/s (deceleration per m/s of speed along the ground). The lessons'
  /// presets use 3/s: with the engine off the car then loses 95 % of its speed in a second, so
  /// what a model gets wrong about one action does not carry the car far, and a 30-step plan
  /// executed open loop (lecture 000, v1.0) can stop it on the plateau once the model knows the
  /// cliff. At 0.3/s the car coasts for seconds, and v1.0's first stop on the summit came only at
  /// episode 3 to 9 (seeds 0-5).
  double damping = 0.3;
  double start_x = -1.0;      ///< m, centre of the episode start positions
  double start_spread = 0.5;  ///< m, starts are uniform in start_x +- start_spread
  /// true: the episode terminates as the car passes the cliff edge. false: the car falls into
  /// the pit and stays there, earning -pit_depth every step until the episode is truncated, so
  /// one fall fills the dataset with what the pit is like (the lessons use this).
  bool pit_terminates = true;
  PhysicsSettings physics{0.1, 4, 8, 3, 200};

  template <class V>
  void visit(V& v) {
    v.field("slope_length", slope_length, Range::closed(2, 50), Apply::on_reset, "m");
    v.field("summit_height", summit_height, Range::closed(0.2, 10), Apply::on_reset, "m");
    v.field("plateau", plateau, Range::closed(0.5, 10), Apply::on_reset,
            "flat summit before the cliff, m");
    v.field("pit_depth", pit_depth, Range::closed(1, 50), Apply::on_reset, "m below the start");
    v.field("engine_accel", engine_accel, Range::closed(0, 100), Apply::on_reset,
            "full-throttle acceleration, m/s^2");
    v.field("damping", damping, Range::closed(0, 10), Apply::on_reset, "rolling resistance, 1/s");
    v.field("start_x", start_x, Range::closed(-2.5, 50), Apply::on_reset, "centre of the start positions, m");
    v.field("start_spread", start_spread, Range::closed(0, 5), Apply::on_reset, "start positions start_x +- this, m");
    v.field("pit_terminates", pit_terminates, Apply::on_reset,
            "the episode ends at the cliff edge (false: the car lies in the pit until the end)");
    physics.visit(v);
  }
};

class CliffHill : public Box2DEnv {
 public:
  explicit CliffHill(CliffHillConfig cfg = {});
  std::string name() const override { return "cliff_hill"; }
  Vec reset(uint64_t seed) override;
  Space observation_space() const override;
  Space action_space() const override { return Space::box(1, -1, 1); }
  std::unique_ptr<Env> clone() const override {
    return clone_into(std::make_unique<CliffHill>(cfg_));
  }
  Bounds world_bounds() const override;
  std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const override;
  std::vector<std::string> observation_names() const override { return {"x", "velocity"}; }
  /// On the ground under x; past the cliff edge, where a car leaving the plateau at speed v
  /// is after falling for (x - edge) / v seconds (then on the pit floor).
  std::optional<Vec2> obs_position(const Vec& obs) const override;
  /// Position (m) from the left wall to 1 m past the cliff edge x velocity (m/s) within the
  /// speed the engine holds against the rolling resistance (engine_accel / damping, at most 10).
  std::optional<StatePlane> state_plane() const override;
  /// Time up, with the cliff edge drawn through the band: where an imagined car falls.
  FutureLayout future_layout() const override {
    return {FutureLayout::time_up, {{{cliff_x(), ground_height(cliff_x() - 1e-6)}, "cliff"}}};
  }
  Vec observe() const override;
  /// The solid ground under the flat start and the slope (left of the cliff, below the start
  /// level): the car and the paths never go there.
  std::optional<Bounds> legend_area() const override {
    return Bounds{{kLeft + 0.2, -cfg_.pit_depth + 0.2}, {cliff_x() - 0.3, -0.3}};
  }
  /// Past the cliff edge: in the pit, whether or not the episode ends there (pit_terminates).
  bool failure(const Vec& obs) const override { return obs.size() > 0 && obs[0] > cliff_x(); }
  std::string failure_name() const override { return "ends in the pit"; }
  /// Height of the ground (m) at x (m); the pit floor past the cliff.
  double ground_height(double x) const;
  /// Slope dh/dx of the ground at x (0 on the flats and over the pit).
  double ground_slope(double x) const;
  /// x of the cliff edge (m).
  double cliff_x() const { return cfg_.slope_length + cfg_.plateau; }
  /// The car's physics with the engine gain, rolling resistance and gravity unknown (the shape
  /// of the hill known): system identification's grey-box model (cliff_hill.cpp says how the
  /// equations follow from apply_action() and Box2D's sub-steps).
  std::optional<ParametricDynamics> parametric_dynamics() const override;
  /// Starts an episode with the car resting at x (m) with speed v (m/s) along the ground.
  void place_car(double x, double v);

 protected:
  void build(b2World& world) override;
  void apply_action(const Vec& action) override;
  bool is_terminal(const Vec& obs) const override { return cfg_.pit_terminates && obs[0] > cliff_x(); }
  Color body_color(int) const override { return palette::agent.with_alpha(0.2f); }
  void draw_foreground(Canvas& canvas) const override;
  void draw_background(Canvas& canvas) const override;

 private:
  std::vector<Vec2> profile() const;  // the terrain, left to right
  bool on_ground(const BodyState& b) const;
  CliffHillConfig cfg_;
  CarShape car_;
  double car_mass_ = 1.0;
  static constexpr double kLeft = -3.0, kPitWidth = 4.0, kGravity = 9.8;  // m, m, m/s^2
};

std::unique_ptr<Env> make_cliff_hill(ConfigNode& node);

}  // namespace dynalab
