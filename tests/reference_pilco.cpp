// Reference suite (ctest -L reference, Release only): PILCO on the pendulum swing-up (issue 19;
// pilco-matlab's pendulum scenario: 4 s trials at 10 Hz, one random trial, then up to 10 policy
// trials). The preset pilco_pendulum on seeds 0, 1, 2 (about a minute a run) must swing the pole
// up and hold it (the tip within 0.3 m of upright, |angle| < 0.3 rad, over the last second)
// within its 10 policy trials on at least 2 of the 3 seeds. The trial and the seconds of
// interaction to the first held trial are printed. The second bar (the mean-model
// ablation does worse) is not asserted: on six seeds the ablation holds as often and mostly
// sooner (README, "PILCO").
#include <doctest/doctest.h>

#include <limits>

#include "tests/learning_curve_util.h"

using namespace dynalab;
using namespace dynalab::test;

namespace {

// The first held policy trial (1-based, the random trial not counted) and the seconds of
// interaction up to its end (the random trial's included); 0 and NaN if none held.
struct FirstHeld {
  int trial = 0;
  double seconds = std::numeric_limits<double>::quiet_NaN();
};

FirstHeld first_held(int seed) {
  auto e = make_experiment(load_experiment("pilco_pendulum", {"seed=" + std::to_string(seed)}),
                           env_registry());
  e->run_to_end();
  const auto dir = temp_dir("reference_pilco_" + std::to_string(seed));
  e->write_outputs(dir);
  const auto rows = csv_cells(read_file(dir / "metrics.csv"));
  std::filesystem::remove_all(dir);
  REQUIRE(rows.size() == 11);  // header + 10 policy trials
  REQUIRE(rows[0][8] == "held");
  REQUIRE(rows[0][9] == "interaction_s");
  FirstHeld f;
  for (size_t r = 1; r < rows.size() && f.trial == 0; ++r)
    if (rows[r][8] == "1") {
      f.trial = int(r);
      f.seconds = std::stod(rows[r][9]);
    }
  MESSAGE("pilco_pendulum seed " << seed << ": first held policy trial " << f.trial << ", "
                                 << f.seconds << " s of interaction");
  return f;
}

}  // namespace

TEST_CASE("PILCO swings the pendulum up and holds it within 10 policy trials on >= 2 of 3 seeds") {
  int held = 0;
  for (int seed = 0; seed < 3; ++seed) held += first_held(seed).trial > 0;
  CHECK(held >= 2);
}
