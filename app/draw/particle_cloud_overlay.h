#pragma once
// PILCO's predicted particles over the world (core/views.h ParticleCloudView): at the real
// trial's current step t, a dot at each particle's position at step t, their 95 % ellipse (the
// positions' sample covariance, chi-square 2 dof), and each particle's last few steps as a faint
// trail, so the prediction travels beside the real pole; the env draws the real one.

#include "core/canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

/// Steps of trail drawn behind each particle's dot.
inline constexpr int kParticleTrailSteps = 4;

/// Draws `v` over `env` (drawn already). Nothing where env has no obs_position.
void draw_particle_cloud(Canvas& canvas, const Env& env, const ParticleCloudView& v);

}  // namespace dynalab
