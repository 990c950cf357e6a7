#pragma once
// GpConfig: the "model.gp" section (model.type = gp): the size of the data a GP holds and the
// budget of its marginal-likelihood fit (core/models/gp/gp_dynamics.h).

#include "core/config.h"

namespace dynalab {

struct GpConfig {
  /// Above this many transitions, each fit uses a random subset of this size (subset of data):
  /// exact GP training is O(n^3). 300 is pilco-matlab's threshold for its sparse GP (300
  /// inducing inputs in scenarios/pendulum/settings_pendulum.m).
  int max_points = 300;
  /// L-BFGS iterations per column per fit. pilco-matlab's pendulum uses 300 line searches
  /// (trainOpt); fewer suffice here because each fit warm-starts from the previous one.
  int optimizer_iterations = 100;
  /// L-BFGS iterations per column in one train_epoch (one tick): bounds the time of a tick.
  int iterations_per_epoch = 5;
  /// Curb on sf / sn (pilco-matlab hypCurb.m; its doc.tex: ratios above ~500 cause numerical
  /// problems).
  double max_signal_to_noise = 500;

  template <class V>
  void visit(V& v) {
    v.field("max_points", max_points, Range::closed(2, 2000), Apply::live,
            "above this many transitions, each fit uses a random subset of this size "
            "(exact GP training costs O(n^3))");
    v.field("optimizer_iterations", optimizer_iterations, Range::closed(1, 100000), Apply::live,
            "L-BFGS iterations of the log marginal likelihood per column per fit");
    v.field("iterations_per_epoch", iterations_per_epoch, Range::closed(1, 1000), Apply::live,
            "L-BFGS iterations per column in one training step (keeps each tick short)");
    v.field("max_signal_to_noise", max_signal_to_noise, Range::closed(2, 1e12), Apply::live,
            "penalise signal-to-noise ratios sf/sn above this (pilco-matlab: ~500)");
  }
};

}  // namespace dynalab
