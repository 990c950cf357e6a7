#pragma once
// The environment interface of dynalab, Gymnasium-style. Grid worlds and Box2D worlds (envs/)
// implement it; agents, planners and the GUI only see this.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/canvas.h"
#include "core/grid_layout.h"
#include "core/parametric_dynamics.h"
#include "core/space.h"

namespace dynalab {

struct StepResult {
  Vec obs;
  double reward = 0.0;
  bool terminated = false;  ///< the episode ended inside the MDP (goal, pit, pole fell)
  bool truncated = false;   ///< the episode was cut by the step limit
};

/// A 2-D slice of an env's state space for value maps (the critic heat map of a policy
/// learner): two named physical coordinates over a range and the observation at each point
/// (pendulum: angle x angular velocity; its observation is (cos, sin, angular velocity)).
struct StatePlane {
  std::string x_label, y_label;  ///< the coordinates' names with units
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  /// The observation at coordinates (x, y) (the other state variables at rest).
  std::function<Vec(double x, double y)> obs;
  /// The coordinates of an observation (for the current state's marker).
  std::function<Vec2(const Vec& obs)> coords;
};

/// How a planner's imagined futures are best drawn over an env (the overlays ask the env, never
/// its type or name). Futures drawn in place hide each other when positions lie on a line (a car
/// on a hill) or a circle (a pendulum's tip), so time becomes a second dimension there.
struct FutureLayout {
  enum Kind {
    in_place,  ///< each predicted observation at obs_position()
    time_up,   ///< a band above the world: x from the prediction, height = steps ahead
    radial,    ///< obs_position()'s direction, the radius growing with the steps ahead
  } kind = in_place;
  /// time_up: a danger line drawn from `base` (world units) up through the band, labelled.
  struct Mark {
    Vec2 base;
    std::string label;
  };
  std::vector<Mark> marks;
};

/// An unstable equilibrium of an env's physics and the rate its linearisation predicts: near it
/// small deviations grow like exp(rate * t), so Jacobian products of a rollout (backprop through
/// the dynamics) grow geometrically at that rate (deck 001, "What's the problem with backprop
/// into policy?"). From the env's own equations, not measured.
struct UnstableEquilibrium {
  Vec obs;             ///< the equilibrium's observation (zero action holds it)
  double rate = 0;     ///< the unstable eigenvalue of the continuous-time linearisation, 1/s
  double control_dt = 0;  ///< s per env step: the rate per step is rate * control_dt
  std::string formula;    ///< the rate's formula and value in words, for plots and docs
};

class Env;

/// An observation made of camera frames: `frames` stacked frames of size x size gray values in
/// [0, 1], oldest first, the newest last (frames * size * size values); `inner` is the env the
/// camera shows, whose observation() is the true state behind the newest frame (for probes and
/// plots, never for the agent).
struct PixelLayout {
  int size = 0, frames = 0;
  const Env* inner = nullptr;
  std::function<Vec()> true_observation;  ///< the inner env's observation now
};

class Env {
 public:
  virtual ~Env() = default;
  /// Registered name, e.g. "grid_world" or "pendulum".
  virtual std::string name() const = 0;
  /// Starts an episode; all randomness of the episode start comes from `seed`.
  virtual Vec reset(uint64_t seed) = 0;
  /// Advances one control period with `action` (clipped to the action space).
  virtual StepResult step(const Vec& action) = 0;
  virtual Space observation_space() const = 0;
  virtual Space action_space() const = 0;
  /// A true-dynamics copy in the same state (for oracle planning and "imagination").
  virtual std::unique_ptr<Env> clone() const = 0;
  /// The complete simulator state, including the step counter, as a flat vector.
  virtual std::vector<double> get_state() const = 0;
  /// Restores a state from get_state(); later steps match the original run exactly.
  virtual void set_state(const std::vector<double>& state) = 0;
  /// Draws the whole world (bodies, terrain, goal, agent) in world units.
  virtual void draw(Canvas& canvas) const = 0;
  /// Marks drawn over the views' overlays (the world view draws them last): what an overlay
  /// must not hide, e.g. a binned world's true state inside its cell. Default: nothing.
  virtual void draw_over(Canvas& canvas) const { (void)canvas; }
  /// The region draw() covers, for fit-to-world.
  virtual Bounds world_bounds() const = 0;
  /// Steps after which an episode is truncated.
  virtual int max_episode_steps() const = 0;
  /// The reward r(s, a, s') in closed form, when the env knows it (planners may use it).
  virtual std::optional<double> reward(const Vec& s, const Vec& a, const Vec& s_next) const {
    (void)s, (void)a, (void)s_next;
    return std::nullopt;
  }
  /// Whether the transition (s, a, s') ends the episode inside the MDP (goal reached, pole
  /// fallen, pit entered), in closed form like reward(): the value step() reports as
  /// `terminated` for that transition. Learned-model rollouts stop accumulating reward after it
  /// (keeping the reward of the terminating step), as the true env does. nullopt when the env
  /// cannot say from the observations (e.g. binned cells that mix terminal and other states);
  /// envs that never terminate return false.
  virtual std::optional<bool> terminated(const Vec& s, const Vec& a, const Vec& s_next) const {
    (void)s, (void)a, (void)s_next;
    return std::nullopt;
  }
  /// Seconds of simulated time per step, for envs that stand for real time (the physics worlds):
  /// data efficiency "in seconds of interaction" as PILCO counts it. nullopt by default.
  virtual std::optional<double> control_dt() const { return std::nullopt; }
  /// The env's unstable equilibrium (the pendulum upright), if its physics has one.
  virtual std::optional<UnstableEquilibrium> unstable_equilibrium() const { return std::nullopt; }
  /// Puts the env in the state whose observation is `obs`, for envs whose observation is their
  /// whole state (a Markov observation); the episode's step counter restarts at 0. Returns false
  /// (changing nothing) if the observation does not determine the state (the default). The true
  /// env's finite-difference Jacobians (core/gradients/env_dynamics.h) step clones from here.
  virtual bool set_observation(const Vec& obs) {
    (void)obs;
    return false;
  }
  /// The exact Jacobians of one step, A = d obs' / d obs (obs_dim x obs_dim) and B = d obs' / d
  /// action (obs_dim x action_dim), for an env that knows them in closed form; false (the
  /// default) leaves finite differences to the caller.
  virtual bool dynamics_jacobians(const Vec& obs, const Vec& action, Eigen::MatrixXd& A,
                                  Eigen::MatrixXd& B) const {
    (void)obs, (void)action, (void)A, (void)B;
    return false;
  }
  /// Whether `obs` is a failure the episode cannot recover from, whether or not the episode ends
  /// there (the cliff hill's pit, a fallen pole; never a goal). The plan overlays draw an
  /// imagined path that reaches one in a colour of its own (red), named by failure_name().
  virtual bool failure(const Vec& obs) const {
    (void)obs;
    return false;
  }
  /// The failure in a few words for a legend ("ends in the pit"); empty: the env has none.
  virtual std::string failure_name() const { return {}; }
  /// True if step() is a function of the state and the action (no random draw after reset):
  /// then an ensemble's aleatoric (noise) part has nothing real to show, and the uncertainty
  /// views say so instead of drawing a learned band. Every physics world today is deterministic.
  virtual bool deterministic() const { return true; }
  /// A grey-box model of this env's physics, linear in a few unknown parameters
  /// (core/parametric_dynamics.h), for system identification (model.prediction = "system_id");
  /// nullopt when the env offers none. It describes the env as configured now.
  virtual std::optional<ParametricDynamics> parametric_dynamics() const { return std::nullopt; }
  /// Names of the observation dimensions, for plots and CSV headers (default obs_0, obs_1, ...).
  virtual std::vector<std::string> observation_names() const;
  /// Steps taken in the current episode.
  virtual int episode_step() const = 0;
  /// Where an observation lies in the drawn world (overlays place heat maps, arrows and paths
  /// there); nullopt if the env has no such place.
  virtual std::optional<Vec2> obs_position(const Vec& obs) const {
    (void)obs;
    return std::nullopt;
  }
  /// The 2-D state plane value maps are drawn over; nullopt: the env has none.
  virtual std::optional<StatePlane> state_plane() const { return std::nullopt; }
  /// How imagined futures are drawn over this env (default: in place).
  virtual FutureLayout future_layout() const { return {}; }
  /// A region of the drawn world (world units) that shows nothing the audience needs (solid
  /// ground), where an overlay may put its colour key instead of on the data; nullopt: none.
  virtual std::optional<Bounds> legend_area() const { return std::nullopt; }
  /// Grabs the body under world point `at` and pulls that point toward `target` (world units)
  /// with a spring-damper at every sub-step of the following steps, like the Box2D testbed's
  /// mouse joint. While a grab is active, later calls only move the target (the grabbed point
  /// stays fixed on the body) until clear_perturbation(). Returns false if nothing is there
  /// (and always for envs without bodies). Perturbed steps are not reproducible from the seed:
  /// determinism holds only while nobody drags.
  virtual bool perturb(Vec2 at, Vec2 target) {
    (void)at, (void)target;
    return false;
  }
  /// True if the env has bodies perturb() can grab (the GUI's left drag pulls them).
  virtual bool grabbable() const { return false; }
  /// Ends a grab started by perturb(); the dynamics are the normal ones again.
  virtual void clear_perturbation() {}
  /// Where the grabbed point of the body is now (world units), if a grab is active; the GUI
  /// draws a line from here to the mouse.
  virtual std::optional<Vec2> perturbation_anchor() const { return std::nullopt; }
  /// The env's cells, if its world is a grid of them (default: none). The GUI edits cells,
  /// reads out Q per cell and draws the tabular overlays on them.
  virtual std::optional<GridLayout> grid_layout() const { return std::nullopt; }
  /// For an env whose observation is camera frames (envs/pixels_env.h): the frames' layout and
  /// the env they show; nullopt (the default) for an observation of the state.
  virtual std::optional<PixelLayout> pixel_layout() const { return std::nullopt; }
  /// Edits cell `c` (grid worlds); false if the edit is not allowed there, and always for envs
  /// without cells.
  virtual bool edit_cell(CellEdit edit, Cell c) {
    (void)edit, (void)c;
    return false;
  }
};

}  // namespace dynalab
