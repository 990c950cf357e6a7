#pragma once
// Guided policy search's trajectory tubes over the world (core/views.h LocalControllerView,
// deck 003 "local models" and "guided policy search"): per start condition, in that condition's
// colour, the latest iteration's real rollouts of the local linear-Gaussian controller (thin)
// and the mean its C-step predicts for the next iteration under the fitted local dynamics
// (bold); the global policy's noise-free rollouts in black; earlier iterations' predicted means
// and policy rollouts fading behind. Observations are placed as the env lays out paths
// (Env::future_layout: the reacher's tip in place, the point mass's position up a time band).
//
// The encoding is data (tube_lines) so tests can check it without a GUI.

#include <string>
#include <vector>

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

/// What a line of the tube shows.
enum class TubeLine { sample, nominal, policy };

/// One drawn path: T + 1 observations of a condition at an iteration, in a colour and width.
struct TubePath {
  TubeLine kind = TubeLine::sample;
  int iteration = 0, condition = 0;
  int age = 0;  ///< 0: the newest iteration that has this kind of line; 1: the one before, ...
  const std::vector<Vec>* observations = nullptr;  ///< into the view (kept alive by the caller)
  Color color;
  float width = 1.5f;
};

/// Iterations drawn per kind of line (the newest and the ones fading behind it).
inline constexpr int kTubeIterations = 4;

/// The colour of start condition `m`: the categorical palette of the other overlays.
Color condition_color(int m);
/// The opacity of a line `age` iterations older than the newest of its kind: 1, then fading
/// (0 beyond kTubeIterations - 1).
float tube_fade(int age);

/// The paths to draw, back to front: older iterations first, then per condition the samples,
/// the predicted mean and the global policy's rollout. Samples only of the newest iteration that
/// has any (the others would hide the picture); predicted means and policy rollouts of the last
/// kTubeIterations iterations that have them.
std::vector<TubePath> tube_lines(const LocalControllerView& v);

/// The key's lines ("thin: ...", "bold: ...", "black: ..."), for the GUI's panel or a caption.
std::vector<std::string> tube_key(const LocalControllerView& v);

/// Draws `v` over `env` (drawn already).
void draw_local_controllers(Canvas& canvas, const Env& env, const LocalControllerView& v);

}  // namespace dynalab
