// Reference suite (ctest -L reference, Release only): issue 21's bar for C-learning (Eysenbach,
// Salakhutdinov & Levine 2020; lecture deck 001): with the preset c_learning_point_mass to its
// budget (8 rounds of 400 classifier steps, about 3 s a seed), on seeds 0, 1, 2 the predicted
// future-state density C/(1-C) p(s_f) beats the marginal-only baseline's KL to the Monte Carlo
// histogram of real futures by at least 2x (mean over the three queries, final evaluation), read
// from the run's c_learning_kl.csv as a researcher would.
#include <doctest/doctest.h>

#include "tests/learning_curve_util.h"

using namespace dynalab;
using namespace dynalab::test;

TEST_CASE("C-learning's density beats the marginal's KL to the Monte Carlo histogram by 2x on seeds 0-2") {
  for (int seed = 0; seed < 3; ++seed) {
    auto e = make_experiment(load_experiment("c_learning_point_mass", {"seed=" + std::to_string(seed)}),
                             env_registry());
    e->run_to_end();
    const auto dir = temp_dir("reference_c_learning_" + std::to_string(seed));
    e->write_outputs(dir);
    const auto rows = csv_cells(read_file(dir / "c_learning_kl.csv"));
    std::filesystem::remove_all(dir);
    REQUIRE(rows.size() > 1);
    REQUIRE(rows[0][3] == "kl_c_learning");
    REQUIRE(rows[0][4] == "kl_marginal");
    const auto& last = rows.back();  // the final evaluation's mean over the queries (query -1)
    REQUIRE(last[2] == "-1");
    const double kl_c = std::stod(last[3]), kl_m = std::stod(last[4]);
    MESSAGE("seed " << seed << ": KL(MC || C-learning) " << kl_c << " nats, KL(MC || marginal) " << kl_m
                    << " nats, ratio " << kl_m / kl_c);
    CHECK(kl_m >= 2 * kl_c);
  }
}
