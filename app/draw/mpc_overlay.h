#pragma once
// MPC overlays drawn through the Canvas from a PlanTrace: the fan of candidate rollouts the model
// predicted (coloured by predicted return on a scale fixed for the episode, red where the path
// reaches a failure such as the pit), the highlighted candidates (CEM's elites) thicker and
// outlined, the chosen plan bold with every particle of it so an ensemble's disagreement shows
// as spread, and the executed trajectory for predicted-vs-actual. Predicted observations are
// placed in the world with Env::obs_position.

#include <functional>
#include <optional>
#include <vector>

#include "core/canvas.h"
#include "core/env.h"
#include "core/planning/plan_trace.h"

namespace dynalab {

struct MpcOverlayOptions {
  bool candidates = true;    ///< the fan of all candidates
  bool elites = true;        ///< elites drawn thicker, outlined and opaque
  bool chosen = true;        ///< the chosen (best) candidate bold
  /// Every particle path of the chosen plan, not only the first (the other candidates always
  /// show their first particle: all particles of all candidates are an unreadable hairball).
  bool particles = true;
  bool executed = true;      ///< the executed trajectory this episode (predicted vs actual)
  bool training_data = false;  ///< the learned model's training states (app/draw/data_overlay.h)
  bool legend = true;        ///< the fan's colour key next to it
  int max_candidates = 200;  ///< draw at most this many non-elite candidates (evenly spaced)
};

/// The fan's colour scale: predicted return `lo` (palest) to `hi` (darkest).
struct ReturnScale {
  double lo = 0, hi = 1;
  /// `r` on the scale, clamped to [0, 1] (1 when lo == hi).
  float at(double r) const;
};

/// The scale for `trace`: [lo, hi] if lo <= hi (PlanView::return_lo/hi, fixed per episode),
/// else the trace's own finite range (a trace without a PlanView, e.g. the demo).
ReturnScale fan_scale(const PlanTrace& trace, double lo, double hi);

/// The colour the fan gives a candidate with predicted return `r` and end `end`: red
/// (palette::danger) if its path reaches a failure, else return_color on `scale` (alpha 1).
Color candidate_color(double r, PathEnd end, const ReturnScale& scale);

/// Where the k-th of `steps` observations of a path is drawn (world units); nullopt: nowhere.
/// The default places every observation at env.obs_position(obs), whatever k.
using PathPlacer = std::function<std::optional<Vec2>(const Vec& obs, int k, int steps)>;

/// Draws the trace's candidate paths over the world, coloured by candidate_color on `scale`
/// (ends judged by candidate_ends(trace, env)). Candidates whose observations have no world
/// position (obs_position returns nullopt) are skipped.
void draw_plan_trace(Canvas& canvas, const PlanTrace& trace, const Env& env,
                     const MpcOverlayOptions& opt, const PathPlacer& place,
                     const ReturnScale& scale);

/// Draws a sequence of observations (e.g. the executed trajectory) as a polyline with dots.
void draw_observation_path(Canvas& canvas, const std::vector<Vec>& observations, const Env& env,
                           Color color, float width_px, const PathPlacer& place = {});

/// A cross where a predicted path ends because its particle terminated: red if it ends in a
/// failure (Env::failure: the pole fell), dark otherwise (a goal reached); nothing for a path
/// that runs the whole horizon. Every drawn candidate gets one (the fan's at half `size`), so
/// the audience sees where the model expects episodes to end.
void draw_termination_mark(Canvas& canvas, const std::vector<Vec>& path, const Env& env,
                           const PathPlacer& place = {}, float size = 1.0f);

/// The predicted path (H+1 observations) of one particle of one candidate; NaN rows after the
/// particle terminated (drawn paths end there).
std::vector<Vec> predicted_path(const PlanTrace& trace, int candidate, int particle);

/// The candidate with the highest predicted return (the chosen plan), or -1 if none.
int best_candidate(const PlanTrace& trace);

/// Colour for a predicted return scaled to t in [0, 1]: pale grey-blue (poor) to purple (good).
Color return_color(float t);

/// A deterministic synthetic trace around `start` for checking the overlay (scripted mode's
/// --demo-plan-trace): candidates are straight walks through `env`'s observation space.
PlanTrace demo_plan_trace(const Env& env, const Vec& start, int candidates, int horizon,
                          int particles);

}  // namespace dynalab
