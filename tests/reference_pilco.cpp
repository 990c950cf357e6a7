// Reference suite (ctest -L reference, Release only): PILCO on the pendulum swing-up (issue 19;
// pilco-matlab's pendulum scenario: 4 s trials at 10 Hz, one random trial, then up to 10 policy
// trials). The preset pilco_pendulum on seeds 0, 1, 2 (about a minute a run) must swing the pole
// up and hold it (the tip within 0.3 m of upright, |angle| < 0.3 rad, over the last second)
// within its 10 policy trials on at least 2 of the 3 seeds. The trial and the seconds of
// interaction to the first held trial are printed, the mean-model ablation's beside them.
// The second bar (the ablation needs more trials) is not asserted: on six seeds the
// ablation holds as often (README, "PILCO"). What the GP's spread does change, and what is
// asserted: before the first policy trial, when the data are one random trial, the particles'
// 95 % band holds more of the real trial with the spread than without (band_coverage).
#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

#include "tests/learning_curve_util.h"

using namespace dynalab;
using namespace dynalab::test;

namespace {

// The first held policy trial (1-based, the random trial not counted) and the seconds of
// interaction up to its end (the random trial's included); 0 and NaN if none held.
// first_coverage: the first policy trial's band_coverage.
struct FirstHeld {
  int trial = 0;
  double seconds = std::numeric_limits<double>::quiet_NaN();
  double first_coverage = 0;
};

FirstHeld first_held(int seed, bool mean_model_only) {
  std::vector<std::string> set = {"seed=" + std::to_string(seed)};
  if (mean_model_only) set.push_back("mean_model_only=true");
  auto e = make_experiment(load_experiment("pilco_pendulum", set), env_registry());
  e->run_to_end();
  const auto dir = temp_dir("reference_pilco_" + std::to_string(seed));
  e->write_outputs(dir);
  const auto rows = csv_cells(read_file(dir / "metrics.csv"));
  std::filesystem::remove_all(dir);
  REQUIRE(rows.size() == 11);  // header + 10 policy trials
  REQUIRE(rows[0][8] == "held");
  REQUIRE(rows[0][9] == "interaction_s");
  REQUIRE(rows[0][11] == "band_coverage");
  FirstHeld f;
  f.first_coverage = std::stod(rows[1][11]);
  for (size_t r = 1; r < rows.size() && f.trial == 0; ++r)
    if (rows[r][8] == "1") {
      f.trial = int(r);
      f.seconds = std::stod(rows[r][9]);
    }
  MESSAGE("pilco_pendulum seed " << seed << std::string(mean_model_only ? " mean_model_only" : "")
                                 << ": first held policy trial " << f.trial << ", " << f.seconds
                                 << " s of interaction; first policy trial's band coverage "
                                 << f.first_coverage);
  return f;
}

}  // namespace

TEST_CASE("PILCO swings the pendulum up and holds it within 10 policy trials on >= 2 of 3 seeds; "
          "the GP's spread keeps the first prediction's band honest") {
  int held = 0;
  for (int seed = 0; seed < 3; ++seed) {
    const FirstHeld full = first_held(seed, false), mean_only = first_held(seed, true);
    held += full.trial > 0;
    CHECK(full.first_coverage > mean_only.first_coverage);
  }
  CHECK(held >= 2);
}
