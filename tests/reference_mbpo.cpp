// Reference suite (ctest -L reference, Release only): MBPO against mbrl-lib's own test (its
// pendulum bar is checked on the ladder's runs, reference_published_bars.cpp).
//  - mbpo_point_mass, mbrl-lib's own MBPO test (tests/algorithms/test_algorithms.py::test_mbpo):
//    on the 1-D line, 500 exploration steps and 12 trials, the best evaluation return must be
//    > -0.02 (mbrl-lib: "the prob. of observing this by random seems to be < 1e-5"), on every
//    seed 0, 1, 2.
//  - Only evaluations after the exploration steps count: mbrl-lib evaluates the policy its loop
//    trains, after the random exploration. Our learning curve also evaluates the untrained policy
//    during exploration, and on seed 1 that already scores -0.0078: the bar met by chance.
//  - A seed stops at its first evaluation above the bar. The best of the whole run can only be
//    higher, so the verdict is the whole run's (measured: first above at 630, 540 and 540 of the
//    860 env steps on seeds 0-2; whole runs took 220 s of the suite, these about 40 s).
#include <doctest/doctest.h>

#include <algorithm>

#include "core/experiment.h"
#include "core/snapshot.h"
#include "envs/registry.h"

using namespace dynalab;

namespace {

/// The best evaluation return of `preset` on `seed` after `after` env steps, its run stopped at
/// the first one above `bar` (checked every few ticks).
double best_evaluation_until(const std::string& preset, int seed, double after, double bar) {
  auto e = make_experiment(load_experiment(preset, {"seed=" + std::to_string(seed)}), env_registry());
  double best = -1e300;
  for (int64_t tick = 0; best <= bar; ++tick) {
    const bool more = e->tick();
    if (more && tick % 20 != 0) continue;
    const auto snap = e->snapshot();  // built per call: hold it while reading
    for (const Figure& f : snap->figures)
      if (f.id == "learning_curve")
        for (const Series& s : f.series)
          for (size_t k = 0; k < s.x.size(); ++k)
            if (s.x[k] > after) best = std::max(best, s.y[k]);
    if (!more) break;
  }
  MESSAGE(preset << " seed " << seed << ": best evaluation after " << after << " env steps " << best
                 << " (stopped at tick " << e->snapshot()->tick << ", " << e->snapshot()->total_steps << " env steps)");
  return best;
}

}  // namespace

TEST_CASE("mbpo_point_mass passes mbrl-lib's MBPO test (best eval return > -0.02 after exploration) on every seed") {
  for (int seed = 0; seed < 3; ++seed) {
    CAPTURE(seed);
    CHECK(best_evaluation_until("mbpo_point_mass", seed, 500, -0.02) > -0.02);
  }
}
