// `dynalab-cli run` of an mbrl experiment writes the dataset (.npy and .csv), the model and the
// analysis/ files; the same seed gives byte-identical analysis files.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace test_run_outputs {

using namespace dynalab;

namespace {
// A small cliff_hill v1.0 run: 3 short planned episodes.
const std::string kSmall =
    "run cliff_hill_v10 --seed 0 --quiet --set episodes=3 --set random_steps=60 "
    "--set env.max_episode_steps=25 --set planner.population=40 --set planner.iterations=2 "
    "--set planner.horizon=10 --set model.epochs=10 --out ";

const std::vector<std::string> kAnalysisFiles = {
    "divergence.csv",       "visitation.csv",        "visitation_2d.csv",
    "disagreement_map.csv", "error_vs_distance.csv", "error_vs_distance_binned.csv",
    "compounding_error.csv"};

// Checks that `text` is a CSV with a header and >= 1 data row whose fields all parse as finite
// numbers (columns listed in `may_be_nan` may also be "nan").
void check_csv(const std::string& name, const std::string& text,
               const std::vector<std::string>& may_be_nan = {}) {
  CAPTURE(name);
  std::istringstream in(text);
  std::string header, line;
  REQUIRE(std::getline(in, header));
  CHECK(header.find(',') != std::string::npos);
  std::vector<std::string> cols;
  {
    std::istringstream h(header);
    std::string c;
    while (std::getline(h, c, ',')) cols.push_back(c);
  }
  int rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    std::istringstream l(line);
    std::string f;
    size_t c = 0;
    while (std::getline(l, f, ',')) {
      REQUIRE(c < cols.size());
      bool nan_ok = false;
      for (const auto& n : may_be_nan) nan_ok |= n == cols[c];
      if (!(nan_ok && f == "nan")) {
        CAPTURE(cols[c]);
        CAPTURE(f);
        size_t used = 0;
        const double v = std::stod(f, &used);
        CHECK(used == f.size());
        CHECK(std::isfinite(v));
      }
      ++c;
    }
    CHECK(c == cols.size());
  }
  CHECK(rows >= 1);
}
}  // namespace

TEST_CASE("run cliff_hill_v10 writes dataset, model and analysis files, byte-identical per seed") {
  const auto a = test::temp_dir("run_outputs_a"), b = test::temp_dir("run_outputs_b");
  const auto ra = test::run_cli(kSmall + a.string());
  INFO(ra.output);
  REQUIRE(ra.exit_code == 0);
  REQUIRE(test::run_cli(kSmall + b.string()).exit_code == 0);

  const std::string npy = test::read_file(a / "dataset.npy");
  REQUIRE(npy.size() > 10);
  CHECK(npy.compare(0, 6, "\x93NUMPY") == 0);
  CHECK(npy.find("'descr': '<f8'") != std::string::npos);
  CHECK(npy.find("'fortran_order': False") != std::string::npos);
  // cliff_hill: 2 obs, 1 action -> 3 + 2*2 + 1 = 8 columns.
  CHECK(npy.find(", 8)") != std::string::npos);
  const std::string csv = test::read_file(a / "dataset.csv");
  CHECK(csv.rfind("episode,obs_0,obs_1,action_0,reward,next_obs_0,next_obs_1,terminated", 0) == 0);
  check_csv("dataset.csv", csv);
  CHECK(std::filesystem::file_size(a / "model" / "ensemble.bin") > 1000);
  CHECK(test::read_file(a / "model" / "shape.txt").find("members") != std::string::npos);

  for (const auto& f : kAnalysisFiles) {
    const std::string text = test::read_file(a / "analysis" / f);
    // The estimate is nan only for too few samples; compounding error at horizons no start reaches.
    check_csv(f, text, {"kl", "kl_raw"});
    CHECK(text == test::read_file(b / "analysis" / f));
  }
  // One divergence row per planned episode.
  const std::string div = test::read_file(a / "analysis" / "divergence.csv");
  CHECK(std::count(div.begin(), div.end(), '\n') == 1 + 3);
  CHECK(test::read_file(a / "dataset.npy") == test::read_file(b / "dataset.npy"));
  CHECK(test::read_file(a / "model" / "ensemble.bin") ==
        test::read_file(b / "model" / "ensemble.bin"));
  std::filesystem::remove_all(a);
  std::filesystem::remove_all(b);
}

}  // namespace test_run_outputs
