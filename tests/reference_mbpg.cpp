// Reference suite (ctest -L reference, Release only): the curse of long model-based rollouts
// (deck 001) with the mbpg family's presets on seeds 0, 1, 2 (5-8 s a run). With the presets'
// small models (one hidden layer of 12 units), 20-step branches from replay states learn the
// swing-up and whole 200-step imagined episodes do not, and those episodes' imagined return is
// no forecast of the real one: over the last 10 iterations
//   mbpg_pendulum_h20:  mean real return > -400
//   mbpg_pendulum_h200: mean real return < -800, below h20's on the same seed, and mean
//                       imagined_minus_real < -500.
#include <doctest/doctest.h>

#include <numeric>

#include "tests/learning_curve_util.h"

using namespace dynalab;
using namespace dynalab::test;

namespace {

struct LastTen {
  double real = 0, imagined_minus_real = 0;
};

LastTen last_ten(const std::string& preset, int seed) {
  auto e = make_experiment(load_experiment(preset, {"seed=" + std::to_string(seed)}), env_registry());
  e->run_to_end();
  const auto dir = temp_dir("reference_" + preset + "_" + std::to_string(seed));
  e->write_outputs(dir);
  const auto rows = csv_cells(read_file(dir / "mbpg_iterations.csv"));
  std::filesystem::remove_all(dir);
  REQUIRE(rows.size() == 31);  // header + 30 iterations
  REQUIRE(rows[0][8] == "real_return");
  REQUIRE(rows[0][9] == "imagined_minus_real");
  LastTen t;
  for (size_t r = rows.size() - 10; r < rows.size(); ++r) {
    t.real += std::stod(rows[r][8]) / 10;
    t.imagined_minus_real += std::stod(rows[r][9]) / 10;
  }
  MESSAGE(preset << " seed " << seed << ": last 10 iterations real " << t.real
                 << ", imagined - real " << t.imagined_minus_real);
  return t;
}

}  // namespace

TEST_CASE("mbpg: short branches learn the swing-up, whole imagined episodes of the same small "
          "model do not (seeds 0-2)") {
  for (int seed = 0; seed < 3; ++seed) {
    CAPTURE(seed);
    const LastTen h20 = last_ten("mbpg_pendulum_h20", seed);
    const LastTen h200 = last_ten("mbpg_pendulum_h200", seed);
    CHECK(h20.real > -400);
    CHECK(h200.real < -800);
    CHECK(h20.real > h200.real);
    CHECK(h200.imagined_minus_real < -500);
  }
}
