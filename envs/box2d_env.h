#pragma once
// The Box2D plumbing shared by every physics env: world creation, stepping one control period in
// fixed sub-steps, the state vector (every dynamic body's pose and velocity), exact restore,
// and drawing every body, fixture and joint through a Canvas.
//
// Exactness of clone()/get_state()/set_state(): Box2D keeps state beyond poses and velocities
// (warm-starting impulses, the contact list and its order, broad-phase tree shape, sleep
// timers, TOI sweeps). Every world here is built so that none of it matters:
//  - warm starting off: joint and contact impulses start from zero every sub-step;
//  - continuous physics (TOI) and sleeping off;
//  - every dynamic body has its centre of mass at its origin (set explicitly with SetMassData),
//    so the pose Box2D integrates (sweep centre and angle) is exactly the pose we save;
//  - envs with contacts rebuild the world from the saved state at the start of every control
//    period (`rebuild_each_step`), so the contact list and broad-phase tree are a function of the
//    state vector alone, in the original run as in a clone. Envs without contacts (bodies
//    collide with nothing) just set poses and velocities.
// Result: a restored env continues bit for bit like the original (tested for every env).
// Box2D itself is kept out of this header (forward declarations), so only envs/*.cpp include it.

#include <memory>
#include <span>
#include <vector>

#include "core/config.h"
#include "core/env.h"

class b2World;
class b2Body;

namespace dynalab {

/// Control period, sub-steps and solver iterations of a physics env (fields of its config).
struct PhysicsSettings {
  double control_dt = 0.05;     ///< seconds per env step
  int substeps = 4;             ///< Box2D steps per env step
  int velocity_iterations = 8;  ///< Box2D velocity solver iterations per sub-step
  int position_iterations = 3;  ///< Box2D position solver iterations per sub-step
  int max_episode_steps = 200;  ///< truncation limit

  template <class V>
  void visit(V& v) {
    v.field("control_dt", control_dt, Range::closed(1e-3, 1.0), Apply::on_reset,
            "seconds per env step");
    v.field("substeps", substeps, Range::closed(1, 100), Apply::on_reset,
            "Box2D sub-steps per env step");
    v.field("velocity_iterations", velocity_iterations, Range::closed(1, 100), Apply::on_reset);
    v.field("position_iterations", position_iterations, Range::closed(0, 100), Apply::on_reset);
    v.field("max_episode_steps", max_episode_steps, Range::closed(1, 1e7), Apply::on_reset,
            "truncation limit");
  }
};

/// Pose and velocity of one body, in world units (m, rad, m/s, rad/s).
struct BodyState {
  double x = 0, y = 0, angle = 0, vx = 0, vy = 0, w = 0;
};

class Box2DEnv : public Env {
 public:
  ~Box2DEnv() override;
  StepResult step(const Vec& action) override;
  std::vector<double> get_state() const override;
  void set_state(const std::vector<double>& state) override;
  void draw(Canvas& canvas) const override;
  int max_episode_steps() const override { return physics_.max_episode_steps; }
  std::optional<double> control_dt() const override { return physics_.control_dt; }
  int episode_step() const override { return step_; }
  /// Mouse-joint-like pull: force m * (k * (target - anchor) - c * v_anchor) at the grabbed
  /// point, k = (2 pi 2 Hz)^2, damping ratio 0.7, m the body's mass (so it feels the same on
  /// every env). Survives rebuilds (the body is kept by index) and is copied by clone().
  bool perturb(Vec2 at, Vec2 target) override;
  void clear_perturbation() override { grab_body_ = -1; }
  bool grabbable() const override { return true; }
  std::optional<Vec2> perturbation_anchor() const override;
  /// is_terminal(s_next): every physics env ends an episode by where it is, not how it got there.
  std::optional<bool> terminated(const Vec&, const Vec&, const Vec& s_next) const override {
    return is_terminal(s_next);
  }

  /// The current observation.
  virtual Vec observe() const = 0;
  /// Pose and velocity of dynamic body `i` (in creation order).
  BodyState body_state(int i) const;
  int body_count() const { return static_cast<int>(bodies_.size()); }
  const PhysicsSettings& physics() const { return physics_; }

 protected:
  /// Derived constructors call rebuild() and reset() once their own config is stored.
  Box2DEnv(PhysicsSettings physics, Vec2 gravity, bool rebuild_each_step);
  Box2DEnv(const Box2DEnv&) = delete;
  /// clone() of a derived env: `fresh` (built from the same config) takes this env's state.
  std::unique_ptr<Env> clone_into(std::unique_ptr<Box2DEnv> fresh) const;

  /// Creates every body, fixture and joint in a fixed order; dynamic bodies must be added with
  /// add_body so the state vector knows them. Called on construction and on every rebuild.
  virtual void build(b2World& world) = 0;
  /// Applies the (clipped) action as forces/torques; called before every sub-step because
  /// Box2D clears forces after each step.
  virtual void apply_action(const Vec& action) = 0;
  /// Hook after the sub-steps of a control period (e.g. speed limits as in Gymnasium).
  virtual void after_physics() {}
  /// True if the episode ends in this observation (goal, pit, pole fell).
  virtual bool is_terminal(const Vec& obs) const = 0;
  /// Env-specific state beyond the bodies (e.g. a target position), saved after them.
  virtual std::vector<double> extra_state() const { return {}; }
  virtual void set_extra_state(std::span<const double> extra) { (void)extra; }
  virtual int extra_state_size() const { return 0; }
  /// Fill colour of dynamic body `i` (static bodies are drawn as ground).
  virtual Color body_color(int i) const;
  /// Draws what lies behind the bodies (sky, terrain fill, goal); default nothing.
  virtual void draw_background(Canvas& canvas) const { (void)canvas; }
  /// Draws what lies over the bodies (labels, force arrow); default nothing.
  virtual void draw_foreground(Canvas& canvas) const { (void)canvas; }

  /// Registers a dynamic body (its state is saved) and centres its mass at its origin with the
  /// given mass (kg) and rotational inertia about the centre (kg m^2).
  b2Body* add_body(b2Body* body, double mass, double inertia);
  /// Builds a fresh world (same gravity and flags) and lets the env populate it.
  void rebuild();
  /// Sets every dynamic body's pose and velocity (rebuilding first if the env has contacts).
  void restore_bodies(const std::vector<BodyState>& states);
  /// Starts an episode from the given body states (step counter 0).
  void start_episode(const std::vector<BodyState>& states);
  b2Body* body(int i) const { return bodies_[i]; }
  /// During a rebuild from a state: the body states about to be restored (build() may use them,
  /// e.g. to create only the terrain near the car); nullptr otherwise.
  const std::vector<BodyState>* restoring() const { return restoring_; }
  b2World& world() const { return *world_; }

  PhysicsSettings physics_;
  Vec last_action_;  ///< clipped action of the last step (drawn as an arrow), zero after reset

 private:
  Vec2 gravity_;
  bool rebuild_each_step_;
  std::unique_ptr<b2World> world_;
  std::vector<b2Body*> bodies_;
  const std::vector<BodyState>* restoring_ = nullptr;
  int step_ = 0;
  // Active grab (perturb()): body index (-1: none), grabbed point in body coordinates, target.
  int grab_body_ = -1;
  Vec2 grab_local_{}, grab_target_{};
  void apply_perturbation();
};

/// Angle wrapped to [-pi, pi).
double wrap_angle(double a);

/// Fills the ground under a terrain profile (points left to right) down to y = bottom, as
/// convex strips (Canvas polygons are convex).
void draw_ground_fill(Canvas& canvas, std::span<const Vec2> profile, double bottom);

/// A goal flag on a pole of height `h` (m) standing at `base`.
void draw_flag(Canvas& canvas, Vec2 base, double h);

}  // namespace dynalab
